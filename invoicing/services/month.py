"""Pricing an agency's month: the one function the drafts, the close and a re-invoice use.

``price_month`` reads what each agency is invoiced for (``selectors.month_work``: every payment
once, pension cases, add-on hours), prices it with the pricing engine and returns the lines and the
specification an invoice for it carries. The close issues exactly this; a draft shows it.
"""

from dataclasses import dataclass, field

from customers.models import Agency
from pricing import services as pricing

from ..selectors import month_work


@dataclass(frozen=True)
class LineInput:
    """A priced line to put on an invoice (from the pricing engine), maybe late work of an earlier month."""

    line: pricing.PricedLine
    late_from_period: str = ""


def price_agency_month(*, agency: Agency, period: str, quantities: dict, late: dict | None = None) -> list[LineInput]:
    """Price an agency's month with the pricing engine. ``quantities`` are this month's
    item quantities; ``late`` maps an earlier period to the quantities of its late work."""
    lines = [
        LineInput(line) for line in _in_order(pricing.price_lines(agency=agency, period=period, quantities=quantities))
    ]
    for late_period, late_quantities in sorted((late or {}).items()):
        lines += [
            LineInput(line, late_from_period=late_period)
            for line in _in_order(pricing.price_lines(agency=agency, period=period, quantities=late_quantities))
        ]
    return lines


# Invoice lines follow the price list's order: payroll by channel, pension work, add-on hours.
LINE_ORDER = ["self_service", "lisa_tid", "manual", "agresso", "girovision", "pension_case", "addon_hour"]


def _in_order(lines):
    return sorted(
        lines,
        key=lambda line: (LINE_ORDER.index(line.item_code) if line.item_code in LINE_ORDER else 99, line.item_code),
    )


@dataclass
class AgencyMonth:
    """One agency's priced month: the invoice it gets, before a number is given."""

    agency: Agency
    period: str
    lines: list[LineInput]
    specification: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum((entry.line.amount for entry in self.lines if entry.line.quantity), start=0)


def price_month(*, period: str, agencies=None) -> list[AgencyMonth]:
    """Every agency with something to invoice in ``period`` (or those of ``agencies``), by code,
    priced with the pricing engine, with its specification."""
    agency_ids = None if agencies is None else [agency.pk for agency in agencies]
    work = month_work(period=period, agency_ids=agency_ids)
    priced = []
    for agency in Agency.objects.filter(pk__in=work).order_by("code"):
        month = work[agency.pk]
        lines = price_agency_month(agency=agency, period=period, quantities=month.quantities, late=month.late)
        specification = {"sources": month.sources, "cases": month.cases}
        priced.append(AgencyMonth(agency=agency, period=period, lines=lines, specification=specification))
    return priced
