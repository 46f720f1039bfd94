"""Issue 15 item 1: each salary or compensation payment is invoiced exactly once. The payslip file
is the record of payments; a registered case is matched to its line by employee, agency and pay
period; an urgent payout no payslip line carries is invoiced from its case."""

import pytest

from payroll import billing
from payroll.models import PayrollCase
from tests import factories

pytestmark = pytest.mark.django_db
Source = PayrollCase.Source
COMPLETED = PayrollCase.Status.COMPLETED


@pytest.fixture
def two_units(unit, other_unit):
    return factories.AgencyFactory(code="A1", unit=unit), factories.AgencyFactory(code="B1", unit=other_unit)


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(code="A9", unit=unit)


def line(agency, person, channel, period="2012-03", billing_period=None, status=COMPLETED):
    """A payslip line of the payroll system's file."""
    return factories.PayrollCaseFactory(
        agency=agency,
        person=person,
        channel=channel,
        period=period,
        billing_period=billing_period or period,
        status=status,
    )


def registered(agency, person, channel, period="2012-03", billing_period=None, status=COMPLETED, **fields):
    """A case a case handler registered from a document."""
    return factories.ManualCaseFactory(
        agency=agency,
        person=person,
        channel=channel,
        period=period,
        billing_period=billing_period or period,
        status=status,
        **fields,
    )


def billed(period):
    return {
        (row.agency_id, row.period, row.channel, row.source): row.count
        for row in billing.billed_payments(billing_period=period)
    }


def test_billable_counts_are_completed_cases_by_billing_period(two_units):
    a, b = two_units
    factories.add_cases(a, "2012-03", self_service=3, manual=2)
    factories.add_cases(a, "2012-02", billing_period="2012-03", manual=1)
    factories.add_cases(b, "2012-03", agresso=4)
    factories.ManualCaseFactory(agency=a, period="2012-03")  # open: not billed
    assert billing.billable_counts(billing_period="2012-03") == {
        a.pk: {"self_service": 3, "manual": 3},
        b.pk: {"agresso": 4},
    }


def test_late_billable_counts_are_earlier_periods_billed_now(two_units):
    a, b = two_units
    factories.add_cases(a, "2012-02", billing_period="2012-03", manual=2, agresso=1)
    factories.add_cases(a, "2012-03", manual=5)  # its own period: not late
    factories.add_cases(b, "2012-01", billing_period="2012-03", self_service=1)
    assert billing.late_billable_counts(billing_period="2012-03") == {
        a.pk: {"2012-02": {"manual": 2, "agresso": 1}},
        b.pk: {"2012-01": {"self_service": 1}},
    }


def test_a_registered_case_and_its_payslip_line_are_one_payment_billed_at_the_lines_channel(agency):
    nora, olle = factories.PersonFactory(), factories.PersonFactory()
    line(agency, nora, "manual")
    registered(agency, nora, "manual")
    line(agency, olle, "agresso")
    registered(agency, olle, "manual")  # registered as a paper form; the payroll system says Agresso
    assert billing.billable_counts(billing_period="2012-03") == {agency.pk: {"manual": 1, "agresso": 1}}
    assert billed("2012-03") == {
        (agency.pk, "2012-03", "manual", "payslip_file"): 1,
        (agency.pk, "2012-03", "agresso", "payslip_file"): 1,
    }
    behind = billing.cases_behind_lines(billing_period="2012-03")
    assert sorted(row["channel"] for row in behind) == ["agresso", "manual"]


def test_a_registered_case_whose_line_has_not_come_is_listed_and_billed_once_when_it_comes(agency):
    nora = factories.PersonFactory()
    case = registered(agency, nora, "manual")
    assert billing.billable_counts(billing_period="2012-03") == {}
    assert list(billing.registered_cases_without_payslip_line(period="2012-03")) == [case]
    # The file comes after March was closed: its line is invoiced in April, once.
    line(agency, nora, "manual", billing_period="2012-04")
    assert not billing.registered_cases_without_payslip_line(period="2012-03").exists()
    assert billing.late_billable_counts(billing_period="2012-04") == {agency.pk: {"2012-03": {"manual": 1}}}
    assert billing.billable_counts(billing_period="2012-03") == {}


def test_an_urgent_payout_no_line_carries_is_billed_from_its_case_and_not_again_when_its_line_comes(agency):
    nora = factories.PersonFactory()
    registered(agency, nora, "girovision")
    assert billed("2012-03") == {(agency.pk, "2012-03", "girovision", "registered_case"): 1}
    # The payroll system's file of March, imported after the close, carries the payout too.
    line(agency, nora, "girovision", billing_period="2012-04")
    assert billed("2012-03") == {(agency.pk, "2012-03", "girovision", "registered_case"): 1}
    assert billed("2012-04") == {}


def test_an_urgent_payout_whose_line_was_billed_first_is_not_billed_again_from_its_case(agency):
    nora = factories.PersonFactory()
    line(agency, nora, "girovision")
    registered(agency, nora, "girovision", billing_period="2012-04")  # completed after March was closed
    assert billed("2012-03") == {(agency.pk, "2012-03", "girovision", "payslip_file"): 1}
    assert billed("2012-04") == {}
    [behind] = billing.cases_behind_lines(billing_period="2012-03")
    assert behind["channel"] == "girovision"


def test_an_urgent_payout_and_its_line_in_one_month_are_billed_once_from_the_case(agency):
    nora = factories.PersonFactory()
    line(agency, nora, "girovision")
    case = registered(agency, nora, "girovision")
    assert billed("2012-03") == {(agency.pk, "2012-03", "girovision", "registered_case"): 1}
    assert [row["case_id"] for row in billing.cases_behind_lines(billing_period="2012-03")] == [case.pk]


def test_nothing_is_dropped_two_payouts_with_one_case_are_two_payments(agency):
    nora = factories.PersonFactory()
    line(agency, nora, "girovision")
    line(agency, nora, "girovision")
    registered(agency, nora, "girovision")
    open_case = registered(agency, factories.PersonFactory(), "girovision", status=PayrollCase.Status.REGISTERED)
    assert open_case.status != COMPLETED
    assert billing.billable_counts(billing_period="2012-03") == {agency.pk: {"girovision": 2}}
    assert billed("2012-03") == {
        (agency.pk, "2012-03", "girovision", "registered_case"): 1,
        (agency.pk, "2012-03", "girovision", "payslip_file"): 1,
    }


def test_every_completed_payment_is_billed_exactly_once_over_the_months(agency):
    """A month of mixed work, the close of March, then late lines and cases in April: each
    payment (one employee's payslip, or one urgent payout) is on exactly one month's count."""
    people = [factories.PersonFactory() for _ in range(6)]
    line(agency, people[0], "self_service")
    line(agency, people[1], "manual")
    registered(agency, people[1], "manual")
    registered(agency, people[2], "agresso")  # its line comes in April
    registered(agency, people[3], "girovision")  # its line comes in April
    line(agency, people[4], "girovision")  # its case is completed in April
    line(agency, people[2], "agresso", billing_period="2012-04", period="2012-03")
    line(agency, people[3], "girovision", billing_period="2012-04", period="2012-03")
    registered(agency, people[4], "girovision", billing_period="2012-04")
    line(agency, people[5], "lisa_tid", period="2012-04")
    march = sum(billing.billable_counts(billing_period="2012-03")[agency.pk].values())
    april = sum(billing.billable_counts(billing_period="2012-04")[agency.pk].values())
    assert (march, april) == (4, 2)  # six payments: people 0, 1, 3, 4 in March; 2 and 5 in April
