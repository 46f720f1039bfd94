from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AddonAgreement,
    AddonHours,
    Agency,
    AgencyContact,
    AgencyContactAccess,
    AgencyNotice,
    Complaint,
    CustomerLogEntry,
    ServiceAgreement,
)


class AgencyContactInline(admin.TabularInline):
    model = AgencyContact
    extra = 0


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "unit", "functional_mailbox", "active_from", "active_to"]
    list_filter = ["kind", "unit"]
    search_fields = ["code", "name", "organisation_number", "responsibility_code"]
    inlines = [AgencyContactInline]
    # Agencies are deactivated (active to), never deleted: cases and invoices keep them (PROTECT).

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.agreements.exists() or obj.log_entries.exists() or obj.complaints.exists()):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AgencyContact)
class AgencyContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency", "title", "email", "phone", "is_primary"]
    list_filter = ["is_primary"]
    search_fields = ["name", "email", "agency__code", "agency__name"]


@admin.register(ServiceAgreement)
class ServiceAgreementAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "year", "valid_from", "valid_to", "signed_on", "lead_time_days"]
    list_filter = ["year"]
    search_fields = ["agency__code", "agency__name"]


class AddonHoursInline(admin.TabularInline):
    model = AddonHours
    extra = 0
    readonly_fields = ["registered_by", "registered_at"]


@admin.register(AddonAgreement)
class AddonAgreementAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "description", "item_code", "valid_from", "valid_to"]
    search_fields = ["agency__code", "agency__name", "description"]
    inlines = [AddonHoursInline]


@admin.register(AddonHours)
class AddonHoursAdmin(admin.ModelAdmin):
    list_display = ["agreement", "period", "billing_period", "hours", "registered_by", "registered_at"]
    list_filter = ["billing_period"]
    readonly_fields = ["registered_by", "registered_at"]


@admin.register(CustomerLogEntry)
class CustomerLogEntryAdmin(SimpleHistoryAdmin):
    list_display = ["date", "agency", "kind", "author"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["agency__code", "agency__name", "summary"]


@admin.register(Complaint)
class ComplaintAdmin(SimpleHistoryAdmin):
    list_display = ["received_on", "agency", "kind", "category", "status", "handler", "resolved_on"]
    list_filter = ["kind", "category", "status"]
    date_hierarchy = "received_on"
    search_fields = ["agency__code", "agency__name", "description"]


@admin.register(AgencyContactAccess)
class AgencyContactAccessAdmin(admin.ModelAdmin):
    """Which agencies an agency contact signing in with a password sees (single sign-on sets them
    from the claims at every sign-in)."""

    list_display = ["user", "agency"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "user__last_name", "agency__code", "agency__name"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["user"]


@admin.register(AgencyNotice)
class AgencyNoticeAdmin(admin.ModelAdmin):
    """The e-mails to agencies: read only, the record of what was sent."""

    list_display = ["created_at", "agency", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["key", "subject", "agency__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
