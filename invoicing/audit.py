"""Issued invoices in the audit trail (see core.audit). An invoice is never changed, so its own
row — issued by whom, when, why, which invoice it credits — is its record."""

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.audit import AuditedModel

from .models import Invoice


def describe_invoices(ids: list[int]) -> dict[int, tuple[str, list[tuple[str, str]]]]:
    """Each invoice's number and what it was issued with."""
    result = {}
    for invoice in Invoice.objects.filter(pk__in=ids).select_related("credited_invoice"):
        values = [
            (_("kind"), invoice.get_kind_display()),
            (_("agency"), f"{invoice.agency_code} {invoice.agency_name}"),
            (_("period"), invoice.period),
            (_("total (SEK)"), number_format(invoice.total, 2, use_l10n=True, force_grouping=True)),
        ]
        if invoice.credited_invoice_id:
            values.append((_("credits invoice"), invoice.credited_invoice.number))
        if invoice.reason:
            values.append((_("reason"), invoice.reason))
        result[invoice.pk] = (invoice.number, [(str(name), str(value)) for name, value in values])
    return result


AUDITED = [
    AuditedModel(
        "invoice",
        _("Invoice"),
        Invoice,
        lambda units: Q(unit_id__in=units.values("pk")),
        "invoicing:invoice_detail",
        "invoicing.view_invoice",
        history=False,
        event_at="issued_at",
        event_by="issued_by_id",
        describe=describe_invoices,
    ),
]
