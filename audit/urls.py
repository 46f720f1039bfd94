from django.urls import path

from audit import views as views_audit

app_name = "audit"

urlpatterns = [
    path("", views_audit.audit_trail, name="trail"),
    path("protected-identities/", views_audit.identity_access, name="identity_access"),
]
