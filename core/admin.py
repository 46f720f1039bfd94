from django.contrib import admin

from .models import ClosedPeriod


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(admin.ModelAdmin):
    """Written by the monthly close; shown for reference, never changed or deleted."""

    list_display = ["period", "closed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
