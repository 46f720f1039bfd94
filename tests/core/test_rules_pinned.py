"""Rules of the ground floor pinned by mutation testing (`make mutation`, bench/mutation.md): each test
fails when the rule it is named for breaks."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core import periods, workdays


def test_counting_working_days_forward_visits_every_day():
    # Monday 5 March 2012: three working days on is Thursday the 8th, not a day further.
    assert workdays.add_working_days(dt.date(2012, 3, 5), 3) == dt.date(2012, 3, 8)


def test_counting_working_days_backwards_skips_christmas_and_the_weekend():
    # Two working days before Thursday 27 December 2012: Friday the 21st, then Thursday the 20th
    # (24-26 December are holidays, 22-23 a weekend).
    assert workdays.add_working_days(dt.date(2012, 12, 27), -2) == dt.date(2012, 12, 20)
    assert workdays.add_working_days(dt.date(2012, 12, 27), -1) == dt.date(2012, 12, 21)


def test_zero_working_days_on_is_the_day_itself():
    assert workdays.add_working_days(dt.date(2012, 12, 24), 0) == dt.date(2012, 12, 24)


def test_working_days_between_count_the_days_after_start_up_to_end():
    # Monday 5 to Wednesday 7 March 2012: Tuesday and Wednesday.
    assert workdays.working_days_between(dt.date(2012, 3, 5), dt.date(2012, 3, 7)) == 2
    assert workdays.working_days_between(dt.date(2012, 3, 5), dt.date(2012, 3, 5)) == 0


def test_no_working_days_lie_between_an_end_before_its_start():
    assert workdays.working_days_between(dt.date(2012, 3, 7), dt.date(2012, 3, 5)) == 0


def test_a_period_of_year_0000_is_refused_as_a_period_not_a_date():
    with pytest.raises(ValidationError) as refused:
        periods.period_start("0000-01")
    assert refused.value.code == "invalid_period"


def test_a_malformed_period_says_how_to_write_one():
    with pytest.raises(ValidationError) as refused:
        periods.parse_period("2012-13")
    assert refused.value.code == "invalid_period"
    with translation.override("sv"):
        assert refused.value.messages == ["Ange period som ÅÅÅÅ-MM, t.ex. 2012-03."]


def test_the_years_1900_to_2100_are_periods_and_the_years_outside_are_not():
    assert periods.parse_period("1900-01") == (1900, 1)
    assert periods.parse_period("2100-12") == (2100, 12)
    for outside in ("1899-12", "2101-01"):
        assert not periods.is_period(outside)


def test_a_year_out_of_range_says_which_value_and_which_years():
    with pytest.raises(ValidationError) as refused:
        periods.parse_period(" 1899-12 ")
    assert refused.value.code == "period_out_of_range"
    assert refused.value.params == {"value": "1899-12", "first": 1900, "last": 2100}
    with translation.override("sv"):
        assert refused.value.messages == ["1899-12 ligger utanför det tillåtna: året ska vara mellan 1900 och 2100."]


def test_a_period_is_validated_and_recognised_by_the_same_rule():
    periods.validate_period("2012-03")
    with pytest.raises(ValidationError):
        periods.validate_period("2012-3")
    assert periods.is_period("2012-03") is True
    assert periods.is_period("2012-3") is False


def test_the_current_period_is_the_month_of_todays_date_in_stockholm(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2012, 3, 31))
    assert periods.current_period() == "2012-03"


def test_a_period_pattern_refuses_month_00_and_13():
    import re

    for pattern in (periods.PERIOD_RE, re.compile(periods.PERIOD_REGEX)):
        assert pattern.match("2012-01") and pattern.match("2012-12")
        assert not pattern.match("2012-00") and not pattern.match("2012-13")
