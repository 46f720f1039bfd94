from django.urls import path

from . import views

app_name = "economy"

urlpatterns = [
    path("", views.economy, name="economy"),
    path("cost-budget/", views.cost_budget, name="cost_budget"),
    path("cost-budget/import/", views.cost_budget_import, name="cost_budget_import"),
    path("costs/import/", views.actual_cost_import, name="actual_cost_import"),
    path("simulator/", views.price_simulator, name="simulator"),
    path("scenarios/", views.scenarios, name="scenarios"),
    path("scenarios/<int:pk>/", views.scenario, name="scenario"),
    path("scenarios/<int:pk>/price-list/", views.scenario_price_list, name="scenario_price_list"),
]
