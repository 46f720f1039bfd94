"""Hostile text that imports rightly accept (it is just text in a name) must be harmless wherever it is
shown again: formulas neutralised in every CSV and Excel export, HTML escaped on every page, and in
PDFs printed as the literal text rather than read as markup."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts import roles
from core.exports import FORMULA_START
from tests import factories

from .corpus import FORMULAS, SCRIPT, hostile_text_rows
from .imports import SPECS, run

HOSTILE = [*FORMULAS, SCRIPT]
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def xlsx_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is stored as a formula"
    return [c.value for c in cells if c.value is not None]


def pdf_text(content: bytes) -> str:
    """The PDF's text without white space: a narrow column wraps a long name over lines."""
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def assert_neutralised(cells, values=FORMULAS):
    """Every hostile value is there, as text that no spreadsheet runs: an apostrophe first."""
    texts = [str(c) for c in cells]
    for value in values:
        assert "'" + value in texts, f"{value!r} is missing from the export (or not neutralised)"
    dangerous = [t for t in texts if t.startswith(FORMULA_START)]
    assert not dangerous, dangerous


def assert_escaped(html: str):
    assert ESCAPED_SCRIPT in html, "the hostile name is not on the page at all: the check is void"
    assert SCRIPT not in html


def _import(name, values=HOSTILE):
    outcome = run(name, hostile_text_rows(SPECS[name], values))
    assert outcome.accepted, outcome.text
    return outcome.result


@pytest.fixture
def hostile_agencies(world):
    """Agencies named with formulas and a script, imported through the agency import."""
    _import("agencies")
    from customers.models import Agency

    return list(Agency.objects.filter(name__in=HOSTILE).order_by("code"))


def test_agency_exports_and_pages(client, administrator, hostile_agencies):
    client.force_login(administrator)
    assert_neutralised(csv_cells(client.get(reverse("customers:agency_list"), {"export": "csv"}).content))
    assert_neutralised(xlsx_cells(client.get(reverse("customers:agency_list"), {"export": "xlsx"}).content))
    assert_escaped(client.get(reverse("customers:agency_list")).content.decode())
    script_agency = next(a for a in hostile_agencies if a.name == SCRIPT)
    assert_escaped(client.get(reverse("customers:agency_detail", args=[script_agency.pk])).content.decode())


def test_customer_log_export(client, administrator, hostile_agencies):
    for value in HOSTILE:
        factories.CustomerLogEntryFactory(agency=hostile_agencies[0], summary=value)
    client.force_login(administrator)
    assert_neutralised(csv_cells(client.get(reverse("customers:log_list"), {"export": "csv"}).content))
    assert_neutralised(xlsx_cells(client.get(reverse("customers:log_list"), {"export": "xlsx"}).content))
    assert_escaped(client.get(reverse("customers:log_list")).content.decode())


def test_price_list_exports_and_page(client, administrator, world):
    result = _import("price_list")
    client.force_login(administrator)
    url = reverse("pricing:pricelist_detail", args=[result.target.pk])
    assert_neutralised(csv_cells(client.get(url, {"export": "csv"}).content))
    assert_neutralised(xlsx_cells(client.get(url, {"export": "xlsx"}).content))
    assert_escaped(client.get(url).content.decode())


def test_payroll_case_exports_and_pages(client, case_handler, world):
    _import("payslips")  # payslip ids with formulas and a script
    client.force_login(case_handler)
    assert_neutralised(csv_cells(client.get(reverse("payroll:case_export"), {"format": "csv"}).content))
    assert_neutralised(xlsx_cells(client.get(reverse("payroll:case_export"), {"format": "xlsx"}).content))
    assert_escaped(client.get(reverse("payroll:case_list")).content.decode())
    from payroll.models import PayrollCase

    case = PayrollCase.objects.get(payslip_id=SCRIPT)
    assert_escaped(client.get(reverse("payroll:case_detail", args=[case.pk])).content.decode())


def test_pension_exports_and_pages(client, pension_handler, world):
    signal_list = _import("signals").target  # people named with formulas and a script
    for item in signal_list.items.select_related("person", "agency"):
        factories.PensionCaseFactory(agency=item.agency, unit=world["unit"], person=item.person)
    client.force_login(pension_handler)
    assert_neutralised(csv_cells(client.get(reverse("pensions:case_export"), {"format": "csv"}).content))
    assert_neutralised(xlsx_cells(client.get(reverse("pensions:case_export"), {"format": "xlsx"}).content))
    assert_escaped(client.get(reverse("pensions:signal_list_detail", args=[signal_list.pk])).content.decode())
    assert_escaped(client.get(reverse("pensions:case_list")).content.decode())


@pytest.fixture
def hostile_invoices(hostile_agencies):
    return [factories.issued_invoice(agency=agency) for agency in hostile_agencies]


