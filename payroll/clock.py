"""The deadline and lead-time clock of a payroll case, in Swedish working days.

- Documents for a pay period must be in by the 8th of the period's month, moved to
  the next working day when the 8th is a weekend or a Swedish public holiday
  (``core.workdays.document_deadline``). A document that reaches us after
  that day — first arrival or the completed document after a return — is late.
- The lead time comes from the agency's service agreement ("working days after the
  document deadline within which the case is handled"): the clock starts on the
  deadline, or on the day the document arrived when that is later.
- The clock stops while the case is returned to the agency: the working days after
  the return up to and including the day the completed document arrives do not count.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from core.periods import parse_period, period_start
from core.workdays import add_working_days, document_deadline, working_days_between

DEFAULT_LEAD_TIME_DAYS = 5  # the service agreement's default, used when an agency has none
DUE_SOON_WORKING_DAYS = 2


def period_deadline(period: str) -> dt.date:
    """The last day documents for ``period`` may arrive to be paid that month."""
    year, month = parse_period(period)
    return document_deadline(year, month)


def next_deadline_after(day: dt.date) -> dt.date:
    """The first document deadline (8th or next working day) on or after ``day``."""
    deadline = document_deadline(day.year, day.month)
    if deadline >= day:
        return deadline
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return document_deadline(year, month)


def is_late(period: str, arrived_on: dt.date) -> bool:
    return arrived_on > period_deadline(period)


def clock_start(period: str, received_on: dt.date) -> dt.date:
    return max(received_on, period_deadline(period))


def lead_time_for(agency, period: str) -> int:
    """Working days promised in the agency's service agreement in force at the period's start."""
    from customers.models import ServiceAgreement

    start = period_start(period)
    agreement = (
        ServiceAgreement.objects.filter(agency=agency, valid_from__lte=start, valid_to__gte=start)
        .order_by("-year")
        .first()
    )
    return agreement.lead_time_days if agreement else DEFAULT_LEAD_TIME_DAYS


def due_date(*, period: str, received_on: dt.date, lead_time_days: int, paused_days: int = 0) -> dt.date:
    return add_working_days(clock_start(period, received_on), lead_time_days + paused_days)


def paused_between(*, period: str, received_on: dt.date, returned_on: dt.date, arrived_on: dt.date) -> int:
    """Working days a return stopped the clock (none of them before the clock started)."""
    start = clock_start(period, received_on)
    return working_days_between(max(returned_on, start), max(arrived_on, start))


@dataclass(frozen=True)
class Clock:
    start: dt.date
    lead_time_days: int
    used: int
    left: int  # negative: overdue by that many working days
    due_on: dt.date | None  # None while the clock is stopped
    stopped: bool  # returned to the agency
    finished: bool  # completed or cancelled

    @property
    def overdue(self) -> bool:
        return self.left < 0

    @property
    def overdue_by(self) -> int:
        return max(-self.left, 0)


def case_clock(case, today: dt.date | None = None) -> Clock | None:
    """Time used and time left of a case registered from a document (imported cases have none)."""
    if case.received_on is None or case.lead_time_days is None:
        return None
    today = today or timezone.localdate()
    start = clock_start(case.period, case.received_on)
    finished = case.closed_on is not None
    end = case.closed_on or today
    used = working_days_between(start, end) - case.paused_days
    stopped = case.status == "returned" and case.clock_stopped_on is not None
    if stopped:
        used -= working_days_between(max(case.clock_stopped_on, start), max(end, start))
    used = max(used, 0)
    due_on = None if stopped else add_working_days(start, case.lead_time_days + case.paused_days)
    return Clock(
        start=start,
        lead_time_days=case.lead_time_days,
        used=used,
        left=case.lead_time_days - used,
        due_on=due_on,
        stopped=stopped,
        finished=finished,
    )
