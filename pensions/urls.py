from django.urls import path

from . import views

app_name = "pensions"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/export/", views.case_export, name="case_export"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/documents/", views.document_add, name="document_add"),
    path("cases/<int:pk>/notes/", views.note_add, name="note_add"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    path("signals/", views.signal_lists, name="signal_lists"),
    path("signals/import/", views.signal_list_import, name="signal_list_import"),
    path("signals/<int:pk>/", views.signal_list_detail, name="signal_list_detail"),
    path("signals/items/<int:pk>/handle/", views.signal_item_handle, name="signal_item_handle"),
    path("signals/items/<int:pk>/reopen/", views.signal_item_reopen, name="signal_item_reopen"),
    path("signals/items/<int:pk>/case/", views.signal_item_case, name="signal_item_case"),
    path("weekly/", views.weekly, name="weekly"),
]
