from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("new/", views.agency_create, name="agency_create"),
    path("import/", views.agency_import, name="agency_import"),
    path("<int:pk>/", views.agency_detail, name="agency_detail"),
    path("<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("<int:pk>/deactivate/", views.agency_deactivate, name="agency_deactivate"),
    path("<int:pk>/reactivate/", views.agency_reactivate, name="agency_reactivate"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("<int:pk>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
    path("<int:pk>/addons/new/", views.addon_create, name="addon_create"),
    path("addons/<int:pk>/", views.addon_detail, name="addon_detail"),
    path("addons/<int:pk>/edit/", views.addon_edit, name="addon_edit"),
    path("addon-hours/<int:pk>/delete/", views.addon_hours_delete, name="addon_hours_delete"),
    path("log/", views.log_list, name="log_list"),
    path("log/new/", views.log_create, name="log_create"),
    path("log/<int:pk>/edit/", views.log_edit, name="log_edit"),
    path("meetings/", views.meetings, name="meetings"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/summary/", views.complaint_summary, name="complaint_summary"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/handle/", views.complaint_handle, name="complaint_handle"),
    path("notices/<int:pk>/resend/", views.notice_resend, name="notice_resend"),
    path("messages/", views.message_list, name="message_list"),
    path("messages/new/", views.message_create, name="message_create"),
    path("forms/", views.form_list, name="form_list"),
    path("forms/upload/", views.form_upload, name="form_upload"),
    path("forms/versions/<int:pk>/download/", views.form_version_download, name="form_version_download"),
]
