"""Rules of the lead-time clock pinned one by one, so that a change to any of them is noticed."""

import datetime as dt

import pytest

from payroll import clock
from tests import factories

pytestmark = pytest.mark.django_db

# 2012-03: the deadline is Thursday the 8th; the clock starts there.
THURSDAY_8TH = dt.date(2012, 3, 8)


def test_the_deadline_is_the_lead_time_in_working_days_after_the_clock_starts():
    assert clock.due_date(period="2012-03", received_on=dt.date(2012, 3, 1), lead_time_days=5) == dt.date(2012, 3, 15)


def test_paused_days_extend_the_deadline():
    due = clock.due_date(period="2012-03", received_on=dt.date(2012, 3, 1), lead_time_days=5, paused_days=2)
    assert due == dt.date(2012, 3, 19)  # Thursday 15th + two working days, over the weekend


def test_paused_days_move_the_due_date_on_the_case_clock():
    case = factories.PayrollCaseFactory.build(
        period="2012-03", received_on=dt.date(2012, 3, 1), lead_time_days=5, paused_days=2, status="registered"
    )
    measured = clock.case_clock(case, today=dt.date(2012, 3, 12))
    assert measured.due_on == dt.date(2012, 3, 19)
    assert (measured.used, measured.left) == (0, 5)  # Friday 9th and Monday 12th gone, both paused


def test_a_case_on_its_last_day_is_not_overdue_and_the_day_after_it_is():
    on_time = clock.Clock(THURSDAY_8TH, 5, used=5, left=0, due_on=None, stopped=False, finished=False)
    late = clock.Clock(THURSDAY_8TH, 5, used=6, left=-1, due_on=None, stopped=False, finished=False)
    assert not on_time.overdue and on_time.overdue_by == 0
    assert late.overdue and late.overdue_by == 1


def test_the_lead_time_comes_from_the_agencys_own_agreement_in_force(unit):
    own, other, without = (factories.AgencyFactory(unit=unit) for _ in range(3))
    factories.ServiceAgreementFactory(agency=own, year=2012, lead_time_days=3)
    factories.ServiceAgreementFactory(agency=other, year=2012, lead_time_days=10)
    assert clock.lead_time_for(own, "2012-03") == 3
    assert clock.lead_time_for(other, "2012-03") == 10
    assert clock.lead_time_for(without, "2012-03") == 5


def test_the_lead_time_is_the_agreement_in_force_on_the_periods_first_day(unit):
    # An agreement that ended before the period and one that starts after it both leave the default.
    agency = factories.AgencyFactory(unit=unit)
    factories.ServiceAgreementFactory(agency=agency, year=2011, lead_time_days=7)
    factories.ServiceAgreementFactory(agency=agency, year=2013, lead_time_days=9)
    assert clock.lead_time_for(agency, "2012-03") == 5
    assert clock.lead_time_for(agency, "2011-12") == 7
    assert clock.lead_time_for(agency, "2013-01") == 9


def _case(**fields):
    values = {"period": "2012-03", "received_on": dt.date(2012, 3, 1), "lead_time_days": 5, "status": "registered"}
    return factories.PayrollCaseFactory.build(**(values | fields))


def test_a_case_without_a_received_document_or_a_lead_time_has_no_clock():
    assert clock.case_clock(_case(received_on=None), today=dt.date(2012, 3, 12)) is None
    assert clock.case_clock(_case(lead_time_days=None), today=dt.date(2012, 3, 12)) is None


def test_the_case_clock_starts_on_the_deadline_and_carries_the_lead_time():
    measured = clock.case_clock(_case(lead_time_days=4), today=dt.date(2012, 3, 12))
    assert (measured.start, measured.lead_time_days, measured.used, measured.left) == (THURSDAY_8TH, 4, 2, 2)
    assert measured.due_on == dt.date(2012, 3, 14)


def test_a_closed_case_is_finished_and_an_open_one_is_not():
    closed = clock.case_clock(_case(status="completed", closed_on=dt.date(2012, 3, 13)), today=dt.date(2012, 3, 20))
    still_open = clock.case_clock(_case(), today=dt.date(2012, 3, 20))
    assert closed.finished is True and closed.used == 3  # 9, 12 and 13 March: time stops when it closes
    assert still_open.finished is False and still_open.used == 8


def test_the_clock_stops_only_while_the_case_is_returned():
    # The document came back on the 12th: the return date is kept, but the case is no longer away.
    back = clock.case_clock(_case(clock_stopped_on=dt.date(2012, 3, 12)), today=dt.date(2012, 3, 14))
    assert back.stopped is False and back.due_on == dt.date(2012, 3, 15) and back.used == 4
    away = clock.case_clock(_case(status="returned", clock_stopped_on=dt.date(2012, 3, 12)), today=dt.date(2012, 3, 14))
    assert away.stopped is True and away.due_on is None and away.used == 2


def test_a_case_is_due_soon_when_due_within_two_working_days():
    from payroll import selectors

    # Thursday 8 March 2012: two working days on is Monday the 12th (over the weekend).
    assert selectors._due_soon_limit(THURSDAY_8TH) == dt.date(2012, 3, 12)
