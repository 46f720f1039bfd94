"""The capacity forecast: payslips forecast from the last year and the seasons, FTE needed at the target
productivity, against the FTE planned in staffing."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from core.periods import periods_between
from economy.capacity import capacity_report, seasonal_index
from organisation.models import Target
from staffing.models import MonthlyFte
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def two_years(unit):
    """Two payslips a month in 2011 and 2012, four each December; a target of one payslip per FTE in 2013."""
    agency = factories.AgencyFactory(unit=unit)
    for period in periods_between("2011-01", "2012-12"):
        factories.add_cases(agency, period, self_service=4 if period.endswith("-12") else 2)
    Target.objects.create(indicator=Target.Indicator.PAYSLIPS_PER_PAYROLL_FTE, year=2013, value=Decimal("1"))
    MonthlyFte.objects.create(period="2012-12", unit=unit, category="payroll_admin", fte=Decimal("1.50"))
    MonthlyFte.objects.create(period="2013-03", unit=unit, category="payroll_admin", fte=Decimal("3.00"))
    return agency


def test_a_calendar_month_is_weighed_against_the_average_month():
    index = seasonal_index({"2011-01": 100, "2011-02": 300, "2012-01": 100, "2012-02": 300})
    assert (index[1], index[2], index[3]) == (Decimal("0.5"), Decimal("1.5"), Decimal(1))
    assert set(seasonal_index({}).values()) == {Decimal(1)}


def test_fte_needed_for_the_next_six_months_against_the_fte_planned(two_years, unit):
    report = capacity_report(period="2012-12")
    rows = {row["period"]: row for row in report.rows}
    assert list(rows) == ["2013-01", "2013-02", "2013-03", "2013-04", "2013-05", "2013-06"]
    assert {row["payslips_forecast"] for row in rows.values()} == {2}
    assert {row["fte_needed"] for row in rows.values()} == {Decimal("2.00")}
    assert (rows["2013-01"]["fte_planned"], rows["2013-01"]["planned_basis"]) == (Decimal("1.50"), "as the last month")
    assert rows["2013-01"]["difference"] == Decimal("-0.50")
    assert (rows["2013-03"]["fte_planned"], rows["2013-03"]["difference"]) == (Decimal("3.00"), Decimal("1.00"))
    assert any("short of 0.50 FTE in 2013-01" in note for note in report.notes)


def test_december_is_forecast_higher_when_earlier_decembers_were(two_years):
    rows = {row["period"]: row for row in capacity_report(period="2012-06").rows}
    assert rows["2012-12"]["payslips_forecast"] == 4 and rows["2012-07"]["payslips_forecast"] == 2


def test_a_unit_without_history_needs_nothing_and_says_so(unit):
    rows = capacity_report(period="2012-12").rows
    assert {row["payslips_forecast"] for row in rows} == {0}
    assert {row["fte_planned"] for row in rows} == {None}


def test_the_service_dashboard_and_the_command_show_the_capacity(client, head_of_service, two_years, capsys):
    client.force_login(head_of_service)
    page = client.get("/reports/dashboard/service/", {"period": "2012-12"}).content.decode()
    assert "Kapacitet" in page
    call_command("report", "capacity", "--period", "2012-12")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "unit,period,payslips_forecast,target,fte_needed,fte_planned,planned_basis,difference"
    assert lines[1].startswith("Löneenhet 1,2013-01,2,1,2.00,1.50,")


def test_the_whole_service_needs_fte_of_payroll_and_pension_staff_at_1400_payslips(unit):
    """From 2025 the targets table asks 1,400 payslips per FTE of payroll and pension staff, beside
    950 per payroll-administrator FTE: 28,000 payslips a month need 29.47 and 20.00 FTE (here the
    payslips and both targets a thousandth of that)."""
    pension = factories.UnitFactory(code="pension", name="Pensionsenheten", kind="pension")
    agency = factories.AgencyFactory(unit=unit)
    for period in periods_between("2024-01", "2024-12"):
        factories.add_cases(agency, period, self_service=28)
    Target.objects.create(indicator=Target.Indicator.PAYSLIPS_PER_PAYROLL_FTE, year=2025, value=Decimal("0.95"))
    Target.objects.filter(indicator=Target.Indicator.PAYSLIPS_PER_FTE).delete()
    Target.objects.create(indicator=Target.Indicator.PAYSLIPS_PER_FTE, year=2025, value=Decimal("1.4"))
    MonthlyFte.objects.create(period="2024-12", unit=unit, category="payroll_admin", fte=Decimal("16.00"))
    MonthlyFte.objects.create(period="2024-12", unit=pension, category="pension_handler", fte=Decimal("3.50"))
    report = capacity_report(period="2024-12")
    unit_rows = [row for row in report.rows if row["unit"] == "Löneenhet 1"]
    service = [row for row in report.rows if row["unit"] == "Whole service, payroll and pension staff"]
    assert len(unit_rows) == len(service) == 6
    assert (unit_rows[0]["target"], unit_rows[0]["fte_needed"]) == (Decimal("0.95"), Decimal("29.47"))
    first = service[0]
    assert (first["payslips_forecast"], first["target"], first["fte_needed"]) == (28, Decimal("1.4"), Decimal("20.00"))
    assert (first["fte_planned"], first["difference"]) == (Decimal("19.50"), Decimal("-0.50"))
    assert any("Whole service, payroll and pension staff is short of 0.50 FTE" in note for note in report.notes)
