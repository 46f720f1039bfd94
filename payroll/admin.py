from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core.jobs import QueueUnavailable

from . import imports
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
    list_display = ["id", "file_name", "status", "origin", "uploaded_by", "created_at", "heartbeat_at", "rows_imported"]
    list_filter = ["status", "origin"]
    readonly_fields = [f.name for f in PayslipImport._meta.fields]
    actions = ["mark_failed", "run_again"]

    def has_import_payslips_permission(self, request):
        return request.user.has_perm("payroll.import_payslips")

    @admin.action(description=gettext_lazy("Mark failed (its worker is gone)"), permissions=["import_payslips"])
    def mark_failed(self, request, queryset):
        failed = [job for job in queryset if imports.fail_import_job(job, user=request.user)]
        self.message_user(request, _("%(count)d imports marked failed.") % {"count": len(failed)}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Run the import again"), permissions=["import_payslips"])
    def run_again(self, request, queryset):
        # Imported here: the admin modules load with every command (admin's autodiscover), and the
        # task module brings the payroll services, letters and PDF code the import command never uses.
        from . import tasks

        for job in queryset.filter(status=PayslipImport.Status.FAILED):
            try:
                rerun = tasks.run_payslip_import_again(job=job, language=request.LANGUAGE_CODE)
            except (imports.CannotRunAgain, QueueUnavailable) as exc:
                self.message_user(request, f"{job.pk}: {exc}", messages.ERROR)
            else:
                self.message_user(
                    request, _("Import %(old)s runs again as import %(new)s.") % {"old": job.pk, "new": rerun.pk}
                )

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
