"""The demo's one present: the seeds' 2012 laid on today's calendar.

The seeds describe 2012 (33 agencies, 600,000 payslips a year, 53.95 payroll FTE, the 2012 prices).
The demo lays that year on the current one: the demo year is the year of last month, its months
before the current month are loaded and closed in order, and the current month is open with work
in progress. Seed month m is the demo year's month m (2012-03 → this year's March); nothing is
dated after today. On 2 December 2026 the demo year is 2026 with January–November closed and
December open; in January the whole of last year is closed and January is open.

Every demo module asks this one place for the year, the months and today, so every page opens on
the same year.
"""

import datetime as dt

from django.utils import timezone

SEED_YEAR = 2012


def present() -> dt.date:
    """Today, as the demo sees it (the tests set it to lay the seed year on a fixed calendar)."""
    return timezone.localdate()


def year() -> int:
    """The demo year: the year of last month (this year, but in January last year)."""
    today = present()
    return today.year if today.month > 1 else today.year - 1


def months() -> list[int]:
    """The demo year's months before the current month: loaded in full and closed."""
    today = present()
    last = today.month - 1 if today.year == year() else 12
    return list(range(1, last + 1))


def periods() -> list[str]:
    return [period(m) for m in months()]


def period(month: int, *, offset: int = 0) -> str:
    """The demo year's month ``month`` as a period (``offset`` years on: -1 for the year before)."""
    return f"{year() + offset:04d}-{month:02d}"


def day(month: int, day_of_month: int, *, offset: int = 0) -> dt.date:
    """A date of the demo year (``offset`` years on); 29 February becomes the 28th in other years."""
    y = year() + offset
    try:
        return dt.date(y, month, day_of_month)
    except ValueError:
        return dt.date(y, month, 28)


def shifted(seed_day: dt.date) -> dt.date:
    """A date of the seeds' calendar (2012, or 2013 for what came after) laid on the demo's."""
    return day(seed_day.month, seed_day.day, offset=seed_day.year - SEED_YEAR)


def is_past(value: dt.date) -> bool:
    """Whether a date has come: nothing in the demo is dated after today."""
    return value <= present()


def is_closed_month(month: int) -> bool:
    return month in months()
