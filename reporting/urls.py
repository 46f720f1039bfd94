from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("volume/", views.volume_report, name="volume_report"),
    path("productivity/", views.productivity_report, name="productivity_report"),
    path("tertial/", views.tertial_report, name="tertial_report"),
    path("dashboard/unit/", views.unit_dashboard, name="unit_dashboard"),
    path("dashboard/service/", views.service_dashboard, name="service_dashboard"),
    path("agreements/", views.agreement_follow_up, name="agreement_follow_up"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/new/", views.target_create, name="target_create"),
    path("targets/<int:pk>/", views.target_edit, name="target_edit"),
]
