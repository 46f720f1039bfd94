"""Every invoice and credit note as a Peppol BIS Billing 3.0 document, checked by the official rules."""

import base64
import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.utils import translation
from lxml import etree

from invoicing import documents, peppol
from invoicing.models import Invoice
from invoicing.services import invoices
from tests import factories
from tests.invoicing.conftest import assert_valid_einvoice

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def _text(tree, path):
    return [e.text for e in tree.iterfind(path, NS)]


@pytest.fixture
def agency(unit):
    return factories.einvoice_agency(unit)


@pytest.fixture
def invoice(agency):
    return factories.issued_invoice(
        agency=agency, quantities={"self_service": 12, "agresso": 2, "pension_case": 1, "addon_hour": 1.5}
    )


def test_an_invoice_is_a_valid_peppol_invoice_with_seller_buyer_lines_and_pdf(invoice, peppol_validator, settings):
    xml = peppol.einvoice_xml(invoice)
    assert_valid_einvoice(peppol_validator, xml, peppol.filename(invoice))
    tree = etree.fromstring(xml)
    assert tree.tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    assert _text(tree, "cbc:InvoiceTypeCode") == ["380"]
    assert _text(tree, "cbc:ID") == [invoice.number]
    # seller: the centre, endpoint scheme 0007 with its organisation number
    seller = tree.find("cac:AccountingSupplierParty/cac:Party", NS)
    assert seller.find("cbc:EndpointID", NS).get("schemeID") == "0007"
    assert seller.find("cbc:EndpointID", NS).text == settings.SERVICE_CENTRE["org_number"].replace("-", "")
    # buyer: the agency's number and endpoint; its reference and ansvar in the buyer reference
    buyer = tree.find("cac:AccountingCustomerParty/cac:Party", NS)
    assert buyer.find("cbc:EndpointID", NS).text == "2120000142"
    assert _text(buyer, "cac:PartyIdentification/cbc:ID") == ["SDF07"]
    assert _text(tree, "cbc:BuyerReference") == ["Ref. Eva Berg; ansvar 1460"]
    assert _text(tree, "cbc:AccountingCost") == ["ansvar 1460;vht 1100"]
    # lines: item code, quantity with its UN/ECE Rec 20 unit, price, the month
    lines = tree.findall("cac:InvoiceLine", NS)
    codes = {
        line.find("cac:Item/cac:SellersItemIdentification/cbc:ID", NS).text: line.find("cbc:InvoicedQuantity", NS)
        for line in lines
    }
    assert {code: (q.text, q.get("unitCode")) for code, q in codes.items()} == {
        "self_service": ("12", "H87"),
        "agresso": ("2", "H87"),
        "pension_case": ("1", "H87"),
        "addon_hour": ("1.5", "HUR"),
    }
    assert _text(tree, "cac:InvoicePeriod/cbc:StartDate") == ["2012-03-01"]
    assert _text(tree, "cac:InvoicePeriod/cbc:EndDate") == ["2012-03-31"]
    assert _text(tree, "cbc:DueDate") == [invoice.due_date.isoformat()]
    assert _text(tree, "cac:PaymentMeans/cbc:PaymentMeansCode") == ["97"]
    # no VAT: category O on the breakdown and every line
    assert set(_text(tree, ".//cac:ClassifiedTaxCategory/cbc:ID")) == {"O"}
    assert _text(tree, "cac:TaxTotal/cbc:TaxAmount") == ["0.00"]
    assert _text(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount") == [f"{invoice.total:.2f}"]
    # the PDF, embedded
    embedded = tree.find("cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS)
    assert embedded.get("mimeCode") == "application/pdf"
    assert base64.b64decode(embedded.text).startswith(b"%PDF")


def test_a_credit_note_is_a_valid_peppol_credit_note_that_refers_to_its_invoice(invoice, finance, peppol_validator):
    note = invoices.credit_invoice(invoice=invoice, user=finance, reason="Fel antal timmar")
    xml = peppol.einvoice_xml(note)
    assert_valid_einvoice(peppol_validator, xml, peppol.filename(note))
    tree = etree.fromstring(xml)
    assert tree.tag == "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
    assert _text(tree, "cbc:CreditNoteTypeCode") == ["381"]
    assert _text(tree, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == [invoice.number]
    # A credit note states what it credits as positive amounts.
    assert _text(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount") == [f"{invoice.total:.2f}"]
    assert all(not q.startswith("-") for q in _text(tree, "cac:CreditNoteLine/cbc:CreditedQuantity"))


def test_late_work_keeps_its_own_month_inside_the_invoice_period(agency, price_list, peppol_validator):
    from invoicing.services.month import price_agency_month

    lines = price_agency_month(
        agency=agency, period="2012-03", quantities={"manual": 2}, late={"2012-01": {"girovision": 1}}
    )
    invoice = invoices.issue_invoice(agency=agency, period="2012-03", lines=lines)
    tree = etree.fromstring(peppol.einvoice_xml(invoice))
    assert _text(tree, "cac:InvoicePeriod/cbc:StartDate") == ["2012-01-01"]
    assert sorted(_text(tree, "cac:InvoiceLine/cac:InvoicePeriod/cbc:StartDate")) == ["2012-01-01", "2012-03-01"]
    assert_valid_einvoice(peppol_validator, peppol.einvoice_xml(invoice), invoice.number)


def test_the_validator_refuses_a_broken_document(invoice, peppol_validator):
    """The check can fail: a document without a buyer reference and with a wrong total is refused."""
    xml = peppol.einvoice_xml(invoice, pdf=b"%PDF-1.4")
    broken = re.sub(rb"\s*<cbc:BuyerReference>.*?</cbc:BuyerReference>", b"", xml)
    assert broken != xml
    result = peppol_validator.validate(broken)
    assert not result.valid
    assert any(f.startswith("PEPPOL-EN16931-R003") for f in result.fatal)
    wrong_total, count = re.subn(rb"(<cbc:PayableAmount[^>]*>)[0-9.]+<", rb"\g<1>99999.00<", xml)
    assert count == 1
    result = peppol_validator.validate(wrong_total)
    assert any(f.startswith("BR-CO-16") for f in result.fatal)


def test_an_agency_without_organisation_number_or_endpoint_gets_a_clear_message(unit):
    agency = factories.AgencyFactory(unit=unit, organisation_number="", peppol_endpoint="")
    invoice = factories.issued_invoice(agency=agency)
    with translation.override("en"), pytest.raises(peppol.EInvoiceError, match="no organisation number"):
        peppol.einvoice_xml(invoice, pdf=b"%PDF-1.4")
    with translation.override("sv"), pytest.raises(peppol.EInvoiceError, match="saknar organisationsnummer"):
        peppol.einvoice_xml(invoice, pdf=b"%PDF-1.4")


def test_every_invoice_and_credit_note_of_the_demo_validates(db, peppol_validator):
    call_command("seed_demo", stdout=io.StringIO())
    documents_ = list(Invoice.objects.prefetch_related("lines").select_related("agency", "credited_invoice"))
    assert any(d.is_credit_note for d in documents_) and any(not d.is_credit_note for d in documents_)
    for document in documents_:
        # The PDF is checked elsewhere; a stand-in keeps this test to the e-invoice's rules.
        xml = peppol.einvoice_xml(document, pdf=b"%PDF-1.4 stand-in")
        assert_valid_einvoice(peppol_validator, xml, document.number)


def test_einvoice_download_and_the_months_zip(client, finance, invoice, peppol_validator):
    client.force_login(finance)
    response = client.get(f"/invoicing/invoices/{invoice.pk}/einvoice.xml")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'"{invoice.number}.xml"')
    assert_valid_einvoice(peppol_validator, response.content, invoice.number)
    response = client.get(f"/invoicing/invoices/month/{invoice.period}/pdfs.zip")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert documents.pdf_filename(invoice) in names and f"e-faktura/{invoice.number}.xml" in names


def test_export_einvoices_writes_one_file_per_document_with_the_months_credit_notes(invoice, finance, tmp_path):
    note = invoices.credit_invoice(invoice=invoice, user=finance, reason="Fel")
    out = io.StringIO()
    call_command("export_einvoices", "--period", invoice.period, "--output", str(tmp_path), stdout=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"{invoice.number}.xml", f"{note.number}.xml"])
    assert b"<cbc:CreditNoteTypeCode>381" in (tmp_path / f"{note.number}.xml").read_bytes()
