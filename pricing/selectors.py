"""Reads about prices and billing periods shared by the apps above pricing."""

from lonservice.periods import next_period

from .models import ClosedPeriod


def is_period_closed(period: str) -> bool:
    return ClosedPeriod.objects.filter(period=period).exists()


def open_billing_period(period: str) -> str:
    """The period in which work of ``period`` is invoiced: itself, or the first open period after it."""
    closed = set(ClosedPeriod.objects.filter(period__gte=period).values_list("period", flat=True))
    while period in closed:
        period = next_period(period)
    return period
