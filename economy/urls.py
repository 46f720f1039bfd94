from django.urls import path

from . import views

app_name = "economy"

urlpatterns = [
    path("", views.economy, name="economy"),
    path("cost-budget/", views.cost_budget, name="cost_budget"),
    path("cost-budget/import/", views.cost_budget_import, name="cost_budget_import"),
    path("costs/import/", views.actual_cost_import, name="actual_cost_import"),
]
