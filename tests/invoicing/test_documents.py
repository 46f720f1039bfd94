"""What finance downloads: invoice and credit-note PDFs, the month's zip and the Agresso file."""

import csv
import io
import re
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from invoicing import documents
from invoicing.services import invoices
from tests import factories


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[\u00a0\u202f]", " ", text)


@pytest.fixture
def invoice(unit, settings):
    agency = factories.AgencyFactory(
        code="SDF07",
        name="Södermalms stadsdelsförvaltning",
        unit=unit,
        billing_reference="KST 4711",
        address="Box 4270, 102 66 Stockholm",
        account_code="6420",
        responsibility_code="1410",
        activity_code="9100",
        counterpart_code="100",
    )
    return factories.issued_invoice(agency=agency, quantities={"self_service": 12, "addon_hour": 1, "agresso": 2})


def test_invoice_pdf_has_sender_customer_number_lines_and_swedish_total(invoice, settings):
    text = _text(documents.invoice_pdf(invoice))
    assert settings.SERVICE_CENTRE["name"] in text
    assert settings.SERVICE_CENTRE["org_number"] in text
    assert "Södermalms stadsdelsförvaltning" in text and "KST 4711" in text
    assert f"Faktura {invoice.number}" in text
    assert "Förfallodatum" in text and invoice.due_date.isoformat() in text
    assert "Lön via Agresso" in text and "95,00 kr + 50,00 kr" in text  # base + surcharge
    assert "1 376,00 kr" in text  # 12 × 58 + 390 + 2 × 145
    assert "Sida 1 av 1" in text
    assert not re.search(r"\bmoms\s+\d|\d+\s*%\s*moms", text, re.IGNORECASE)  # no VAT line


def test_credit_note_pdf_refers_to_the_original(invoice, finance):
    note = invoices.credit_invoice(invoice=invoice, user=finance, reason="Fel antal timmar")
    text = _text(documents.invoice_pdf(note))
    assert f"Kreditfaktura {note.number}" in text
    assert invoice.number in text and "Fel antal timmar" in text
    assert "-1 376,00 kr" in text


def test_month_zip_holds_one_pdf_and_one_e_invoice_per_invoice(client, finance, invoice, unit):
    other = factories.issued_invoice(unit=unit, quantities={"manual": 3})
    client.force_login(finance)
    response = client.get(f"/invoicing/invoices/month/{invoice.period}/pdfs.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == sorted(
        [
            documents.pdf_filename(invoice),
            documents.pdf_filename(other),
            f"e-faktura/{invoice.number}.xml",
            f"e-faktura/{other.number}.xml",
        ]
    )


def test_agresso_file_has_one_row_per_invoice_line(client, finance, invoice):
    client.force_login(finance)
    response = client.get(f"/invoicing/invoices/month/{invoice.period}/agresso.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    assert list(rows[0]) == documents.ERP_COLUMNS
    agresso = next(r for r in rows if r["item_code"] == "agresso")
    assert agresso["customer_reference"] == "KST 4711" and agresso["invoice_number"] == invoice.number
    assert (agresso["quantity"], agresso["unit_price"], agresso["amount"]) == ("2", "145.00", "290.00")
    assert agresso["document_type"] == "INV"


def test_the_agency_pages_invoice_link_lists_that_agencys_invoices_only(client, invoice, finance, unit):
    other = factories.issued_invoice(unit=unit, quantities={"manual": 3})
    client.force_login(finance)
    response = client.get(reverse("invoicing:invoice_list"), {"agency": invoice.agency.pk})
    text = response.content.decode()
    assert response.status_code == 200
    assert invoice.number in text and other.number not in text


def test_the_buyers_coding_is_on_every_line_and_in_the_agresso_file_as_issued(client, finance, invoice):
    """Issue 15 item 7: a municipal finance department books the invoice by its coding."""
    invoice.agency.account_code = "9999"
    invoice.agency.save()  # a later change of the agency leaves the issued invoice as it was
    text = " ".join(_text(documents.invoice_pdf(invoice)).split())  # the narrow item column wraps
    coding = "Konto 6420 · Ansvar 1410 · Verksamhet 9100 · Motpart 100"
    assert text.count(coding) == 1 + invoice.lines.count()  # the header and every line
    client.force_login(finance)
    response = client.get(f"/invoicing/invoices/month/{invoice.period}/agresso.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {
        (r["buyer_account"], r["responsibility_code"], r["activity_code"], r["buyer_counterpart"]) for r in rows
    } == {("6420", "1410", "9100", "100")}
    note = invoices.credit_invoice(invoice=invoice, user=finance, reason="Fel")
    assert note.coding == invoice.coding


def test_an_invoice_priced_by_the_demo_price_list_prints_no_demo_wording(unit):
    from demo import pricing as pricing_demo
    from pricing.services import price_lines

    pricing_demo.load(users={})
    period = f"{pricing_demo.lists()[0][0]}-03"  # the demo year's list
    agency = factories.AgencyFactory(unit=unit)
    lines = price_lines(agency=agency, period=period, quantities={"self_service": 3, "pension_case": 1})
    issued = invoices.issue_invoice(agency=agency, period=period, lines=[invoices.LineInput(line) for line in lines])
    assert "demo" not in _text(documents.invoice_pdf(issued)).lower()


def test_invoice_pdf_title_is_the_document_s_name_only(invoice):
    reader = PdfReader(io.BytesIO(documents.invoice_pdf(invoice)))
    assert reader.metadata.title == f"Faktura {invoice.number}"
