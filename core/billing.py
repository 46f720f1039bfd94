"""The billing calendar: a month's work is invoiced in its own billing period until the monthly
close has closed it, and from then on in the first open period after it.

The month lock: the close of a month holds the month's lock exclusively from the moment it reads
the month's work until the month is closed (``lock_month``), and every write that bills work to
a month takes the same lock shared (``billing_period_for_write``), in the writer's transaction.
So a payslip import, a completed case, a decision or add-on hours written while the month is
being closed waits for the close and is then billed to the next open month; one written just
before the close is committed before the close reads the month. Nothing billed to a month is
left out of its invoices. On PostgreSQL these are advisory transaction locks; SQLite has one
writer at a time (``transaction_mode=IMMEDIATE``), which serialises the same way.
"""

import zlib

from django.db import connection

from .models import ClosedPeriod
from .periods import next_period

LOCK_CLASS = 4242


def month_lock_key(period: str) -> int:
    return zlib.crc32(f"reporting.close:{period}".encode()) & 0x7FFFFFFF


def lock_month(period: str, *, shared: bool = False) -> None:
    """Take the month's billing lock until the current transaction ends: exclusively for the close
    of ``period``, shared for a write that bills work to it (PostgreSQL; SQLite has one writer)."""
    if not connection.in_atomic_block:
        raise RuntimeError("the month lock is held to the end of a transaction: take it inside one")
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s, %s)", [LOCK_CLASS, month_lock_key(period)])


def billing_period_for_write(period: str) -> str:
    """``open_billing_period(period)`` for a write that bills work to it, under the month lock:
    call it inside the transaction that writes the billing period. A month being closed is
    waited for, and a closed one skipped."""
    while True:
        lock_month(period, shared=True)
        if not ClosedPeriod.objects.filter(period=period).exists():
            return period
        period = next_period(period)


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
