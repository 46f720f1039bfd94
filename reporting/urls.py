from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("volume/", views.volume_report, name="volume_report"),
    path("productivity/", views.productivity_report, name="productivity_report"),
    path("tertial/", views.tertial_report, name="tertial_report"),
    path("tertial/assessment/", views.assess_commitment, name="assess_commitment"),
    path("tertial/comment/", views.comment_indicator, name="comment_indicator"),
    path("tertial/commitments/", views.add_plan_commitments, name="add_plan_commitments"),
    path("tertial/commitments/new/", views.commitment_edit, name="commitment_create"),
    path("tertial/commitments/<int:pk>/", views.commitment_edit, name="commitment_edit"),
    path("monthly/", views.monthly_report, name="monthly_report"),
    path("subscription/", views.subscription, name="subscription"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/<int:pk>/resend/", views.delivery_resend, name="delivery_resend"),
    path("control-plan/", views.control_plan, name="control_plan"),
    path("control-plan/new/", views.control_plan_item, name="control_plan_create"),
    path("control-plan/<int:pk>/", views.control_plan_item, name="control_plan_edit"),
    path("dashboard/unit/", views.unit_dashboard, name="unit_dashboard"),
    path("dashboard/service/", views.service_dashboard, name="service_dashboard"),
    path("agreements/", views.agreement_follow_up, name="agreement_follow_up"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/new/", views.target_create, name="target_create"),
    path("targets/<int:pk>/", views.target_edit, name="target_edit"),
]
