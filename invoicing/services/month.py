"""Pricing an agency's month: the one function the drafts, the close and a re-invoice use.

``price_month`` reads what each agency is invoiced for (``selectors.month_work``: every payment
once, pension cases, add-on hours), prices it with the pricing engine and returns the lines and the
specification an invoice for it carries. The close issues exactly this; a draft shows it.
"""

from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext as _

from core.periods import period_end, period_start
from customers.models import Agency
from customers.selectors import billable_addon_hours
from pricing import services as pricing

from ..selectors import MonthWork, month_work


@dataclass(frozen=True)
class LineInput:
    """A priced line to put on an invoice (from the pricing engine), maybe late work of an earlier month."""

    line: pricing.PricedLine
    late_from_period: str = ""


def price_agency_month(
    *, agency: Agency, period: str, quantities: dict, late: dict | None = None, price_list=None
) -> list[LineInput]:
    """Price an agency's month with the pricing engine. ``quantities`` are this month's
    item quantities; ``late`` maps an earlier period to the quantities of its late work;
    ``price_list`` another list than the one in force (a reissue's). The agency's fixed monthly
    amounts come with the month's own lines, never with late work."""
    price = partial(pricing.price_lines, agency=agency, period=period, price_list=price_list)
    lines = [LineInput(line) for line in _in_order(price(quantities=quantities))]
    for late_period, late_quantities in sorted((late or {}).items()):
        late_lines = price(quantities=late_quantities, fixed_monthly=False)
        lines += [LineInput(line, late_from_period=late_period) for line in _in_order(late_lines)]
    return lines


class UnpricedAddon(Exception):
    pass


# The units of a price-list item priced by the hour.
HOURLY_UNITS = {"timme", "timmar", "tim", "h", "hour", "hours"}


def check_addon_items(*, agency, period: str, price_list=None, hours: dict | None = None) -> None:
    """Add-on hours are invoiced only at hourly items of the price list (a unit of hours, never a
    payslip or pension-case item). ``hours`` is ``billable_addon_hours(period=period)`` when the
    caller has read it already (the close prices every agency with one reading)."""
    if hours is None:
        hours = billable_addon_hours(period=period)
    codes = set(hours.get(agency.pk, {}))
    if not codes:
        return
    price_list = price_list or pricing.price_list_in_force(period)
    units = dict(price_list.items.filter(item_code__in=codes).values_list("item_code", "unit"))
    for code in sorted(codes):
        if units.get(code, "").strip().lower() not in HOURLY_UNITS:
            raise UnpricedAddon(
                _(
                    "an add-on agreement invoices hours at %(code)s, which is not an hourly item of the "
                    "price list %(list)s; correct the agreement, then issue the invoice"
                )
                % {"code": code, "list": price_list}
            )


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
    held_reason: str = ""  # why it cannot be priced (the close holds it); empty when priced

    @property
    def total(self):
        return sum((entry.line.amount for entry in self.lines if entry.line.quantity), start=0)


def _agencies_with_fixed_monthly(*, period: str, agency_ids, price_list) -> set[int]:
    """Agencies active in ``period`` that the list (in force, or ``price_list``) charges a fixed
    monthly amount: they are invoiced also in a month without work."""
    try:
        price_list = price_list or pricing.price_list_in_force(period)
    except pricing.NoPriceList:
        return set()
    ids = pricing.agencies_with_fixed_monthly(price_list)
    if agency_ids is not None:
        ids &= set(agency_ids)
    start, end = period_start(period), period_end(period)
    active = Agency.objects.filter(pk__in=ids).exclude(active_to__lt=start).exclude(active_from__gt=end)
    return set(active.values_list("pk", flat=True))


def price_month(*, period: str, agencies=None, price_list=None) -> list[AgencyMonth]:
    """Every agency with something to invoice in ``period`` (or those of ``agencies``), by code,
    priced with the pricing engine (or ``price_list``), with its specification. An agency whose month
    cannot be priced (an add-on agreement at an item that is not an hourly item of the list, an item
    the list lacks, no list) comes with no lines and the reason in ``held_reason``.

    What is the same for every agency (the list in force, the month's add-on hours) is read once,
    not once an agency: the close of 330 agencies made a query of each per agency."""
    agency_ids = None if agencies is None else [agency.pk for agency in agencies]
    work = month_work(period=period, agency_ids=agency_ids)
    fixed = _agencies_with_fixed_monthly(period=period, agency_ids=agency_ids, price_list=price_list)
    no_list = None
    if price_list is None:
        try:
            price_list = pricing.price_list_in_force(period)
        except pricing.NoPriceList as exc:
            no_list = exc
    hours = billable_addon_hours(period=period)
    priced = []
    for agency in Agency.objects.filter(pk__in=set(work) | fixed).order_by("code"):
        month = work.get(agency.pk) or MonthWork()
        specification = {"sources": month.sources, "cases": month.cases}
        if no_list is not None:
            priced.append(AgencyMonth(agency, period, [], specification, held_reason=str(no_list)))
            continue
        try:
            check_addon_items(agency=agency, period=period, price_list=price_list, hours=hours)
            lines = price_agency_month(
                agency=agency, period=period, quantities=month.quantities, late=month.late, price_list=price_list
            )
        except (pricing.NoPriceList, pricing.UnknownPriceItem, UnpricedAddon) as exc:
            priced.append(AgencyMonth(agency, period, [], specification, held_reason=str(exc)))
            continue
        priced.append(AgencyMonth(agency=agency, period=period, lines=lines, specification=specification))
    return priced
