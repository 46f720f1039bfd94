from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CaseNumberSeries, PensionCase, SignalItem, SignalList, StatusChange


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PensionCase)
class PensionCaseAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "agency", "unit", "handler", "received_on", "due_on", "status", "decision"]
    list_filter = ["kind", "status", "decision", "unit"]
    search_fields = ["number"]
    date_hierarchy = "received_on"
    raw_id_fields = ["person", "agency", "handler", "created_by"]
    readonly_fields = ["number", "billing_period", "created_at", "created_by"]
    inlines = [StatusChangeInline]


class SignalItemInline(admin.TabularInline):
    model = SignalItem
    extra = 0
    raw_id_fields = ["person", "agency", "handled_by", "case"]
    fields = ["row", "agency", "person", "signal", "event_date", "due_on", "status", "handled_on", "case"]


@admin.register(SignalList)
class SignalListAdmin(SimpleHistoryAdmin):
    list_display = ["name", "provider", "unit", "received_on", "deadline"]
    list_filter = ["provider", "unit"]
    search_fields = ["name"]
    readonly_fields = ["imported_at", "imported_by", "source_filename"]
    inlines = [SignalItemInline]


@admin.register(CaseNumberSeries)
class CaseNumberSeriesAdmin(admin.ModelAdmin):
    list_display = ["year", "last_number"]
