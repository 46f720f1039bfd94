"""Deadlines on the 8th moved past Swedish holidays, lead times in working days, and the
clock that stops while a document is back with the agency."""

import datetime as dt

import pytest

from payroll import clock, services
from payroll.models import PayrollCase
from tests import factories
from tests.payroll.helpers import pnr

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(unit):
    agency = factories.AgencyFactory(unit=unit)
    factories.ServiceAgreementFactory(agency=agency, year=2012, lead_time_days=5)
    return agency


def register(user, agency, *, period, received_on):
    return services.register_case(
        user=user,
        agency=agency,
        period=period,
        personnummer=pnr(received_on.toordinal()),
        name="Test Testsson",
        document_type="change",
        received_on=received_on,
        channel="manual",
    )


def test_a_deadline_on_a_sunday_moves_to_monday():
    assert dt.date(2012, 1, 8).weekday() == 6
    assert clock.period_deadline("2012-01") == dt.date(2012, 1, 9)


def test_the_easter_deadline_moves_past_easter_monday():
    # 8 April 2012 is Easter Sunday and 9 April Easter Monday.
    assert clock.period_deadline("2012-04") == dt.date(2012, 4, 10)


def test_a_document_on_the_moved_deadline_is_on_time_and_the_day_after_is_late(case_handler, agency):
    on_time = register(case_handler, agency, period="2012-04", received_on=dt.date(2012, 4, 10))
    late = register(case_handler, agency, period="2012-04", received_on=dt.date(2012, 4, 11))
    assert not on_time.is_late and late.is_late


def test_a_document_on_the_sunday_deadlines_monday_is_on_time(case_handler, agency):
    case = register(case_handler, agency, period="2012-01", received_on=dt.date(2012, 1, 9))
    assert not case.is_late


def test_lead_time_runs_from_the_deadline_in_working_days_across_easter(case_handler, agency):
    # Received early for April: the clock starts on the deadline, Tuesday 10 April.
    case = register(case_handler, agency, period="2012-04", received_on=dt.date(2012, 4, 2))
    assert case.due_on == dt.date(2012, 4, 17)  # 11, 12, 13, 16, 17 April
    measured = clock.case_clock(case, today=dt.date(2012, 4, 9))  # Easter Monday: not started yet
    assert (measured.used, measured.left) == (0, 5)
    measured = clock.case_clock(case, today=dt.date(2012, 4, 13))
    assert (measured.used, measured.left, measured.due_on) == (3, 2, dt.date(2012, 4, 17))


def test_a_late_document_starts_the_clock_on_the_day_it_arrives(case_handler, agency):
    # Thursday 5 April; Good Friday and Easter Monday are holidays.
    case = register(case_handler, agency, period="2012-03", received_on=dt.date(2012, 4, 5))
    assert case.is_late
    assert case.due_on == dt.date(2012, 4, 16)  # 10, 11, 12, 13 and 16 April


def test_the_clock_stops_while_returned_and_the_due_date_moves(case_handler, agency):
    # Received late on Monday 12 March: the clock starts that day; due five working days later.
    case = register(case_handler, agency, period="2012-03", received_on=dt.date(2012, 3, 12))
    assert case.due_on == dt.date(2012, 3, 19)
    services.return_case(case=case, user=case_handler, missing=["signature"], returned_on=dt.date(2012, 3, 14))
    case.refresh_from_db()
    # While it is away, time used stands still at the two days before the return.
    assert clock.case_clock(case, today=dt.date(2012, 3, 14)).used == 2
    away = clock.case_clock(case, today=dt.date(2012, 3, 23))
    assert away.stopped and away.used == 2 and away.left == 3 and away.due_on is None
    case = services.record_document_arrived(case=case, user=case_handler, arrived_on=dt.date(2012, 3, 21))
    assert case.paused_days == 5  # 15, 16, 19, 20, 21 March did not count
    assert case.due_on == dt.date(2012, 3, 26)
    measured = clock.case_clock(case, today=dt.date(2012, 3, 22))
    assert (measured.used, measured.left) == (3, 2)
    case = services.mark_registered(case=case, user=case_handler)
    case = services.complete_case(case=case, user=case_handler, completed_on=dt.date(2012, 3, 26))
    assert case.working_days_used == 5  # exactly the lead time: within it


def test_a_completed_document_arriving_after_the_deadline_makes_the_case_late(case_handler, agency):
    case = register(case_handler, agency, period="2012-03", received_on=dt.date(2012, 3, 1))
    assert not case.is_late
    services.return_case(case=case, user=case_handler, missing=["signature"], returned_on=dt.date(2012, 3, 2))
    case = services.record_document_arrived(case=case, user=case_handler, arrived_on=dt.date(2012, 3, 9))
    assert case.is_late


def test_without_a_service_agreement_the_default_lead_time_applies(case_handler, unit):
    agency = factories.AgencyFactory(unit=unit)
    case = register(case_handler, agency, period="2012-03", received_on=dt.date(2012, 3, 1))
    assert case.lead_time_days == 5  # the service agreement's default: five working days


def test_the_next_deadline_after_the_eighth_is_next_months():
    assert clock.next_deadline_after(dt.date(2012, 3, 8)) == dt.date(2012, 3, 8)
    assert clock.next_deadline_after(dt.date(2012, 3, 9)) == dt.date(2012, 4, 10)
    assert clock.next_deadline_after(dt.date(2012, 12, 20)) == dt.date(2013, 1, 8)


def test_an_overdue_case_shows_negative_time_left(case_handler, agency):
    case = register(case_handler, agency, period="2012-03", received_on=dt.date(2012, 3, 12))
    measured = clock.case_clock(case, today=dt.date(2012, 3, 22))
    assert measured.overdue and measured.overdue_by == 3 and measured.used == 8
    assert PayrollCase.objects.filter(due_on__lt=dt.date(2012, 3, 22)).count() == 1
