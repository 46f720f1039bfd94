"""Reads of invoices, and what the monthly close invoices: the month's quantities per agency."""

from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from core.periods import period_start
from customers.models import Agency
from customers.selectors import agencies_for, billable_addon_hours
from organisation.selectors import VIEW_ALL_UNITS
from payroll import selectors as payroll
from pensions import selectors as pensions

from .models import Invoice


def invoices_for(user) -> QuerySet[Invoice]:
    """Invoices and credit notes of the agencies ``user`` may see."""
    qs = Invoice.objects.select_related("agency", "unit", "credited_invoice")
    if not user.has_perm(VIEW_ALL_UNITS):
        qs = qs.filter(agency__in=agencies_for(user))
    return qs.annotate(has_credit_note=Count("credit_note"))


def invoiced_revenue(*, periods: list[str], unit_ids=None) -> dict[str, Decimal]:
    """Net invoiced amount (invoices less credit notes) per period."""
    qs = Invoice.objects.filter(period__in=periods)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    rows = qs.values("period").annotate(amount=Sum("total")).order_by()
    return {row["period"]: row["amount"] or Decimal("0.00") for row in rows}


def invoiced_periods() -> list[str]:
    """Periods that have invoices, newest first."""
    return list(Invoice.objects.order_by("-period").values_list("period", flat=True).distinct())


def month_quantities(*, period: str) -> dict[int, tuple[dict, dict]]:
    """What each agency is invoiced for in billing period ``period``:
    {agency_id: (this month's quantities by item code, {earlier period: late quantities})}.
    One GROUP BY per source (payroll cases, decided pension cases, add-on hours), whatever
    the number of agencies."""
    result: dict[int, tuple[dict, dict]] = {}

    def month_of(agency_id):
        return result.setdefault(agency_id, ({}, {}))

    late_payroll = payroll.late_billable_counts(billing_period=period)
    for agency_id, channels in payroll.billable_counts(billing_period=period).items():
        quantities, late = month_of(agency_id)
        for channel, count in channels.items():
            late_count = sum(by_channel.get(channel, 0) for by_channel in late_payroll.get(agency_id, {}).values())
            if count - late_count:
                quantities[channel] = quantities.get(channel, 0) + count - late_count
        for late_period, by_channel in late_payroll.get(agency_id, {}).items():
            late.setdefault(late_period, {}).update({c: n for c, n in by_channel.items() if n})
    sources = (pensions.billable_counts(billing_period=period), billable_addon_hours(period=period))
    for counts in sources:
        for agency_id, items in counts.items():
            quantities, _late = month_of(agency_id)
            for code, quantity in items.items():
                if quantity:
                    quantities[code] = quantities.get(code, 0) + quantity
    result = within_customer_life(result, period=period)
    return {agency_id: value for agency_id, value in result.items() if value[0] or value[1]}


def within_customer_life(result: dict[int, tuple[dict, dict]], *, period: str) -> dict[int, tuple[dict, dict]]:
    """A deactivated agency is invoiced for the work of the months up to and including the month
    of its last day, also when that work is billed later (late lines); nothing of a month after
    it. Work of billing period ``period`` is its month's (payroll cases by pay period, pension
    decisions by decision month, add-on hours as billed); late payroll work by its pay period."""
    ended = dict(Agency.objects.filter(pk__in=result, active_to__isnull=False).values_list("pk", "active_to"))
    for agency_id, last_day in ended.items():
        this_month, late = result[agency_id]
        if period_start(period) > last_day:
            this_month = {}
        late = {p: q for p, q in late.items() if period_start(p) <= last_day}
        result[agency_id] = (this_month, late)
    return result
