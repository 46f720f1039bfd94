"""Amounts and figures in the user's language: ``{% load formatting %}``."""

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def sek(value, places=2):
    """An amount in SEK with the locale's grouping and decimals: ``1 376,00 kr`` in Swedish (``places=0``: kronor)."""
    if value is None or value == "":
        return ""
    return formats.number_format(Decimal(value), int(places), use_l10n=True, force_grouping=True) + "\xa0kr"


@register.filter
def number(value, places=0):
    """A number with the locale's grouping, e.g. 12 345 or 950,5."""
    if value is None or value == "":
        return "–"
    return formats.number_format(value, int(places), use_l10n=True, force_grouping=True)


@register.inclusion_tag("core/includes/cell.html")
def cell(kind, value):
    """One report cell, formatted by its column kind."""
    return {"kind": kind, "value": value}
