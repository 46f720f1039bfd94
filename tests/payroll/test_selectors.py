"""What the reports and the monthly close read from payroll."""

import datetime as dt
from decimal import Decimal

import pytest

from payroll import selectors
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(unit, other_unit):
    return factories.AgencyFactory(code="A1", unit=unit), factories.AgencyFactory(code="B1", unit=other_unit)


def test_volumes_by_channel_per_period_agency_and_unit(two_units, unit):
    a, b = two_units
    factories.add_cases(a, "2012-03", self_service=5, lisa_tid=2)
    factories.add_cases(a, "2012-04", girovision=1)
    factories.add_cases(b, "2012-03", manual=4)
    factories.add_cases(a, "2012-05", manual=9)  # not asked for
    factories.ManualCaseFactory(agency=a, period="2012-03", status="cancelled")
    assert selectors.volumes_by_channel(periods=["2012-03", "2012-04"]) == {
        "2012-03": {a.pk: {"self_service": 5, "lisa_tid": 2}, b.pk: {"manual": 4}},
        "2012-04": {a.pk: {"girovision": 1}},
    }
    assert selectors.volumes_by_channel(periods=["2012-03"], unit=unit) == {
        "2012-03": {a.pk: {"self_service": 5, "lisa_tid": 2}}
    }


def test_queue_summary_counts_open_work(two_units, unit):
    a, b = two_units
    today = dt.date(2012, 3, 20)
    factories.ManualCaseFactory(agency=a, due_on=dt.date(2012, 3, 19))  # overdue
    factories.ManualCaseFactory(agency=a, due_on=dt.date(2012, 3, 21))  # due soon
    factories.ManualCaseFactory(agency=a, due_on=dt.date(2012, 3, 30))  # later
    factories.ManualCaseFactory(agency=a, status="returned", due_on=dt.date(2012, 3, 1))  # waiting, not overdue
    factories.ManualCaseFactory(agency=a, channel="girovision", status="registered", due_on=dt.date(2012, 3, 30))
    factories.ManualCaseFactory(agency=b, due_on=dt.date(2012, 3, 1))  # other unit, overdue
    factories.ManualCaseFactory(agency=a, status="completed", due_on=dt.date(2012, 3, 1))
    assert selectors.queue_summary(unit=unit, today=today) == {
        "open": 5,
        "overdue": 1,
        "due_soon": 1,
        "returned": 1,
        "approval": 1,
    }
    assert selectors.queue_summary(today=today)["overdue"] == 2


def test_late_documents_per_agency(two_units, unit):
    a, b = two_units
    factories.ManualCaseFactory(agency=a, period="2012-03", is_late=True)
    factories.ManualCaseFactory(agency=a, period="2012-03", is_late=True, status="completed")
    factories.ManualCaseFactory(agency=a, period="2012-03", is_late=True, status="cancelled")
    factories.ManualCaseFactory(agency=a, period="2012-03")
    factories.ManualCaseFactory(agency=b, period="2012-03", is_late=True)
    factories.ManualCaseFactory(agency=a, period="2012-04", is_late=True)
    assert selectors.late_documents(period="2012-03") == {a.pk: 2, b.pk: 1}
    assert selectors.late_documents(period="2012-03", unit=unit) == {a.pk: 2}


def test_lead_times_per_agency(two_units):
    a, _b = two_units
    for used in (2, 5, 7):
        factories.ManualCaseFactory(agency=a, status="completed", working_days_used=used, lead_time_days=5)
    factories.PayrollCaseFactory(agency=a)  # imported: no lead time
    stats = selectors.lead_times(period="2012-03")[a.pk]
    assert (stats.completed, stats.within, stats.average_days) == (3, 2, Decimal("4.7"))
    assert stats.share_within == Decimal("66.7")
