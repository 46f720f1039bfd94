"""Money, figures and the agency's invoice list for templates: ``{% load reporting_tags %}``."""

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def sek(value):
    """An amount in SEK with the locale's grouping and decimals: ``1 376,00 kr`` in Swedish."""
    if value is None or value == "":
        return ""
    return formats.number_format(Decimal(value), 2, use_l10n=True, force_grouping=True) + "\xa0kr"


@register.filter
def number(value, places=0):
    """A number with the locale's grouping, e.g. 12 345 or 950,5."""
    if value is None or value == "":
        return "–"
    return formats.number_format(value, int(places), use_l10n=True, force_grouping=True)


@register.inclusion_tag("reporting/includes/cell.html")
def cell(kind, value):
    """One report cell, formatted by its column kind."""
    return {"kind": kind, "value": value}


@register.inclusion_tag("reporting/includes/agency_invoices.html", takes_context=True)
def agency_invoices(context, agency, limit=12):
    """The agency's latest invoices, for the agency's page; nothing for users who may not see invoices.

    Usage in customers' agency detail template: ``{% load reporting_tags %}{% agency_invoices agency %}``.
    """
    from reporting.selectors import agency_invoices as select

    user = context["request"].user
    return {
        "invoices": select(agency=agency, user=user, limit=limit),
        "agency": agency,
        "shown": user.has_perm("reporting.view_invoice"),
    }


@register.inclusion_tag("reporting/includes/figure.html")
def figure(value):
    """A figure from another app's selector: a number, a mapping or a list of rows; "no data" when missing."""
    from reporting.selectors import NO_DATA

    kind = "none"
    if value is NO_DATA or value is None:
        kind = "none"
    elif isinstance(value, dict):
        kind = "dict"
    elif isinstance(value, list | tuple):
        kind = "rows" if value and isinstance(value[0], dict) else "list"
    else:
        kind = "scalar"
    rows = value if kind == "rows" else None
    header = list(rows[0].keys()) if rows else []
    return {"kind": kind, "value": value, "header": header, "rows": [[r.get(h) for h in header] for r in rows or []]}
