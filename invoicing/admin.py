from django.contrib import admin

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
    list_display = ["period", "state", "trigger", "started_by", "created_at", "agencies_done", "invoices_issued"]
    list_filter = ["state"]
