"""Months close in order: which months must be closed before a month (the reads; the close's
``services.close`` refuses or closes them in order).

A month is closed only when every earlier month with work is closed.

The first month of the billing calendar is the earliest month with invoiceable work (a completed
payroll case, a decided pension case, add-on hours) or already closed. Every month from there up to
the one asked for must be closed before it, months with nothing to invoice too (they are closed
without invoices). The close refuses a month with unclosed earlier months, with their list; on
request (``in_order``) it closes them first, oldest first, one close job per month, and stops at
the first that fails.

``services.close.close_months_in_order(up_to=...)`` is the service for everything that closes a
run of months at once (the demo's history, a catch-up from the command line).
"""

from django.db.models import Min

from core.models import ClosedPeriod
from core.periods import periods_between, previous_period
from customers.models import AddonHours
from payroll.models import PayrollCase
from pensions.models import PensionCase

from ..models import Invoice


def first_billing_period() -> str | None:
    """The first month of the billing calendar: the earliest with invoiceable work or closed."""
    candidates = [
        ClosedPeriod.objects.aggregate(first=Min("period"))["first"],
        Invoice.objects.aggregate(first=Min("period"))["first"],
        PayrollCase.objects.filter(status=PayrollCase.Status.COMPLETED).aggregate(first=Min("billing_period"))["first"],
        PensionCase.objects.exclude(decision="").aggregate(first=Min("billing_period"))["first"],
        AddonHours.objects.aggregate(first=Min("billing_period"))["first"],
    ]
    found = [period for period in candidates if period]
    return min(found) if found else None


def unclosed_months_before(period: str) -> list[str]:
    """The months before ``period`` that must be closed first, oldest first."""
    first = first_billing_period()
    if first is None or first >= period:
        return []
    months = periods_between(first, previous_period(period))
    closed = set(ClosedPeriod.objects.filter(period__in=months).values_list("period", flat=True))
    return [month for month in months if month not in closed]


def describe_months(months: list[str]) -> str:
    """2012-01, 2012-02, 2012-03, 2012-05 → "2012-01 – 2012-03, 2012-05" (consecutive months as a range)."""
    runs: list[list[str]] = []
    for month in months:
        if runs and previous_period(month) == runs[-1][-1]:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]} – {run[-1]}" for run in runs)
