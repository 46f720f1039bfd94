from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("new/", views.certificate_request, name="request"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/issue/", views.certificate_issue, name="issue"),
    path("<int:pk>/cancel/", views.certificate_cancel, name="cancel"),
    path("<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("mail/", views.mail_log, name="mail_log"),
    path("mail/new/", views.mail_create, name="mail_create"),
]
