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
