from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lonservice.identity import display_name, display_personnummer, log_unmasked_view

from .models import (
    AddonAgreement,
    AddonHours,
    Agency,
    AgencyContact,
    Complaint,
    CustomerLogEntry,
    Person,
    ProtectedIdentityAccess,
    ServiceAgreement,
    StaffMember,
    Team,
    Unit,
)


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "manager"]
    search_fields = ["code", "name"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "unit"]
    list_filter = ["unit"]


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "team", "category", "active", "user"]
    list_filter = ["unit", "category", "active"]
    search_fields = ["name", "user__username"]
    autocomplete_fields = ["user"]


class AgencyContactInline(admin.TabularInline):
    model = AgencyContact
    extra = 0


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "unit", "functional_mailbox", "active_from", "active_to"]
    list_filter = ["kind", "unit"]
    search_fields = ["code", "name"]
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


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    """People are searched by identity number only; names of protected people are masked in the list."""

    list_display = ["pk", "masked_personnummer", "masked_name", "protected_identity"]
    list_filter = ["protected_identity"]
    search_fields = ["=personnummer"]

    @admin.display(description=_("personal identity number"))
    def masked_personnummer(self, obj):
        return display_personnummer(obj, None)

    @admin.display(description=_("name"))
    def masked_name(self, obj):
        return display_name(obj, None)

    # The change form and the history show a person unmasked: like every other page, that is logged.
    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log_unmasked(request, object_id, "admin: person")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log_unmasked(request, object_id, "admin: person history")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._log_unmasked(request, object_id, "admin: person history")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _log_unmasked(self, request, object_id, context):
        person = Person.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if person is not None and request.method == "GET":
            log_unmasked_view(request.user, [person], context)


@admin.register(ProtectedIdentityAccess)
class ProtectedIdentityAccessAdmin(admin.ModelAdmin):
    """The access log is evidence: read-only."""

    list_display = ["accessed_at", "user", "person", "context"]
    list_filter = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
