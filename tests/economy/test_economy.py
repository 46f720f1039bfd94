"""The economy: revenue from invoices less credit notes against the ledger's costs, with the result,
the forecast, per unit, the cost of a payslip per channel, the imports and the pages."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from economy import imports
from economy.models import ActualCost, CostBudget, CostCentre, CostType, LedgerAccount
from economy.reports import economy_report
from invoicing.services import invoices
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pension_unit(db):
    return factories.UnitFactory(code="pension", name="Pensionsenheten", kind="pension")


@pytest.fixture
def ledger(unit, pension_unit):
    """Cost centres of the two units and one shared, and the accounts of three cost types."""
    CostCentre.objects.create(code="1101", name="Löneenhet 1", unit=unit)
    CostCentre.objects.create(code="1201", name="Pension", unit=pension_unit)
    CostCentre.objects.create(code="1100", name="Servicechef")
    LedgerAccount.objects.create(account="5010", name="Löner", cost_type=CostType.PERSONNEL)
    LedgerAccount.objects.create(account="5210", name="Lokalhyra", cost_type=CostType.PREMISES)
    LedgerAccount.objects.create(account="6540", name="IT-tjänster", cost_type=CostType.IT)


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def _import_costs(text):
    return imports.import_actual_costs(file=_csv("period;ansvar;konto;amount\n" + text))


@pytest.fixture
def quarter(unit, pension_unit, ledger):
    """Q1 2012 invoiced (58 × self-service, 95 × manual) and its costs in the ledger."""
    agency = factories.AgencyFactory(unit=unit)
    for period in ("2012-01", "2012-02", "2012-03"):
        factories.issued_invoice(agency=agency, period=period, quantities={"self_service": 100, "manual": 58})
    result = _import_costs(
        "2012-01;1101;5010;10000\n2012-01;1100;6540;2000\n2012-01;1201;5010;3000\n"
        "2012-02;1101;5010;10000\n2012-02;1101;5210;1500\n"
        "2012-03;1101;5010;11000\n2012-03;1100;6540;-500\n"
    )
    assert result.imported, result.errors
    CostBudget.objects.create(year=2012, unit=unit, cost_type=CostType.PERSONNEL, amount=Decimal("120000"))
    CostBudget.objects.create(year=2012, unit=pension_unit, cost_type=CostType.PERSONNEL, amount=Decimal("36000"))
    return agency


@pytest.fixture(autouse=True)
def _english():
    """Assertions below read the English source texts; the page test reads the Swedish page."""
    with translation.override("en"):
        yield


def _section(report, name):
    return next(section for _title, section in report.sections if section.name.startswith(name))


def _rows(report):
    return {row["period"]: row for row in report.rows}


def test_revenue_is_the_months_invoices_less_credit_notes_and_the_result_is_revenue_less_cost(quarter, finance):
    invoice_total = Decimal("100") * 58 + Decimal("58") * 95  # 11,310 kr a month
    march = factories.issued_invoice(unit=quarter.unit, period="2012-03", quantities={"manual": 10})
    invoices.credit_invoice(invoice=march, user=finance, reason="Fel")
    rows = _rows(economy_report(period="2012-03"))
    assert [rows[p]["revenue"] for p in ("2012-01", "2012-02", "2012-03")] == [invoice_total] * 3
    assert [rows[p]["cost"] for p in ("2012-01", "2012-02", "2012-03")] == [
        Decimal("15000.00"),
        Decimal("11500.00"),
        Decimal("10500.00"),
    ]
    for row in rows.values():
        assert row["result"] == row["revenue"] - row["cost"]
        assert row["result_cumulative"] == row["revenue_cumulative"] - row["cost_cumulative"]


def test_the_months_left_are_forecast_from_the_cost_budget_and_the_revenue_trend(quarter):
    report = economy_report(period="2012-03")
    rows = _rows(report)
    # 156,000 kr budget in twelve shares of 13,000; revenue at the average invoiced month.
    assert {rows[p]["cost"] for p in rows if p > "2012-03"} == {Decimal("13000.00")}
    assert {rows[p]["revenue"] for p in rows if p > "2012-03"} == {Decimal("11310.00")}
    assert rows["2012-04"]["basis"] == "forecast" and rows["2012-03"]["basis"] == "actual"
    assert report.total["revenue"] == 12 * Decimal("11310")
    assert report.total["cost"] == Decimal("37000") + 9 * Decimal("13000")
    assert report.total["result"] == report.total["revenue"] - report.total["cost"]


def test_the_summary_compares_with_the_seeds_revenue_budget_allocated_to_the_ore(quarter):
    summary = _section(economy_report(period="2012-03"), "economy-summary")
    revenue = next(row for row in summary.rows if row["key"] == "revenue")
    # 42,700,000 kr: 3,558,334 kr in January to April.
    assert (revenue["budget"], revenue["budget_to_date"]) == (Decimal("42700000"), 3 * Decimal("3558334"))
    cost = next(row for row in summary.rows if row["key"] == "cost")
    assert (cost["year_to_date"], cost["budget_to_date"]) == (Decimal("37000.00"), Decimal("39000.00"))


def test_per_unit_the_shared_costs_have_a_row_and_the_whole_service_adds_up(quarter, unit):
    units = _section(economy_report(period="2012-03"), "economy-units")
    by_name = {row["unit"]: row for row in units.rows}
    assert by_name[unit.name]["cost"] == Decimal("32500.00")
    assert by_name["Pensionsenheten"]["cost"] == Decimal("3000.00")
    assert by_name["Shared costs (whole service)"]["cost"] == Decimal("1500.00")
    assert units.total["cost"] == Decimal("37000.00")
    assert units.total["result"] == units.total["revenue"] - units.total["cost"]


def test_a_unit_manager_sees_only_their_units_without_the_shared_costs(quarter, unit):
    report = economy_report(period="2012-03", unit_ids=[unit.pk])
    assert _rows(report)["2012-01"]["cost"] == Decimal("10000.00")
    units = _section(report, "economy-units")
    assert [row["unit"] for row in units.rows] == [unit.name]
    assert [section.name for _title, section in report.sections] == ["economy-summary", "economy-units"]


def test_a_payslip_costs_its_share_weighted_by_the_channels_price(quarter):
    by_code = {row["code"]: row for row in _section(economy_report(period="2012-03"), "cost-per-payslip").rows}
    # Payroll costs 32,500 kr + the shared 1,500 kr × 32,500 / 35,500; 300 self-service and 174 manual
    # payslips weigh 300 + 174 × 95/58 = 585: a self-service payslip costs 1/585 of it.
    payroll_cost = Decimal("32500") + Decimal("1500") * Decimal("32500") / Decimal("35500")
    per_weight = payroll_cost / 585
    assert by_code["self_service"]["cost_per_payslip"] == per_weight.quantize(Decimal("0.01"))
    assert by_code["manual"]["cost_per_payslip"] == (per_weight * 95 / 58).quantize(Decimal("0.01"))
    assert by_code["manual"]["price"] == Decimal("95") and by_code["manual"]["payslips"] == 174
    assert by_code["self_service"]["price_of_cost_pct"] == (100 * 58 / per_weight).quantize(Decimal("0.1"))


def test_a_cost_file_with_an_unmapped_cost_centre_or_account_imports_nothing(ledger):
    result = _import_costs("2012-04;1101;5010;100\n2012-04;9999;5010;100\n2012-04;1101;4000;5\n2012-04;1101;5010;x\n")
    assert [(e.row, e.column) for e in result.errors] == [(3, "ansvar"), (4, "konto"), (5, "amount")]
    assert not ActualCost.objects.exists()


def test_a_month_imported_again_is_replaced_and_keeps_the_mapping_it_had(ledger, unit):
    _import_costs("2012-04;1101;5010;100\n2012-04;1101;5210;50\n")
    CostCentre.objects.filter(code="1101").update(unit=None)
    result = _import_costs("2012-04;1101;5010;70\n2012-05;1101;5010;80\n")
    assert result.imported
    assert sorted(ActualCost.objects.values_list("period", "amount")) == [
        ("2012-04", Decimal("70.00")),
        ("2012-05", Decimal("80.00")),
    ]
    assert not ActualCost.objects.filter(unit=unit).exists()  # the mapping as it is at import


def test_the_cost_budget_import_replaces_each_year_and_refuses_bad_rows(unit, pension_unit):
    CostBudget.objects.create(year=2012, unit=pension_unit, cost_type=CostType.IT, amount=Decimal("5"))
    bad = imports.import_cost_budget(
        file=_csv("year;unit;cost_type;amount\n2012;lon1;personnel;100\n2012;lon1;personnel;5\n1999;x;travel;-1\n")
    )
    assert [(e.row, e.column) for e in bad.errors] == [
        (3, "cost_type"),
        (4, "year"),
        (4, "unit"),
        (4, "cost_type"),
        (4, "amount"),
    ]
    good = imports.import_cost_budget(file=_csv("year;unit;cost_type;amount\n2012;lon1;personnel;1 200 000,50\n"))
    assert good.imported
    assert list(CostBudget.objects.values_list("unit__code", "cost_type", "amount")) == [
        ("lon1", "personnel", Decimal("1200000.50"))
    ]


def test_the_economy_page_and_its_downloads_for_the_head_of_service(client, head_of_service, quarter):
    client.force_login(head_of_service)
    page = client.get(reverse("economy:economy"), {"period": "2012-03"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ekonomi 2012" in text and "11\xa0310,00\xa0kr" in text and "Hela verksamheten" in text
    for fmt, content_type in [("csv", "text/csv"), ("xlsx", "spreadsheet"), ("pdf", "application/pdf")]:
        download = client.get(reverse("economy:economy"), {"period": "2012-03", "format": fmt})
        assert download.status_code == 200 and content_type in download["Content-Type"], fmt


def test_the_download_links_keep_the_default_period(client, finance, quarter):
    client.force_login(finance)
    text = client.get(reverse("economy:economy")).content.decode()
    link = text.split('href="?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    response = client.get(reverse("economy:economy") + "?" + link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_cost_budget_is_entered_on_its_page(client, finance, unit, pension_unit):
    client.force_login(finance)
    url = reverse("economy:cost_budget") + "?year=2012"
    assert client.get(url).status_code == 200
    refused = client.post(url, {f"u{unit.pk}_personnel": "-5"})
    assert refused.status_code == 400 and not CostBudget.objects.exists()
    client.post(url, {f"u{unit.pk}_personnel": "120 000", f"u{pension_unit.pk}_it": "8000,50"})
    assert sorted(CostBudget.objects.values_list("unit__code", "cost_type", "amount")) == [
        ("lon1", "personnel", Decimal("120000.00")),
        ("pension", "it", Decimal("8000.50")),
    ]


def test_a_unit_manager_reads_the_cost_budget_but_cannot_change_it(client, unit_manager, unit):
    client.force_login(unit_manager)
    url = reverse("economy:cost_budget") + "?year=2012"
    assert client.get(url).status_code == 200
    assert client.post(url, {f"u{unit.pk}_personnel": "100"}).status_code == 403
    assert not CostBudget.objects.exists()


def test_the_import_page_shows_row_errors_and_writes_nothing(client, finance, ledger):
    client.force_login(finance)
    upload = SimpleUploadedFile("costs.csv", b"period;ansvar;konto;amount\n2012-13;1101;5010;1\n")
    response = client.post(reverse("economy:actual_cost_import"), {"file": upload})
    assert response.status_code == 400 and "ÅÅÅÅ-MM" in response.content.decode()
    assert not ActualCost.objects.exists()


def test_the_report_command_writes_the_economy_as_csv(quarter, capsys):
    call_command("report", "economy", "--period", "2012-03")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("period,basis,revenue,cost,result")
    assert lines[1].startswith("2012-01,")
    assert lines[-1].startswith("TOTAL,")
