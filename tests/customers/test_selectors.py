"""Shared reads: unit scoping, customer meetings against target, complaints summary, billable add-on hours."""

import datetime as dt
from decimal import Decimal

import pytest

from customers.selectors import (
    agencies_for,
    billable_addon_hours,
    complaints_summary,
    customer_meetings,
)
from tests.factories import (
    AddonAgreementFactory,
    AddonHoursFactory,
    AgencyFactory,
    ComplaintFactory,
    CustomerLogEntryFactory,
)

pytestmark = pytest.mark.django_db


def test_unit_staff_see_only_their_units_agencies_and_finance_sees_all(unit, other_unit, case_handler, finance):
    mine = AgencyFactory(unit=unit)
    theirs = AgencyFactory(unit=other_unit)
    assert list(agencies_for(case_handler)) == [mine]
    assert set(agencies_for(finance)) == {mine, theirs}


def _meetings(agency, *dates):
    for day in dates:
        CustomerLogEntryFactory(agency=agency, date=day, kind="meeting")


def test_customer_meetings_count_per_year_against_sixty_and_two_per_agency(unit, other_unit):
    both = AgencyFactory(code="RK", unit=unit)
    one = AgencyFactory(code="SOC", unit=unit)
    none = AgencyFactory(code="KUL", unit=other_unit)
    _meetings(both, dt.date(2012, 3, 1), dt.date(2012, 10, 2))
    _meetings(one, dt.date(2012, 5, 20))
    _meetings(one, dt.date(2011, 11, 1))  # another year
    CustomerLogEntryFactory(agency=none, date=dt.date(2012, 4, 1), kind="call")  # not a meeting
    summary = customer_meetings(year=2012)
    assert summary.total == 3 and summary.target == 60 and not summary.target_met
    counts = {row.agency.code: row.meetings for row in summary.per_agency}
    assert counts == {"RK": 2, "SOC": 1, "KUL": 0}
    assert [row.agency.code for row in summary.below_target] == ["KUL", "SOC"]
    assert summary.per_tertial == [1, 1, 1]
    assert summary.agencies_target == 6


def test_customer_meetings_for_one_unit(unit, other_unit):
    _meetings(AgencyFactory(unit=unit), dt.date(2012, 3, 1))
    _meetings(AgencyFactory(unit=other_unit), dt.date(2012, 3, 1), dt.date(2012, 9, 1))
    assert customer_meetings(year=2012, unit=unit).total == 1
    assert customer_meetings(year=2012, unit=other_unit).total == 2


def test_agencies_that_were_not_customers_that_year_are_not_counted_as_missing():
    AgencyFactory(code="OLD", active_from=dt.date(2005, 1, 1), active_to=dt.date(2010, 12, 31))
    AgencyFactory(code="NEW", active_from=dt.date(2013, 1, 1))
    AgencyFactory(code="NOW", active_from=dt.date(2009, 1, 1))
    assert [row.agency.code for row in customer_meetings(year=2012).per_agency] == ["NOW"]


def test_complaints_summary_per_month_and_tertial(unit, other_unit):
    agency = AgencyFactory(unit=unit)
    ComplaintFactory(agency=agency, received_on=dt.date(2012, 1, 10), category="late")
    ComplaintFactory(
        agency=agency,
        received_on=dt.date(2012, 1, 20),
        status="resolved",
        resolution="ok",
        resolved_on=dt.date(2012, 2, 3),
    )
    ComplaintFactory(agency=agency, received_on=dt.date(2012, 6, 1), kind="feedback", category="information")
    ComplaintFactory(agency=AgencyFactory(unit=other_unit), received_on=dt.date(2012, 1, 5))
    year = complaints_summary(year=2012, unit=unit)
    assert [m.received for m in year.months][:6] == [2, 0, 0, 0, 0, 1]
    assert year.months[1].resolved == 1
    assert [t.received for t in year.tertials] == [2, 1, 0]
    assert (year.received, year.resolved, year.still_open) == (3, 1, 2)
    assert (year.complaints, year.feedback) == (2, 1)
    assert year.average_days_to_resolve == Decimal("14.0")
    assert {c: n for c, _label, n in year.by_category}["late"] == 1
    first = complaints_summary(year=2012, tertial=1, unit=unit)
    assert [m.period for m in first.months] == ["2012-01", "2012-02", "2012-03", "2012-04"]
    assert first.received == 2
    assert complaints_summary(year=2012).received == 4


def test_billable_add_on_hours_per_agency_and_item():
    rk = AgencyFactory(code="RK")
    utb = AgencyFactory(code="UTB")
    training = AddonAgreementFactory(agency=rk, item_code="addon_hour")
    AddonHoursFactory(agreement=training, period="2012-03", hours=Decimal("2.5"))
    AddonHoursFactory(agreement=training, period="2012-03", hours=Decimal("1.25"))
    AddonHoursFactory(agreement=AddonAgreementFactory(agency=utb), period="2012-03", hours=Decimal("4"))
    AddonHoursFactory(agreement=training, period="2012-02", billing_period="2012-03", hours=Decimal("1"))
    AddonHoursFactory(agreement=training, period="2012-04", hours=Decimal("9"))
    assert billable_addon_hours(period="2012-03") == {
        rk.pk: {"addon_hour": Decimal("4.75")},
        utb.pk: {"addon_hour": Decimal("4.00")},
    }
    assert billable_addon_hours(period="2012-05") == {}


def test_complaints_summary_counts_a_year_in_a_few_queries_not_one_per_month(unit, django_assert_max_num_queries):
    """The unit dashboard asks for it on every request: two grouped queries for the twelve
    months (received, resolved), the tertials summed from them, however many complaints there are."""
    agency = AgencyFactory(unit=unit)
    for month in range(1, 13):
        ComplaintFactory(agency=agency, received_on=dt.date(2012, month, 3))
        ComplaintFactory(
            agency=agency,
            received_on=dt.date(2012, month, 4),
            kind="feedback",
            status="resolved",
            resolution="ok",
            resolved_on=dt.date(2012, month, 20),
        )
    with django_assert_max_num_queries(5):
        summary = complaints_summary(year=2012, unit=unit)
    assert [m.received for m in summary.months] == [2] * 12
    assert [m.resolved for m in summary.months] == [1] * 12
    assert [(t.received, t.resolved, t.complaints) for t in summary.tertials] == [(8, 4, 4)] * 3
    assert (summary.received, summary.resolved, summary.still_open) == (24, 12, 12)
    with django_assert_max_num_queries(5):
        second = complaints_summary(year=2012, tertial=2, unit=unit)
    assert [m.period for m in second.months] == ["2012-05", "2012-06", "2012-07", "2012-08"]
    assert (second.received, second.complaints, second.still_open) == (8, 4, 4)
    assert [t.received for t in second.tertials] == [8, 8, 8]
