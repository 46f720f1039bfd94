"""Reads of invoices, and what the monthly close invoices: the month's quantities per agency."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from core.periods import period_end, period_start
from customers.models import Agency
from customers.selectors import agencies_for, billable_addon_hours
from organisation.selectors import VIEW_ALL_UNITS
from payroll import billing as payroll_billing
from payroll.models import PayrollCase
from pensions import selectors as pensions

from .models import Invoice, InvoiceDispute


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


SOURCE_PENSION_CASES = "pension_cases"
SOURCE_ADDON_HOURS = "addon_hours"


@dataclass
class MonthWork:
    """What one agency is invoiced for in a billing period, and where each quantity came from."""

    quantities: dict = field(default_factory=dict)  # this month's quantities by item code
    late: dict = field(default_factory=dict)  # {earlier pay period: {item code: quantity}}
    # The specification: one row per item, pay period and source ("payslip_file", "registered_case",
    # "pension_cases", "addon_hours") with its quantity (a decimal string, kept as JSON); and the
    # registered cases behind the manual, Agresso and Girovision lines.
    sources: list = field(default_factory=list)
    cases: list = field(default_factory=list)


def month_work(*, period: str, agency_ids=None) -> dict[int, MonthWork]:
    """What each agency is invoiced for in billing period ``period`` (the drafts and the close
    read this one function): every payment once (``payroll.billing``), decided pension cases and
    add-on hours; one GROUP BY per source, whatever the number of agencies."""
    result: dict[int, MonthWork] = defaultdict(MonthWork)
    for row in payroll_billing.billed_payments(billing_period=period, agency_ids=agency_ids):
        work = result[row.agency_id]
        target = work.late.setdefault(row.period, {}) if row.period < period else work.quantities
        target[row.channel] = target.get(row.channel, 0) + row.count
        work.sources.append(
            {"item_code": row.channel, "period": row.period, "source": row.source, "quantity": str(row.count)}
        )
    others = (
        (SOURCE_PENSION_CASES, pensions.billable_counts(billing_period=period)),
        (SOURCE_ADDON_HOURS, billable_addon_hours(period=period)),
    )
    for source, counts in others:
        for agency_id, items in counts.items():
            if agency_ids is not None and agency_id not in agency_ids:
                continue
            for code, quantity in items.items():
                if quantity:
                    work = result[agency_id]
                    work.quantities[code] = work.quantities.get(code, 0) + quantity
                    row = {"item_code": code, "period": period, "source": source, "quantity": str(quantity)}
                    work.sources.append(row)
    for case in payroll_billing.cases_behind_lines(billing_period=period, agency_ids=agency_ids):
        if case["agency_id"] in result:
            result[case["agency_id"]].cases.append({key: value for key, value in case.items() if key != "agency_id"})
    result = within_customer_life(result, period=period)
    return {agency_id: work for agency_id, work in result.items() if work.quantities or work.late}


def within_customer_life(result: dict[int, MonthWork], *, period: str) -> dict[int, MonthWork]:
    """A deactivated agency is invoiced for the work of the months up to and including the month
    of its last day, also when that work is billed later (late lines); nothing of a month after
    it. Work of billing period ``period`` is its month's (payroll cases by pay period, pension
    decisions by decision month, add-on hours as billed); late payroll work by its pay period."""
    ended = dict(Agency.objects.filter(pk__in=result, active_to__isnull=False).values_list("pk", "active_to"))
    for agency_id, last_day in ended.items():
        work = result[agency_id]
        if period_start(period) > last_day:
            work.quantities = {}
        work.late = {p: q for p, q in work.late.items() if period_start(p) <= last_day}
        kept = set(work.late) | ({period} if work.quantities else set())
        work.sources = [row for row in work.sources if row["period"] in kept]
        work.cases = [case for case in work.cases if case.get("period", period) in kept]
    return result


def month_quantities(*, period: str) -> dict[int, tuple[dict, dict]]:
    """{agency_id: (this month's quantities by item code, {earlier period: late quantities})}."""
    return {agency_id: (work.quantities, work.late) for agency_id, work in month_work(period=period).items()}


# --- before the close ---------------------------------------------------------------------------


def agencies_missing_payslip_file(*, period: str, agencies=None) -> QuerySet[Agency]:
    """Agencies active in ``period`` for which no payslip file line of the month is imported."""
    start, end = period_start(period), period_end(period)
    lines = PayrollCase.objects.filter(agency_id=OuterRef("pk"), period=period, source=PayrollCase.Source.IMPORT)
    qs = (agencies if agencies is not None else Agency.objects.all()).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=end), Q(active_to__isnull=True) | Q(active_to__gte=start)
    )
    return qs.filter(~Exists(lines)).select_related("unit").order_by("code")


def agencies_with_unfinished_cases(*, period: str, agencies=None) -> list[tuple[Agency, int]]:
    """Agencies with payroll cases of ``period`` or earlier that are not finished (received,
    registered, returned), with their number: their payments are not invoiced until completed."""
    qs = PayrollCase.objects.filter(period__lte=period, status__in=PayrollCase.OPEN_STATUSES)
    if agencies is not None:
        qs = qs.filter(agency__in=agencies)
    counts = dict(qs.values("agency_id").annotate(n=Count("id")).values_list("agency_id", "n").order_by())
    return [(agency, counts[agency.pk]) for agency in Agency.objects.filter(pk__in=counts).order_by("code")]


def cases_waiting_for_their_payslip_line(*, period: str, agencies=None) -> list[tuple[Agency, int]]:
    """Agencies with completed manual or Agresso cases of ``period`` that no payslip line carries
    yet (``payroll.billing``): they are invoiced when the line comes."""
    qs = payroll_billing.registered_cases_without_payslip_line(period=period)
    if agencies is not None:
        qs = qs.filter(agency__in=agencies)
    counts = dict(qs.values("agency_id").annotate(n=Count("id")).values_list("agency_id", "n").order_by())
    return [(agency, counts[agency.pk]) for agency in Agency.objects.filter(pk__in=counts).order_by("code")]


def disputes_for(user, *, open_only: bool = True) -> QuerySet[InvoiceDispute]:
    """Disputes of the invoices of the agencies ``user`` may see; the open ones oldest first (the
    order they are answered in), else all newest first."""
    disputes = InvoiceDispute.objects.filter(invoice__agency__in=agencies_for(user)).select_related(
        "invoice", "line", "complaint__sender", "credit_note", "answered_by"
    )
    if open_only:
        return disputes.filter(outcome=InvoiceDispute.Outcome.OPEN).order_by("created_at", "id")
    return disputes.order_by("-created_at", "-id")


def dispute_for(user, pk) -> InvoiceDispute:
    return get_object_or_404(disputes_for(user, open_only=False), pk=pk)
