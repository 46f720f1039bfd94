"""The live payslip counts (payroll.counts, PayslipCount): kept by the case table's triggers in the
transaction of every write, equal at any moment to a COUNT of the completed cases per pay period,
agency and channel. The dashboards read the open month from them."""

import datetime as dt

import pytest
from django.db.models import Count
from django.utils import translation

from core.models import ClosedPeriod
from payroll import partitions, services
from payroll.models import PayrollCase, PayslipCount
from reporting import dashboards
from tests import factories
from tests.payroll.helpers import generated_file, run_import


def counted() -> dict[tuple, int]:
    rows = PayrollCase.objects.filter(status="completed").values_list("period", "agency_id", "channel")
    return {(p, a, c): n for p, a, c, n in rows.annotate(n=Count("id")).order_by()}


def kept() -> dict[tuple, int]:
    assert not PayslipCount.objects.filter(payslips__lt=0).exists()
    return {(c.period, c.agency_id, c.channel): c.payslips for c in PayslipCount.objects.filter(payslips__gt=0)}


@pytest.mark.django_db
def test_the_counts_follow_cases_created_completed_edited_and_deleted(unit, case_handler):
    a = factories.AgencyFactory(code="A1", unit=unit)
    b = factories.AgencyFactory(code="B1", unit=unit)
    factories.add_cases(a, "2012-03", manual=2, self_service=3)
    factories.add_cases(b, "2012-03", manual=1, status="received")  # open: not counted
    assert kept() == counted() == {("2012-03", a.pk, "manual"): 2, ("2012-03", a.pk, "self_service"): 3}

    case = factories.ManualCaseFactory(agency=b, status="registered")
    services.complete_case(case=case, user=case_handler, completed_on=dt.date(2012, 3, 9))
    assert kept()[("2012-03", b.pk, "manual")] == 1

    moved = PayrollCase.objects.filter(agency=a, channel="self_service").first()
    moved.channel, moved.agency = "lisa_tid", b
    moved.save()
    PayrollCase.objects.filter(agency=a, channel="manual").update(period="2012-04", billing_period="2012-04")
    PayrollCase.objects.filter(agency=a, channel="self_service").first().delete()
    PayrollCase.objects.filter(agency=b, status="received").update(status="completed")

    assert (
        kept()
        == counted()
        == {
            ("2012-04", a.pk, "manual"): 2,
            ("2012-03", a.pk, "self_service"): 1,
            ("2012-03", b.pk, "lisa_tid"): 1,
            ("2012-03", b.pk, "manual"): 2,
        }
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_counts_its_rows_in_its_months(unit):
    agencies = [factories.AgencyFactory(code=f"P{i}", unit=unit) for i in range(3)]
    job = run_import(generated_file([a.code for a in agencies], 300, period="2012-03"))
    assert job.status == "done", job.errors[:3]
    assert kept() == counted()
    assert sum(kept().values()) == 300


@pytest.mark.django_db
def test_the_open_months_dashboard_figures_are_the_counted_cases(unit, other_unit):
    agency = factories.AgencyFactory(code="A1", unit=unit)
    other = factories.AgencyFactory(code="B1", unit=other_unit)
    factories.add_cases(agency, "2012-03", manual=4, self_service=6)
    factories.add_cases(other, "2012-03", manual=5)
    factories.ManualCaseFactory(agency=agency, status="registered")

    with translation.override("en"):
        board = dashboards.unit_dashboard(unit=unit, period="2012-03")

    payslips = next(k for k in board.kpis if k["label"].startswith("Payslips 2012-03"))
    assert payslips["value"] == 10


@pytest.mark.django_db(transaction=True)
def test_retention_takes_an_expired_months_counts_with_its_cases():
    """On PostgreSQL the month's partition is dropped (no trigger fires): its counts go with it."""
    agency = factories.AgencyFactory()
    factories.add_cases(agency, "2012-01", manual=2)
    factories.add_cases(agency, "2013-01", manual=1)  # after the cutoff
    for period in ("2012-01", "2013-01"):
        ClosedPeriod.objects.create(period=period)
    partitions.ensure_partitions(["2012-01", "2013-01"])

    # Empty partitions left by earlier tests may go too (PostgreSQL); the month with cases must.
    assert "2012-01" in [d.period for d in partitions.drop_expired(cutoff="2013-01")]

    assert kept() == counted() == {("2013-01", agency.pk, "manual"): 1}
    assert not PayslipCount.objects.filter(period="2012-01").exists()
