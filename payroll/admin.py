from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CaseReturn, ControlCheck, ControlSample, PayrollCase, PayslipImport, StatusChange


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CaseReturnInline(admin.TabularInline):
    model = CaseReturn
    extra = 0
    can_delete = False
    fields = ["returned_on", "returned_by", "missing", "details", "reply_by", "document_arrived_on", "paused_days"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PayrollCase)
class PayrollCaseAdmin(SimpleHistoryAdmin):
    """Cases change through the case pages (services keep the history); the admin mostly reads.
    The employee is shown by id only, so the list can never leak a protected identity."""

    list_display = ["id", "agency", "period", "payslip_id", "channel", "status", "source", "billing_period"]
    list_filter = ["status", "channel", "source", "is_late"]
    search_fields = ["=payslip_id", "=id"]
    raw_id_fields = ["agency", "person", "handler", "registered_by", "approved_by", "import_batch"]
    list_select_related = ["agency"]
    show_full_result_count = False  # millions of rows: no COUNT(*) on every page
    inlines = [StatusChangeInline, CaseReturnInline]
    readonly_fields = ["created_at", "import_batch", "paused_days", "clock_stopped_on", "working_days_used"]


@admin.register(PayslipImport)
class PayslipImportAdmin(admin.ModelAdmin):
    list_display = ["id", "file_name", "status", "origin", "uploaded_by", "created_at", "rows_imported"]
    list_filter = ["status", "origin"]
    readonly_fields = [f.name for f in PayslipImport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ControlCheckInline(admin.TabularInline):
    model = ControlCheck
    extra = 0
    raw_id_fields = ["case", "checked_by"]
    fields = ["case", "outcome", "note", "checked_by", "checked_at"]
    readonly_fields = ["case", "checked_by", "checked_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ControlSample)
class ControlSampleAdmin(admin.ModelAdmin):
    list_display = ["id", "period", "unit", "size", "seed", "population", "drawn_by", "drawn_at"]
    list_filter = ["period", "unit"]
    readonly_fields = ["period", "unit", "size", "seed", "population", "drawn_by", "drawn_at"]
    inlines = [ControlCheckInline]

    def has_add_permission(self, request):
        return False