def test_invoice_exports_erp_file_and_pages(client, finance, hostile_invoices):
    client.force_login(finance)
    assert_neutralised(csv_cells(client.get(reverse("invoicing:erp_file", args=["2012-03"])).content))
    assert_neutralised(csv_cells(client.get(reverse("invoicing:invoice_list"), {"export": "csv"}).content))
    assert_neutralised(xlsx_cells(client.get(reverse("invoicing:invoice_list"), {"export": "xlsx"}).content))
    assert_escaped(client.get(reverse("invoicing:invoice_list")).content.decode())
    script_invoice = next(i for i in hostile_invoices if i.agency_name == SCRIPT)
    assert_escaped(client.get(reverse("invoicing:invoice_detail", args=[script_invoice.pk])).content.decode())


def test_invoice_pdf_prints_the_name_as_text(client, finance, hostile_invoices):
    client.force_login(finance)
    for invoice in hostile_invoices:
        text = pdf_text(client.get(reverse("invoicing:invoice_pdf", args=[invoice.pk])).content)
        assert squeezed(invoice.agency_name) in text, (invoice.agency_name, text[:300])


def test_cover_letter_pdf_prints_hostile_text_literally(client, case_handler, hostile_agencies):
    agency = next(a for a in hostile_agencies if a.name == SCRIPT)
    case_return = factories.CaseReturnFactory(
        case__agency=agency, returned_by=case_handler, details="<b>Attest</b> saknas " + SCRIPT
    )
    client.force_login(case_handler)
    text = pdf_text(client.get(reverse("payroll:cover_letter", args=[case_return.pk])).content)
    assert squeezed(SCRIPT) in text and squeezed("<b>Attest</b> saknas") in text


def test_volume_report_exports_and_pdf(client, head_of_service, hostile_agencies):
    from payroll.models import AggregatedPeriod, MonthlyVolume

    for agency in hostile_agencies:
        MonthlyVolume.objects.create(period="2012-03", agency=agency, unit=agency.unit, channel="manual", payslips=5)
    AggregatedPeriod.objects.create(period="2012-03")
    client.force_login(head_of_service)
    url = reverse("reporting:volume_report")
    assert_neutralised(csv_cells(client.get(url, {"period": "2012-03", "format": "csv"}).content))
    assert_neutralised(xlsx_cells(client.get(url, {"period": "2012-03", "format": "xlsx"}).content))
    assert_escaped(client.get(url, {"period": "2012-03"}).content.decode())
    text = pdf_text(client.get(url, {"period": "2012-03", "format": "pdf"}).content)
    assert squeezed(SCRIPT) in text


def test_the_audit_trail_escapes_what_it_shows(client, hostile_agencies):
    admin = factories.UserFactory(role=roles.ADMINISTRATOR)
    agency = hostile_agencies[0]
    agency.billing_reference = SCRIPT
    agency.save()
    client.force_login(admin)
    assert_escaped(client.get(reverse("audit:trail")).content.decode())


def test_the_import_error_pages_escape_the_bad_value(client, administrator, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .corpus import REJECTED

    client.force_login(administrator)
    content = REJECTED["script_in_strict_column"](SPECS["agencies"])
    response = client.post(reverse("customers:agency_import"), {"file": SimpleUploadedFile("a.csv", content)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;" in html and "<SCRIPT>" not in html


def test_lazy_text_is_neutralised_too():
    from django.utils.functional import lazy

    from core.exports import csv_bytes

    lazy_formula = lazy(lambda: "=cmd|' /C calc'!A0", str)()
    assert csv_cells(csv_bytes(["a"], [[lazy_formula]]))[1] == "'=cmd|' /C calc'!A0"


PROJECT_CODE = ["customers", "pricing", "payroll", "pensions", "staffing", "reporting", "lonservice", "templates"]


def _project_files(*suffixes):
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    for folder in PROJECT_CODE:
        for path in (root / folder).rglob("*"):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path


def test_every_spreadsheet_is_written_by_the_neutralising_helper():
    """So that no export can skip the apostrophe: only core/exports.py writes CSV or Excel."""
    offenders = [
        str(path)
        for path in _project_files(".py")
        if path.name != "exports.py" and any(s in path.read_text() for s in ("csv.writer(", "Workbook(", "DictWriter("))
    ]
    assert not offenders


def test_nothing_turns_autoescaping_off():
    """Pages and PDFs escape every value: no |safe, mark_safe or autoescape off anywhere in the project."""
    offenders = [
        str(path)
        for path in _project_files(".py", ".html", ".txt")
        if any(s in path.read_text() for s in ("|safe", "mark_safe(", "{% autoescape off", "SafeString("))
    ]
    assert not offenders
