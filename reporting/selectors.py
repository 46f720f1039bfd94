"""Reads shared by reporting's pages, reports, dashboards and the close.

Figures owned by other apps are read through their selectors. When an app
does not offer a figure (yet), ``source()`` answers NO_DATA and the page
shows "no data" instead of a made-up number.
"""

import importlib
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from customers.selectors import agencies_for, units_for

from .models import AggregatedPeriod, Invoice, MonthlyVolume

VIEW_ALL_UNITS = "customers.view_all_units"


class _NoData:
    def __bool__(self):
        return False

    def __repr__(self):
        return "NO_DATA"


NO_DATA = _NoData()


def source(dotted: str, **kwargs):
    """Call another app's selector ``app.selectors.name``; NO_DATA when it does not exist yet."""
    module_name, name = dotted.rsplit(".", 1)
    try:
        function = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return NO_DATA
    if not callable(function):
        return NO_DATA
    try:
        return function(**kwargs)
    except NotImplementedError:
        return NO_DATA


def has_source(dotted: str) -> bool:
    module_name, name = dotted.rsplit(".", 1)
    try:
        return callable(getattr(importlib.import_module(module_name), name, None))
    except ImportError:
        return False


# --- invoices -----------------------------------------------------------------------------


def invoices_for(user) -> QuerySet[Invoice]:
    """Invoices and credit notes of the agencies ``user`` may see."""
    qs = Invoice.objects.select_related("agency", "unit", "credited_invoice")
    if not user.has_perm(VIEW_ALL_UNITS):
        qs = qs.filter(agency__in=agencies_for(user))
    return qs.annotate(has_credit_note=Count("credit_note"))


def agency_invoices(*, agency, user, limit: int = 24) -> list[Invoice]:
    """An agency's latest invoices and credit notes, for the agency's own page."""
    if not user.has_perm("reporting.view_invoice"):
        return []
    return list(invoices_for(user).filter(agency=agency).order_by("-invoice_date", "-sequence")[:limit])


def invoiced_revenue(*, periods: list[str], unit_ids=None) -> dict[str, Decimal]:
    """Net invoiced amount (invoices less credit notes) per period."""
    qs = Invoice.objects.filter(period__in=periods)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    rows = qs.values("period").annotate(amount=Sum("total")).order_by()
    return {row["period"]: row["amount"] or Decimal("0.00") for row in rows}


def period_invoices(*, period: str) -> QuerySet[Invoice]:
    return Invoice.objects.filter(period=period).select_related("agency").prefetch_related("lines")


# --- sources of the close -----------------------------------------------------------------


def payroll_billable_counts(*, billing_period: str) -> dict[int, dict[str, int]]:
    from payroll.selectors import billable_counts

    return billable_counts(billing_period=billing_period)


def late_payroll_counts(*, billing_period: str) -> dict[int, dict[str, dict[str, int]]]:
    """Completed cases of earlier (closed) pay periods invoiced in ``billing_period``:
    {agency_id: {pay period: {channel: count}}}; they are marked as late work on the invoice."""
    result = source("payroll.selectors.late_billable_counts", billing_period=billing_period)
    if result is not NO_DATA:
        return result
    from payroll.models import PayrollCase

    counts: dict = defaultdict(lambda: defaultdict(dict))
    rows = (
        PayrollCase.objects.filter(
            billing_period=billing_period, status=PayrollCase.Status.COMPLETED, period__lt=billing_period
        )
        .values("agency_id", "period", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["agency_id"]][row["period"]][row["channel"]] = row["n"]
    return {agency: dict(periods) for agency, periods in counts.items()}


def pension_billable_counts(*, period: str) -> dict[int, dict[str, int]]:
    result = source("pensions.selectors.billable_counts", billing_period=period)
    return result or {}


def addon_hours(*, period: str) -> dict[int, dict[str, Decimal]]:
    """Add-on hours per agency and price-list item in ``period`` (customers' selector)."""
    result = source("customers.selectors.billable_addon_hours", period=period)
    if result is not NO_DATA:
        return result
    # Until customers offers the selector: the registered hours, one GROUP BY.
    from customers.models import AddonHours

    hours: dict = defaultdict(dict)
    rows = (
        AddonHours.objects.filter(billing_period=period)
        .values("agreement__agency_id", "agreement__item_code")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    for row in rows:
        hours[row["agreement__agency_id"]][row["agreement__item_code"]] = row["hours"]
    return dict(hours)


# --- volumes ------------------------------------------------------------------------------

MACHINE_CHANNELS = ("self_service", "lisa_tid")


def volume_rows(*, periods: list[str], unit_ids=None, group_by=("period", "channel")) -> list[dict]:
    """Payslips summed by ``group_by`` (any of period, agency_id, unit_id, channel).

    Months refreshed by the close come from the MonthlyVolume aggregate (one GROUP BY);
    the others (the running month) are counted live from the cases (one GROUP BY)."""
    from .services.aggregates import live_payslip_counts

    periods = list(periods)
    aggregated = set(AggregatedPeriod.objects.filter(period__in=periods).values_list("period", flat=True))
    merged: dict[tuple, int] = defaultdict(int)
    if aggregated:
        qs = MonthlyVolume.objects.filter(period__in=aggregated)
        if unit_ids is not None:
            qs = qs.filter(unit_id__in=unit_ids)
        for row in qs.values(*group_by).annotate(n=Sum("payslips")).order_by():
            merged[tuple(row[f] for f in group_by)] += row["n"]
    live = [p for p in periods if p not in aggregated]
    if live:
        for row in live_payslip_counts(periods=live, unit_ids=unit_ids, group_by=group_by):
            merged[tuple(row[f] for f in group_by)] += row["payslips"]
    return [dict(zip(group_by, key, strict=True)) | {"payslips": n} for key, n in merged.items()]


def payslips_by_unit(*, periods: list[str]) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for row in volume_rows(periods=periods, group_by=("unit_id",)):
        totals[row["unit_id"]] += row["payslips"]
    return dict(totals)


def scoped_unit_ids(user) -> list[int] | None:
    """None for users who see the whole service; else the ids of their units."""
    if user.has_perm(VIEW_ALL_UNITS):
        return None
    return list(units_for(user).values_list("id", flat=True))


def invoiced_periods() -> list[str]:
    """Periods that have invoices, newest first."""
    return list(Invoice.objects.order_by("-period").values_list("period", flat=True).distinct())


def closed_periods() -> list[str]:
    from pricing.models import ClosedPeriod

    return list(ClosedPeriod.objects.order_by("-period").values_list("period", flat=True))


def latest_closed_period() -> str | None:
    periods = closed_periods()
    return periods[0] if periods else None


def dashboard_units(user):
    """The units whose dashboard ``user`` may open (all with view_all_units, else their own)."""
    return units_for(user).order_by("code")
