"""Reads of payroll cases shared by pages, reports and the monthly close."""

from collections import defaultdict

from django.db.models import Count

from .models import PayrollCase


def billable_counts(*, billing_period: str) -> dict[int, dict[str, int]]:
    """Completed payroll cases per agency id and channel invoiced in ``billing_period``."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        PayrollCase.objects.filter(billing_period=billing_period, status=PayrollCase.Status.COMPLETED)
        .values("agency_id", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["agency_id"]][row["channel"]] = row["n"]
    return dict(counts)
