from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("files/", views.file_list, name="file_list"),
    path("files/import/", views.file_import, name="file_import"),
    path("signals/<int:pk>/handle/", views.signal_handle, name="signal_handle"),
    path("signals/<int:pk>/reopen/", views.signal_reopen, name="signal_reopen"),
]
