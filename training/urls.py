from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_create, name="create"),
    path("<int:pk>/", views.session_edit, name="edit"),
]
