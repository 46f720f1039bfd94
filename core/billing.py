"""The billing calendar: a month's work is invoiced in its own billing period until the monthly
close has closed it, and from then on in the first open period after it."""

from .models import ClosedPeriod
from .periods import next_period


def is_period_closed(period: str) -> bool:
    return ClosedPeriod.objects.filter(period=period).exists()


def open_billing_period(period: str) -> str:
    """The period in which work of ``period`` is invoiced: itself, or the first open period after it."""
    closed = set(ClosedPeriod.objects.filter(period__gte=period).values_list("period", flat=True))
    while period in closed:
        period = next_period(period)
    return period


def closed_periods() -> list[str]:
    """Closed billing periods, newest first."""
    return list(ClosedPeriod.objects.order_by("-period").values_list("period", flat=True))


def latest_closed_period() -> str | None:
    return ClosedPeriod.objects.order_by("-period").values_list("period", flat=True).first()
