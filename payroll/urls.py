from django.urls import path

from . import views

app_name = "payroll"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/", views.case_list, name="case_list"),
    path("workload/", views.workload, name="workload"),
    path("workload/assign/", views.workload_assign, name="workload_assign"),
    path("cases/export/", views.case_export, name="case_export"),
    path("cases/export/start/", views.case_export_start, name="case_export_start"),
    path("cases/export/<int:pk>/", views.case_export_job, name="case_export_job"),
    path("cases/export/<int:pk>/status/", views.case_export_status, name="case_export_status"),
    path("cases/export/<int:pk>/file/", views.case_export_file, name="case_export_file"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/register/", views.case_register, name="case_register"),
    path("cases/<int:pk>/take/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/return/", views.case_return, name="case_return"),
    path("cases/<int:pk>/document-arrived/", views.case_arrived, name="case_arrived"),
    path("cases/<int:pk>/approve/", views.case_approve, name="case_approve"),
    path("cases/<int:pk>/complete/", views.case_complete, name="case_complete"),
    path("cases/<int:pk>/cancel/", views.case_cancel, name="case_cancel"),
    path("cases/<int:pk>/documents/", views.document_add, name="document_add"),
    path("cases/<int:pk>/notes/", views.note_add, name="note_add"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("returns/<int:pk>/cover-letter.pdf", views.cover_letter, name="cover_letter"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/upload/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import_status"),
    path("imports/<int:pk>/run-again/", views.import_rerun, name="import_rerun"),
    path("control/", views.control_list, name="control_list"),
    path("control/draw/", views.control_draw, name="control_draw"),
    path("control/<int:pk>/", views.control_detail, name="control_detail"),
    path("control/checks/<int:pk>/", views.control_check, name="control_check"),
]
