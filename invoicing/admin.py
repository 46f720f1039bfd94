from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import QueueUnavailable

from .models import CloseJob, Invoice, InvoiceLine


class ReadOnlyAdmin(admin.ModelAdmin):
    """Issued invoices and close runs are records: shown, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    fields = ["position", "item_code", "name", "quantity", "unit_price", "amount", "late_from_period"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "agency_code", "period", "invoice_date", "total"]
    list_filter = ["kind", "period"]
    search_fields = ["number", "agency_code", "agency_name"]
    inlines = [InvoiceLineInline]


@admin.register(CloseJob)
class CloseJobAdmin(ReadOnlyAdmin):
    list_display = [
        "period",
        "state",
        "trigger",
        "started_by",
        "created_at",
        "heartbeat_at",
        "agencies_done",
        "invoices_issued",
    ]
    list_filter = ["state"]
    actions = ["mark_failed", "run_again"]

    def has_run_close_permission(self, request):
        return request.user.has_perm("invoicing.run_close")

    @admin.action(description=gettext_lazy("Mark failed (its worker is gone)"), permissions=["run_close"])
    def mark_failed(self, request, queryset):
        from .services import close

        failed = [job for job in queryset if close.fail_close_job(job, user=request.user)]
        self.message_user(request, _("%(count)d closes marked failed.") % {"count": len(failed)}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Run the close again"), permissions=["run_close"])
    def run_again(self, request, queryset):
        # Imported here: the admin modules load with every command (admin's autodiscover), and the
        # close, its tasks and the PDF code are needed only when an administrator runs one.
        from . import tasks
        from .services import close

        for period in sorted({job.period for job in queryset.filter(state=CloseJob.State.FAILED)}):
            try:
                job = tasks.start_close(period=period, user=request.user)
            except (close.CloseError, QueueUnavailable) as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request, _("Close of %(period)s: %(state)s.") % {"period": period, "state": job.get_state_display()}
                )
