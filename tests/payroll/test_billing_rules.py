"""Which payroll rows carry a payment on the invoice (payroll.billing), pinned rule by rule: a
registered case is matched to a payslip line of the same employee, agency and pay period; an urgent
payout pairs with its Girovision line in order of billing period; and a list asked for some agencies
holds only theirs."""

import pytest

from payroll import billing
from payroll.models import PayrollCase
from tests import factories
from tests.payroll.test_billing import line, registered

pytestmark = pytest.mark.django_db
Status = PayrollCase.Status


@pytest.fixture
def agencies(unit):
    return factories.AgencyFactory(code="A1", unit=unit), factories.AgencyFactory(code="B1", unit=unit)


def behind(case, channel):
    return {
        "agency_id": case.agency_id,
        "period": case.period,
        "channel": channel,
        "case_id": case.pk,
        "document_type": case.document_type,
    }


def test_a_registered_case_is_behind_only_a_completed_manual_or_agresso_line_of_its_own_payment(agencies):
    a, b = agencies
    person = factories.PersonFactory
    matched = registered(a, nora := person(), "manual", document_type="new_employment")
    line(a, nora, "agresso")
    # The line of each of these is not the case's payment, or not one invoiced in March:
    lone = registered(a, person(), "manual")  # no line at all
    registered(a, olle := person(), "manual")
    line(a, olle, "manual", billing_period="2012-04")  # invoiced in another month
    registered(a, pia := person(), "manual")
    line(a, pia, "manual", status=Status.CANCELLED)  # not a completed line
    registered(a, rut := person(), "agresso")
    line(a, rut, "self_service")  # a machine line: no hand work behind it
    registered(a, sam := person(), "manual")
    line(b, sam, "manual")  # another agency's payment
    registered(a, tor := person(), "manual", period="2012-02", billing_period="2012-03")
    line(a, tor, "manual")  # the March pay period's line, not February's
    registered(a, ulla := person(), "manual", status=Status.REGISTERED)
    line(a, ulla, "manual")  # the case is not completed
    # An urgent payout registered for an employee who also has a manual line is behind its own payout.
    payout = registered(a, vera := person(), "girovision", document_type="urgent_payout")
    line(a, vera, "manual")
    assert lone.pk
    assert billing.cases_behind_lines(billing_period="2012-03") == [
        behind(matched, "agresso"),
        behind(payout, "girovision"),
    ]


def test_the_cases_behind_lines_asked_for_some_agencies_are_only_theirs(agencies):
    a, b = agencies
    nora = factories.PersonFactory()
    mine = registered(a, nora, "girovision")
    registered(b, nora, "girovision")  # the same employee's payout at another agency
    assert billing.cases_behind_lines(billing_period="2012-03", agency_ids=[a.pk]) == [behind(mine, "girovision")]


def test_the_payments_asked_for_some_agencies_are_only_theirs(agencies):
    a, b = agencies
    nora = factories.PersonFactory()
    line(a, nora, "girovision")
    line(a, factories.PersonFactory(), "girovision")
    line(b, nora, "girovision")  # the same employee's payout at another agency
    rows = billing.billed_payments(billing_period="2012-03", agency_ids=[a.pk])
    assert [(row.agency_id, row.channel, row.source, row.count) for row in rows] == [
        (a.pk, "girovision", billing.FROM_PAYSLIP_FILE, 2)
    ]


def test_an_urgent_payout_pairs_with_the_line_in_order_of_billing_period_not_of_registration(agencies):
    a, _b = agencies
    nora = factories.PersonFactory()
    february = {"period": "2012-02"}
    registered(a, nora, "girovision", billing_period="2012-04", **february)  # registered first, billed in April
    registered(a, nora, "girovision", billing_period="2012-02", **february)  # registered later, billed in February
    line(a, nora, "girovision", billing_period="2012-03", **february)
    # February's case pairs with the line and carries it (it was billed first); April's is alone.
    assert billing.billed_payments(billing_period="2012-03") == []


def test_late_urgent_payouts_from_the_file_and_from_cases_add_up_per_channel(agencies):
    a, _b = agencies
    line(a, factories.PersonFactory(), "girovision", period="2012-02", billing_period="2012-03")
    registered(a, factories.PersonFactory(), "girovision", period="2012-02", billing_period="2012-03")
    assert billing.late_billable_counts(billing_period="2012-03") == {a.pk: {"2012-02": {"girovision": 2}}}


def test_a_completed_hand_case_of_the_period_with_no_line_of_its_own_payment_is_listed(agencies):
    a, b = agencies
    person = factories.PersonFactory
    waiting = [registered(a, person(), "manual"), registered(a, person(), "agresso")]
    waiting.append(registered(a, nora := person(), "manual"))
    line(b, nora, "manual")  # another agency's line
    waiting.append(registered(a, olle := person(), "manual"))
    line(a, olle, "manual", period="2012-02")  # another pay period's line
    waiting.append(registered(a, pia := person(), "manual"))
    line(a, person(), "manual")  # another employee's line
    assert pia.pk
    registered(a, person(), "manual", period="2012-02")  # another pay period
    registered(a, person(), "manual", status=Status.RECEIVED)  # not completed
    registered(a, person(), "girovision")  # an urgent payout is invoiced from its case
    registered(b, person(), "manual")  # not asked for
    found = billing.registered_cases_without_payslip_line(period="2012-03", agency_ids=[a.pk])
    assert sorted(found.values_list("pk", flat=True)) == sorted(case.pk for case in waiting)
