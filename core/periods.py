"""Pay periods are calendar months written ``YYYY-MM``."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: \d also matches Arabic-Indic and full-width digits, which int() reads.
PERIOD_RE = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
PERIOD_REGEX = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


# Periods outside these years are typing or file errors (0000-01 is not even a date).
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _split(value: str) -> tuple[int, int]:
    """Year and month of a period written ``YYYY-MM`` (the format only: for arithmetic on periods)."""
    match = PERIOD_RE.match((value or "").strip())
    if not match or match.group(1) == "0000":
        raise ValidationError(_("Enter a period as YYYY-MM, e.g. 2012-03."), code="invalid_period")
    return int(match.group(1)), int(match.group(2))


def parse_period(value: str) -> tuple[int, int]:
    """Year and month of a period a user or a file gives: the format, and the year in range."""
    year, month = _split(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("%(value)s is out of range: the year must be between %(first)s and %(last)s."),
            code="period_out_of_range",
            params={"value": value.strip(), "first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return year, month


def validate_period(value: str) -> None:
    parse_period(value)


def is_period(value: str) -> bool:
    try:
        parse_period(value)
    except ValidationError:
        return False
    return True


def period_start(period: str) -> dt.date:
    year, month = _split(period)
    return dt.date(year, month, 1)


def period_end(period: str) -> dt.date:
    return period_start(next_period(period)) - dt.timedelta(days=1)


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def next_period(period: str) -> str:
    year, month = _split(period)
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def previous_period(period: str) -> str:
    year, month = _split(period)
    return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"


def periods_between(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last``, both included."""
    periods = []
    current = first
    while current <= last:
        periods.append(current)
        current = next_period(current)
    return periods


def tertial_of(period: str) -> int:
    """Tertials are Jan–Apr (1), May–Aug (2), Sep–Dec (3)."""
    _year, month = parse_period(period)
    return (month - 1) // 4 + 1


def tertial_periods(year: int, tertial: int) -> list[str]:
    first_month = (tertial - 1) * 4 + 1
    return [f"{year:04d}-{m:02d}" for m in range(first_month, first_month + 4)]


def current_period() -> str:
    from django.utils import timezone

    return period_of(timezone.localdate())
