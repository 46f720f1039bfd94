"""The agencies' records in the audit trail (see core.audit)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import AuditedModel

from .models import AddonAgreement, AddonHours, Agency, AgencyContact, ServiceAgreement


def _agencies_of(units):
    return Agency.objects.filter(unit__in=units).values("pk")


AUDITED = [
    AuditedModel(
        "agency",
        _("Agency"),
        Agency,
        lambda units: Q(unit_id__in=units.values("pk")) | Q(id__in=_agencies_of(units)),
        "customers:agency_detail",
        "customers.view_agency",
    ),
    AuditedModel(
        "agreement", _("Service agreement"), ServiceAgreement, lambda units: Q(agency_id__in=_agencies_of(units))
    ),
    AuditedModel(
        "addon_agreement",
        _("Add-on agreement"),
        AddonAgreement,
        lambda units: Q(agency_id__in=_agencies_of(units)),
        "customers:addon_detail",
        "customers.view_addonagreement",
    ),
    AuditedModel(
        "addon_hours",
        _("Add-on hours"),
        AddonHours,
        lambda units: Q(agreement_id__in=AddonAgreement.objects.filter(agency__unit__in=units).values("pk")),
    ),
    AuditedModel("contact", _("Contact person"), AgencyContact, lambda units: Q(agency_id__in=_agencies_of(units))),
]
