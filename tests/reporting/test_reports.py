"""The reports' figures, targets and CSV columns."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from invoicing.models import CloseJob
from invoicing.services import close
from organisation.models import Target
from organisation.targets import target_for
from reporting.services import reports
from tests.reporting.conftest import patch_selector


def _csv(*args):
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_payslip_target_is_750_from_2009_and_950_from_2012(db):
    indicator = Target.Indicator.PAYSLIPS_PER_PAYROLL_FTE
    assert target_for(indicator, 2009) == Decimal("750")
    assert target_for(indicator, 2011) == Decimal("750")
    assert target_for(indicator, 2012) == Decimal("950")
    assert target_for(Target.Indicator.PAYSLIPS_PER_FTE, 2012) is None
    assert target_for(Target.Indicator.PAYSLIPS_PER_FTE, 2025) == Decimal("1400")
    assert target_for(Target.Indicator.RETIREMENTS_PER_PENSION_FTE, 2012) == Decimal("510")


def test_a_changed_target_is_used_from_its_year(db, volumes, staffing_figures):
    Target.objects.filter(indicator=Target.Indicator.PAYSLIPS_PER_PAYROLL_FTE, year=2012).update(value=900)
    report = reports.productivity_report(period="2012-03")
    assert report.total["target"] == Decimal("900")
    assert report.total["status"] is True  # 925 per FTE against 900


def test_productivity_per_unit_and_whole_service(volumes, staffing_figures, unit, other_unit):
    report = reports.productivity_report(period="2012-03")
    rows = {row["unit"]: row for row in report.rows}
    lon1, lon2, whole = rows["lon1"], rows["lon2"], report.total
    assert (lon1["payslips"], lon1["payroll_fte"], lon1["payslips_per_fte"]) == (
        1900,
        Decimal("2.00"),
        Decimal("950.0"),
    )
    assert lon1["target"] == Decimal("950") and lon1["status"] is True
    assert (lon2["payslips_per_fte"], lon2["status"]) == (Decimal("900.0"), False)
    assert lon2["fte_needed"] == Decimal("1.89")  # 1,800 payslips at 950 per FTE
    assert whole["unit"] == "ALL"
    assert (whole["payslips"], whole["payroll_fte"], whole["payslips_per_fte"]) == (
        3700,
        Decimal("4.00"),
        Decimal("925.0"),
    )
    assert whole["status"] is False and whole["fte_needed"] == Decimal("3.89")


def test_pension_retirements_per_pension_fte_are_annualised_against_510(volumes, staffing_figures):
    report = reports.productivity_report(period="2012-03")
    lon2 = {row["unit"]: row for row in report.rows}["lon2"]
    # 45 retirements in a month = 540 a year with one pension FTE: target 510 met.
    assert lon2["retirements"] == 45
    assert lon2["retirements_per_pension_fte_year"] == Decimal("540.0")
    assert lon2["status_retirements"] is True
    assert lon2["pension_fte_needed"] == Decimal("1.06")


def test_payslips_per_fte_of_all_staff_are_the_average_month_against_1400(
    db, staffing_figures, unit, other_unit, monkeypatch
):
    from payroll.models import AggregatedPeriod, MonthlyVolume
    from tests import factories

    agency = factories.AgencyFactory(code="T25", unit=unit)
    for month, n in (("2025-01", 6000), ("2025-02", 7000), ("2025-03", 8000), ("2025-04", 7000)):
        MonthlyVolume.objects.create(period=month, agency=agency, unit=unit, channel="manual", payslips=n)
        AggregatedPeriod.objects.create(period=month)
    report = reports.productivity_report(year=2025, tertial=1)
    whole = report.total
    # 28,000 payslips in the tertial = 7,000 in the average month; 4 payroll + 1 pension FTE:
    # 1,400 per FTE in the average month, the target of seed 001 (not 5,600 "a tertial").
    assert whole["payslips"] == 28000 and whole["staff_fte"] == Decimal("5.00")
    assert whole["payslips_per_staff_fte"] == Decimal("1400.0")
    assert whole["target_staff"] == Decimal("1400") and whole["status_staff"] is True
    # Per payroll FTE a month: 7,000 / 4 = 1,750 against 950.
    assert whole["payslips_per_fte"] == Decimal("1750.0")


def test_board_report_shows_payslips_per_staff_fte_for_the_tertial_and_the_year_so_far(
    db, staffing_figures, unit, other_unit
):
    from payroll.models import AggregatedPeriod, MonthlyVolume
    from reporting.services.board import STAFF_YTD, tertial_report
    from tests import factories

    agency = factories.AgencyFactory(code="T25", unit=unit)
    for month, n in (("2025-01", 5000), ("2025-02", 5000), ("2025-03", 5000), ("2025-04", 5000)):
        MonthlyVolume.objects.create(period=month, agency=agency, unit=unit, channel="manual", payslips=n)
        AggregatedPeriod.objects.create(period=month)
    for month in ("2025-05", "2025-06", "2025-07", "2025-08"):
        MonthlyVolume.objects.create(period=month, agency=agency, unit=unit, channel="manual", payslips=9000)
        AggregatedPeriod.objects.create(period=month)
        for u, category, fte in ((unit, "payroll_admin", "2.00"), (other_unit, "payroll_admin", "2.00")):
            factories.MonthlyFteFactory(period=month, unit=u, category=category, fte=Decimal(fte))
        factories.MonthlyFteFactory(period=month, unit=other_unit, category="pension_handler", fte=Decimal("1.00"))
    rows = {r["indicator"]: r for r in tertial_report(year=2025, tertial=2).rows}
    tertial = rows[Target.Indicator.PAYSLIPS_PER_FTE]
    # T2: 9,000 a month over 5 FTE = 1,800; the year so far: 7,000 a month over 5 FTE = 1,400.
    assert (tertial["value"], tertial["target"], tertial["status"]) == (Decimal("1800.0"), Decimal("1400"), True)
    ytd = rows[STAFF_YTD]
    assert (ytd["value"], ytd["target"], ytd["status"]) == (Decimal("1400.0"), Decimal("1400"), True)


def test_productivity_without_fte_entered_says_so_and_judges_nothing(volumes):
    report = reports.productivity_report(period="2012-03")
    assert not report.total["payroll_fte"] and report.total["payslips_per_fte"] is None
    assert report.total["status"] is None
    assert any("FTE" in note or "årsarbetare" in note for note in report.notes)


def test_productivity_csv_has_the_agreed_columns_and_an_all_row(volumes, staffing_figures):
    rows = _csv("productivity", "--period", "2012-03", "--format", "csv")
    assert {"unit", "payslips", "payroll_fte", "payslips_per_fte", "target"} <= set(rows[0])
    by_unit = {row["unit"]: row for row in rows}
    assert list(by_unit) == ["lon1", "lon2", "ALL"]
    assert by_unit["ALL"]["payslips"] == "3700"
    assert by_unit["ALL"]["payroll_fte"] == "4.00"
    assert by_unit["ALL"]["payslips_per_fte"] == "925.0"
    assert by_unit["ALL"]["target"] == "950"
    assert by_unit["lon1"]["status"] == "met" and by_unit["lon2"]["status"] == "not_met"


def test_volume_report_per_agency_and_channel_against_last_year(volumes):
    report = reports.volume_report(period="2012-03")
    rows = {row["agency_code"]: row for row in report.rows}
    v1 = rows["V1"]
    assert (v1["self_service"], v1["manual"], v1["payslips"]) == (1300, 600, 1900)
    assert v1["machine_share_pct"] == Decimal("68.4")
    assert v1["payslips_last_year"] == 1000 and v1["change_pct"] == Decimal("90.0")
    assert report.total["agency_code"] == "TOTAL" and report.total["payslips"] == 3700
    assert report.total["machine_share_pct"] == Decimal("62.2")  # (1,300 + 1,000) / 3,700


def test_volume_csv_rows_per_agency_and_a_total(volumes):
    rows = _csv("volume", "--period", "2012-03")
    assert [r["agency_code"] for r in rows] == ["V1", "V2", "TOTAL"]
    assert rows[-1]["payslips"] == "3700" and rows[-1]["machine_share_pct"] == "62.2"


def test_volume_counts_live_from_cases_for_a_month_not_aggregated(month_of_work):
    report = reports.volume_report(period="2012-03")
    assert {r["agency_code"]: r["payslips"] for r in report.rows} == {"FF02": 5, "SDF01": 6}


def test_the_close_refreshes_the_monthly_aggregate(month_of_work):
    from payroll.models import AggregatedPeriod, MonthlyVolume

    close.run_close_job(CloseJob.objects.create(period="2012-03").pk)
    assert AggregatedPeriod.objects.filter(period="2012-03").exists()
    assert (
        MonthlyVolume.objects.filter(period="2012-03", agency=month_of_work["a"], channel="manual").get().payslips == 2
    )
    assert reports.volume_report(period="2012-03").total["payslips"] == 11


def test_invoices_csv_has_number_agency_period_and_total(month_of_work):
    close.run_close_job(CloseJob.objects.create(period="2012-03").pk)
    rows = _csv("invoices", "--period", "2012-03", "--format", "csv")
    assert {"invoice_number", "agency_code", "period", "total_sek"} <= set(rows[0])
    assert [(r["invoice_number"], r["agency_code"], r["period"], r["total_sek"]) for r in rows] == [
        ("2012-00001", "FF02", "2012-03", "627.00"),
        ("2012-00002", "SDF01", "2012-03", "509.00"),
        ("TOTAL", "", "2012-03", "1136.00"),
    ]


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_report_command_writes_xlsx_and_pdf_files(volumes, staffing_figures, tmp_path, fmt, magic):
    target = tmp_path / f"out.{fmt}"
    call_command(
        "report", "volume", "--period", "2012-03", "--format", fmt, "--output", str(target), stderr=io.StringIO()
    )
    assert target.read_bytes().startswith(magic)


def test_report_command_refuses_a_bad_period(db):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("report", "volume", "--period", "2012-3")


def test_tertial_report_indicators_against_commitments(volumes, staffing_figures, monkeypatch, month_of_work):
    patch_selector(
        monkeypatch,
        "staffing.selectors.phone_service",
        lambda *, periods: {
            "answered_25s_pct": Decimal("87.0"),
            "first_contact_pct": Decimal("78.5"),
            "emails_within_1d_pct": Decimal("100.0"),
        },
    )
    patch_selector(monkeypatch, "staffing.selectors.sick_leave_rate", lambda *, periods, unit=None: Decimal("5.1"))
    patch_selector(
        monkeypatch,
        "staffing.selectors.customer_satisfaction",
        lambda *, year: {"satisfied_pct": Decimal(91), "nki": 76},
    )
    close.run_close_job(CloseJob.objects.create(period="2012-03").pk)
    from reporting.services.board import tertial_report

    report = tertial_report(year=2012, tertial=1)
    rows = {row["indicator"]: row for row in report.rows}
    assert (rows["phone_within_25s"]["value"], rows["phone_within_25s"]["status"]) == (Decimal("87.0"), True)
    assert rows["first_contact"]["status"] is False
    assert rows["sick_leave"]["status"] is False  # 5.1 % against at most 4.5 %
    assert rows["satisfied_customers"]["status"] is True
    assert rows["revenue_budget"]["value"] == Decimal("1136.00")
    # January to April of the one monthly allocation of 42.7 million: 4 × 3,558,334
    assert rows["revenue_budget"]["target"] == Decimal("14233336.00")
    assert report.pdf().startswith(b"%PDF")


def test_refresh_volumes_command_fills_the_aggregate(month_of_work):
    from payroll.models import AggregatedPeriod, MonthlyVolume

    out = io.StringIO()
    call_command("refresh_volumes", "2012-02", "2012-03", stdout=out)
    assert set(AggregatedPeriod.objects.values_list("period", flat=True)) == {"2012-02", "2012-03"}
    assert MonthlyVolume.objects.filter(period="2012-03").count() == 5  # agency × channel with cases
    with pytest.raises(CommandError):
        call_command("refresh_volumes", "2012-03", "2012-02")


def test_dashboards_and_reports_give_the_same_payslips_per_fte(volumes, staffing_figures, unit):
    from django.utils import translation

    from reporting.dashboards import service_dashboard, unit_dashboard

    report = reports.productivity_report(period="2012-03")
    by_unit = {row["unit"]: row for row in report.rows}
    with translation.override("en"):
        for dashboard, expected in [
            (unit_dashboard(unit=unit, period="2012-03"), by_unit["lon1"]),
            (service_dashboard(period="2012-03"), report.total),
        ]:
            kpis = {str(kpi["label"]): kpi for kpi in dashboard.kpis}
            assert kpis["Payroll FTE"]["value"] == expected["payroll_fte"]
            assert kpis["Payslips per FTE"]["value"] == expected["payslips_per_fte"]
            assert kpis["Payslips per FTE"]["status"] is expected["status"]
            assert kpis["FTE needed at target"]["value"] == expected["fte_needed"]
    assert by_unit["lon1"]["payslips_per_fte"] == Decimal("950.0") and report.total["payslips_per_fte"] == Decimal(
        "925.0"
    )


@pytest.mark.parametrize("budget", ["42700000", "1000", "11", "42700000.05", "0"])
def test_the_monthly_budget_sums_to_the_year_to_the_ore(db, budget):
    from organisation.targets import budget_for, monthly_budget

    Target.objects.update_or_create(
        indicator=Target.Indicator.REVENUE_BUDGET, year=2030, defaults={"value": Decimal(budget)}
    )
    months = monthly_budget(2030)
    assert len(months) == 12 and sum(months.values()) == Decimal(budget)
    assert max(months.values()) - min(months.values()) <= Decimal("1")
    assert budget_for([f"2030-{m:02d}" for m in range(1, 13)]) == Decimal(budget)


def test_the_tertial_report_has_one_budget_in_its_indicators_table_and_chart(db):
    from reporting.services.board import REVENUE_YTD, tertial_report

    report = tertial_report(year=2012, tertial=2)
    rows = {row["indicator"]: row for row in report.rows}
    revenue = dict(report.sections)[str(_revenue_title())]
    by_month = {row["period"]: row["budget"] for row in revenue.rows}
    # T2 is May to August: 4 × 3,558,333; the year so far January to August; the table's total is the same.
    assert rows["revenue_budget"]["target"] == sum(by_month[f"2012-{m:02d}"] for m in range(5, 9))
    assert rows["revenue_budget"]["target"] == Decimal("14233332.00")
    assert rows[REVENUE_YTD]["target"] == revenue.total["budget"] == Decimal("28466668.00")
    assert revenue.total["budget"] == sum(by_month.values())
    # the year's budget in full: what the months of the whole year add up to
    assert tertial_report(year=2012, tertial=3).rows[-1]["target"] == Decimal("42700000.00")


def _revenue_title():
    from django.utils.translation import gettext

    return gettext("Revenue per month")
