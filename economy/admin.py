from django.contrib import admin

from .models import ActualCost, CostBudget, CostCentre, LedgerAccount


@admin.register(LedgerAccount)
class LedgerAccountAdmin(admin.ModelAdmin):
    list_display = ["account", "name", "cost_type"]
    list_filter = ["cost_type"]
    search_fields = ["account", "name"]


@admin.register(CostCentre)
class CostCentreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit"]
    list_filter = ["unit"]
    search_fields = ["code", "name"]


@admin.register(CostBudget)
class CostBudgetAdmin(admin.ModelAdmin):
    list_display = ["year", "unit", "cost_type", "amount"]
    list_filter = ["year", "unit", "cost_type"]


@admin.register(ActualCost)
class ActualCostAdmin(admin.ModelAdmin):
    list_display = ["period", "cost_centre", "account", "unit", "cost_type", "amount"]
    list_filter = ["period", "unit", "cost_type"]

    # Actual costs come from the ledger's file; a month is corrected by importing it again.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
