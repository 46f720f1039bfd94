"""Swedish working days: Monday to Friday, less Swedish public holidays and the
de facto holidays (Midsummer Eve, Christmas Eve, New Year's Eve) that the
``holidays`` package lists for Sweden."""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for(year: int) -> frozenset[dt.date]:
    # The package counts every Sunday as a holiday in Sweden; weekends are excluded anyway.
    days = holidays.country_holidays("SE", years=year, include_sundays=False, categories=("public", "de_facto"))
    return frozenset(days.keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_for(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``day`` (``day`` itself not counted)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n)))


def document_deadline(year: int, month: int) -> dt.date:
    """Documents for a pay period are due on the 8th, or the next working day after it."""
    return next_working_day(dt.date(year, month, 8))
