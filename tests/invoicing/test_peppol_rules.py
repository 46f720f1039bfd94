"""The Peppol writer's business rules, read from the document itself (fast: no validator).

tests/invoicing/test_peppol.py checks the documents with the official rules; these tests pin what
each element says, so a change to the writer that the rules would still accept is noticed too."""

import base64
import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation
from lxml import etree

from invoicing import documents, peppol
from invoicing.models import Invoice, InvoiceLine
from invoicing.services import invoices
from tests import factories

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
PDF = b"%PDF-1.4 stand-in"
CENTRE = {
    "name": "Serviceförvaltningen, Lön och pension",
    "address": "Box 8310, 104 20 Stockholm",
    "org_number": " 212000-0142 ",
    "email": "lonservice@example.se",
}


def _texts(node, path):
    return [e.text for e in node.iterfind(path, NS)]


def _one(node, path):
    found = node.findall(path, NS)
    assert len(found) == 1, (path, len(found))
    return found[0]


def _tree(invoice, pdf=PDF):
    return etree.fromstring(peppol.einvoice_xml(invoice, pdf=pdf))


def _with_lines(invoice):
    """The invoice with its lines read once, so a test can change them in memory (issued ones are immutable)."""
    return Invoice.objects.prefetch_related("lines").get(pk=invoice.pk)


@pytest.fixture
def agency(unit):
    return factories.einvoice_agency(unit)


@pytest.fixture
def invoice(agency):
    return factories.issued_invoice(agency=agency, quantities={"self_service": 12, "addon_hour": 1.5})


# --- small rules -------------------------------------------------------------------------------


def test_each_document_is_one_file_named_by_its_number():
    assert peppol.filename(Invoice(number="2012-00042")) == "2012-00042.xml"


@pytest.mark.parametrize("unit", ["månad", "mån", "month", " Månad ", "MONTH"])
def test_a_fixed_monthly_amount_is_counted_in_months_whatever_its_item(unit):
    assert peppol.unit_code("addon_hour", unit) == "MON"
    assert peppol.unit_code("self_service", unit) == "MON"


def test_add_on_hours_are_counted_in_hours_and_everything_else_in_pieces():
    assert peppol.unit_code("addon_hour") == "HUR"
    assert peppol.unit_code("addon_hour", "timmar") == "HUR"
    assert peppol.unit_code("self_service") == "H87"
    assert peppol.unit_code("pension_case", "st") == "H87"
    assert peppol.unit_code("manual", "månader") == "H87"


def test_amounts_are_written_without_sign_to_the_ore():
    assert peppol._money(Decimal("1234.5")) == "1234.50"
    assert peppol._money(Decimal("-3")) == "3.00"
    assert peppol._money(Decimal("0.126")) == "0.13"


def test_quantities_are_written_without_sign_and_without_trailing_zeros():
    assert peppol._quantity(Decimal("-2.00")) == "2"
    assert peppol._quantity(Decimal("1.50")) == "1.5"


def test_an_organisation_number_is_written_as_its_ten_digits():
    assert peppol._digits(" 212000-0142 ") == "2120000142"


def test_an_address_on_one_line_splits_into_street_postal_zone_and_city():
    assert peppol.split_address("Box 8310, 104 20 Stockholm") == {
        "street": "Box 8310",
        "zone": "104 20",
        "city": "Stockholm",
    }


def test_an_address_on_several_lines_keeps_every_street_line_and_a_zone_without_space():
    assert peppol.split_address("Stadshuset\n Plan 3 ,\n10420  Stockholms stad") == {
        "street": "Stadshuset, Plan 3",
        "zone": "10420",
        "city": "Stockholms stad",
    }


def test_an_address_without_postal_zone_is_all_street():
    assert peppol.split_address("Box 1, Stockholm") == {"street": "Box 1, Stockholm", "zone": "", "city": ""}
    assert peppol.split_address("Box 1, 104 20") == {"street": "Box 1, 104 20", "zone": "", "city": ""}
    assert peppol.split_address("Box 1, 1042 Stockholm") == {
        "street": "Box 1, 1042 Stockholm",
        "zone": "",
        "city": "",
    }


def test_an_address_of_only_a_postal_zone_and_city_has_no_street():
    assert peppol.split_address("104 20 Stockholm") == {"street": "", "zone": "104 20", "city": "Stockholm"}


@pytest.mark.parametrize("address", ["", None, " , \n ,"])
def test_no_address_is_empty_parts(address):
    assert peppol.split_address(address) == {"street": "", "zone": "", "city": ""}


def test_the_accounting_string_names_the_ansvar_and_verksamhet_codes_that_are_set():
    assert peppol._accounting("1460", "1100") == "ansvar 1460;vht 1100"
    assert peppol._accounting("1460", "") == "ansvar 1460"
    assert peppol._accounting("", "1100") == "vht 1100"
    assert peppol._accounting("", "") == ""


def test_an_element_drops_empty_attributes_and_writes_its_text_as_text():
    b = peppol._Builder("Invoice")
    element = b.add(b.root, "cbc:ID", 7, schemeID="0007", name="")
    assert element.tag == f"{{{NS['cbc']}}}ID"
    assert element.text == "7"
    assert dict(element.attrib) == {"schemeID": "0007"}
    assert b.add(b.root, "cac:Party").text is None
    assert b.add(b.root, "cbc:Note", "").text == ""
    amount = b.amount(b.root, "cbc:PayableAmount", Decimal("-5"))
    assert (amount.text, dict(amount.attrib)) == ("5.00", {"currencyID": "SEK"})


# --- the document -------------------------------------------------------------------------------


def test_the_document_is_utf8_with_the_document_namespace_as_default_and_indented(invoice):
    xml = peppol.einvoice_xml(invoice, pdf=PDF)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<Invoice xmlns=")
    assert b"ns0:" not in xml and b"\n  <cbc:CustomizationID>" in xml
    assert "Södermalms".encode() in xml
    note = invoices.credit_invoice(invoice=invoice, user=factories.UserFactory(), reason="Fel")
    xml = peppol.einvoice_xml(note, pdf=PDF)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<CreditNote xmlns=")
    assert b"ns0:" not in xml


def test_the_header_names_the_peppol_billing_profile_number_dates_and_currency(invoice):
    tree = _tree(invoice)
    assert _texts(tree, "cbc:CustomizationID") == [
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    ]
    assert _texts(tree, "cbc:ProfileID") == ["urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"]
    assert _texts(tree, "cbc:ID") == [invoice.number]
    assert _texts(tree, "cbc:IssueDate") == [invoice.invoice_date.isoformat()]
    assert _texts(tree, "cbc:DueDate") == [invoice.due_date.isoformat()]
    assert _texts(tree, "cbc:InvoiceTypeCode") == ["380"]
    assert _texts(tree, "cbc:CreditNoteTypeCode") == []
    assert _texts(tree, "cbc:DocumentCurrencyCode") == ["SEK"]
    assert _texts(tree, "cbc:Note") == []  # an invoice without a reason has no note
    assert tree.find("cac:BillingReference", NS) is None


def test_the_buyer_reference_and_accounting_string_come_from_the_invoices_copy(invoice, agency):
    agency.billing_reference, agency.responsibility_code, agency.activity_code = "Ny ref", "9999", "8888"
    agency.save()
    tree = _tree(Invoice.objects.get(pk=invoice.pk))
    assert _texts(tree, "cbc:BuyerReference") == ["Ref. Eva Berg; ansvar 1460"]
    assert _texts(tree, "cbc:AccountingCost") == ["ansvar 1460;vht 1100"]
    assert _texts(tree, "cac:InvoiceLine/cbc:AccountingCost") == ["ansvar 1460;vht 1100"] * 2


def test_an_invoice_issued_before_the_copies_reads_the_buyer_from_the_agency(invoice, agency):
    for name in Invoice.BUYER_FIELDS:
        setattr(invoice, name, "")
    agency.organisation_number, agency.responsibility_code, agency.activity_code = "212000-0001", "77", "66"
    invoice.agency = agency
    tree = _tree(invoice)
    buyer = _one(tree, "cac:AccountingCustomerParty/cac:Party")
    assert _one(buyer, "cbc:EndpointID").text == "2120000001"
    assert _one(buyer, "cbc:EndpointID").get("schemeID") == "0007"
    assert _texts(buyer, "cac:PartyLegalEntity/cbc:CompanyID") == ["2120000001"]
    assert _texts(tree, "cbc:BuyerReference") == ["Ref. Eva Berg; ansvar 77"]
    assert _texts(tree, "cbc:AccountingCost") == ["ansvar 77;vht 66"]


def test_a_buyer_without_ansvar_or_verksamhet_has_no_accounting_string(unit):
    agency = factories.AgencyFactory(unit=unit, organisation_number="212000-0142", responsibility_code="")
    agency.activity_code = ""
    agency.save()
    tree = _tree(factories.issued_invoice(agency=agency))
    assert tree.find(".//cbc:AccountingCost", NS) is None


def test_the_buyer_is_sent_to_its_own_endpoint_with_its_scheme(unit):
    agency = factories.AgencyFactory(
        unit=unit, organisation_number="212000-0142", peppol_endpoint="0088:7300010000001:x"
    )
    tree = _tree(factories.issued_invoice(agency=agency))
    endpoint = _one(tree, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID")
    assert (endpoint.get("schemeID"), endpoint.text) == ("0088", "7300010000001:x")
    company = _texts(tree, "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
    assert company == ["2120000142"]


@pytest.mark.parametrize("endpoint", ["7300010000001", ""])
def test_a_buyer_endpoint_without_scheme_is_refused_with_a_clear_message(unit, endpoint):
    agency = factories.AgencyFactory(unit=unit, organisation_number="", peppol_endpoint=endpoint)
    invoice = factories.issued_invoice(agency=agency)
    with translation.override("en"), pytest.raises(peppol.EInvoiceError) as refused:
        peppol.einvoice_xml(invoice, pdf=PDF)
    assert str(refused.value) == (
        f"{invoice.agency_code} has no organisation number or Peppol endpoint: add it on the agency's page."
    )


@override_settings(SERVICE_CENTRE=CENTRE)
def test_the_seller_is_the_centre_by_its_organisation_number_with_address_and_email(invoice):
    seller = _one(_tree(invoice), "cac:AccountingSupplierParty/cac:Party")
    endpoint = _one(seller, "cbc:EndpointID")
    assert (endpoint.get("schemeID"), endpoint.text) == ("0007", "2120000142")
    assert seller.find("cac:PartyIdentification", NS) is None
    assert _texts(seller, "cac:PartyName/cbc:Name") == [CENTRE["name"]]
    assert _texts(seller, "cac:PostalAddress/cbc:StreetName") == ["Box 8310"]
    assert _texts(seller, "cac:PostalAddress/cbc:CityName") == ["Stockholm"]
    assert _texts(seller, "cac:PostalAddress/cbc:PostalZone") == ["104 20"]
    assert _texts(seller, "cac:PostalAddress/cac:Country/cbc:IdentificationCode") == ["SE"]
    assert _texts(seller, "cac:PartyLegalEntity/cbc:RegistrationName") == [CENTRE["name"]]
    assert _texts(seller, "cac:PartyLegalEntity/cbc:CompanyID") == ["2120000142"]
    assert _texts(seller, "cac:Contact/cbc:ElectronicMail") == ["lonservice@example.se"]


def test_the_buyer_is_the_agency_named_by_its_code_and_its_issued_name_and_address(invoice, agency):
    agency.name, agency.address = "Nytt namn", "Annan gata 1, 111 11 Annanstad"
    agency.save()
    buyer = _one(_tree(Invoice.objects.get(pk=invoice.pk)), "cac:AccountingCustomerParty/cac:Party")
    endpoint = _one(buyer, "cbc:EndpointID")
    assert (endpoint.get("schemeID"), endpoint.text) == ("0007", "2120000142")
    assert _texts(buyer, "cac:PartyIdentification/cbc:ID") == ["SDF07"]
    assert _texts(buyer, "cac:PartyName/cbc:Name") == ["Södermalms stadsdelsförvaltning"]
    assert _texts(buyer, "cac:PostalAddress/cbc:StreetName") == ["Box 4270"]
    assert _texts(buyer, "cac:PostalAddress/cbc:CityName") == ["Stockholm"]
    assert _texts(buyer, "cac:PostalAddress/cbc:PostalZone") == ["102 66"]
    assert _texts(buyer, "cac:PostalAddress/cac:Country/cbc:IdentificationCode") == ["SE"]
    assert _texts(buyer, "cac:PartyLegalEntity/cbc:RegistrationName") == ["Södermalms stadsdelsförvaltning"]
    assert _texts(buyer, "cac:PartyLegalEntity/cbc:CompanyID") == ["2120000142"]
    assert buyer.find("cac:Contact", NS) is None


def test_a_party_without_address_or_organisation_number_writes_only_its_country(unit):
    agency = factories.AgencyFactory(unit=unit, address="", organisation_number="", peppol_endpoint="0088:123")
    buyer = _one(_tree(factories.issued_invoice(agency=agency)), "cac:AccountingCustomerParty/cac:Party")
    postal = _one(buyer, "cac:PostalAddress")
    assert [child.tag.split("}")[1] for child in postal] == ["Country"]
    assert buyer.find("cac:PartyLegalEntity/cbc:CompanyID", NS) is None
    assert _texts(buyer, "cac:PartyLegalEntity/cbc:RegistrationName") == [agency.name]


def test_the_pdf_is_embedded_under_its_own_file_name(invoice):
    tree = _tree(invoice)
    reference = _one(tree, "cac:AdditionalDocumentReference")
    assert _texts(reference, "cbc:ID") == [invoice.number]
    with translation.override("sv"):
        assert _texts(reference, "cbc:DocumentDescription") == ["Faktura som PDF"]
    embedded = _one(reference, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject")
    assert base64.b64decode(embedded.text) == PDF
    assert dict(embedded.attrib) == {"mimeCode": "application/pdf", "filename": documents.pdf_filename(invoice)}


def test_without_a_pdf_given_the_invoices_own_pdf_is_embedded(invoice, monkeypatch):
    monkeypatch.setattr(documents, "invoice_pdf", lambda document: b"%PDF own " + document.number.encode())
    tree = etree.fromstring(peppol.einvoice_xml(invoice))
    embedded = _one(tree, "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject")
    assert base64.b64decode(embedded.text) == b"%PDF own " + invoice.number.encode()
    assert not _one(_tree(invoice, pdf=b""), ".//cbc:EmbeddedDocumentBinaryObject").text  # given, if empty


def test_the_document_is_written_in_swedish_whatever_the_users_language(invoice):
    with translation.override("en"):
        tree = _tree(invoice)
    assert _texts(tree, "cac:AdditionalDocumentReference/cbc:DocumentDescription") == ["Faktura som PDF"]
    assert _one(tree, "cac:PaymentMeans/cbc:PaymentMeansCode").get("name") == "Intern avräkning"
    assert _texts(tree, "cac:PaymentTerms/cbc:Note") == [
        "Intern faktura, regleras i stadens redovisning inom 30 dagar."
    ]
    assert _texts(tree, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason") == [
        "Intern fakturering inom staden: ej föremål för moms"
    ]


@override_settings(INVOICE_PAYMENT_DAYS=20)
def test_payment_is_internal_clearing_named_by_the_invoice_number_within_the_payment_days(invoice):
    tree = _tree(invoice)
    means = _one(tree, "cac:PaymentMeans")
    assert _texts(means, "cbc:PaymentMeansCode") == ["97"]
    assert _texts(means, "cbc:PaymentID") == [invoice.number]
    assert means.find("cbc:PaymentDueDate", NS) is None  # an invoice has its DueDate in the header
    assert _texts(tree, "cac:PaymentTerms/cbc:Note") == [
        "Intern faktura, regleras i stadens redovisning inom 20 dagar."
    ]


def test_no_vat_the_breakdown_is_category_o_with_its_reason_and_zero_tax(invoice):
    tree = _tree(invoice)
    tax = _one(tree, "cac:TaxTotal")
    assert [(e.text, e.get("currencyID")) for e in tax.findall("cbc:TaxAmount", NS)] == [("0.00", "SEK")]
    subtotal = _one(tax, "cac:TaxSubtotal")
    assert _one(subtotal, "cbc:TaxableAmount").text == f"{invoice.total:.2f}"
    assert _one(subtotal, "cbc:TaxableAmount").get("currencyID") == "SEK"
    assert [(e.text, e.get("currencyID")) for e in subtotal.findall("cbc:TaxAmount", NS)] == [("0.00", "SEK")]
    category = _one(subtotal, "cac:TaxCategory")
    assert _texts(category, "cbc:ID") == ["O"]
    assert len(category.findall("cbc:TaxExemptionReason", NS)) == 1
    assert _texts(category, "cac:TaxScheme/cbc:ID") == ["VAT"]


def test_the_totals_are_the_sum_of_the_lines_without_vat(invoice):
    money = _one(_tree(invoice), "cac:LegalMonetaryTotal")
    expected = f"{sum(line.amount for line in invoice.lines.all()):.2f}"
    assert expected == f"{invoice.total:.2f}"
    for name in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"):
        element = _one(money, f"cbc:{name}")
        assert (element.text, element.get("currencyID")) == (expected, "SEK")


def test_each_line_states_its_position_item_quantity_unit_amount_price_and_month(invoice):
    lines = _tree(invoice).findall("cac:InvoiceLine", NS)
    stored = {line.item_code: line for line in invoice.lines.all()}
    assert len(lines) == len(stored) == 2
    for node in lines:
        line = stored[_one(node, "cac:Item/cac:SellersItemIdentification/cbc:ID").text]
        assert _texts(node, "cbc:ID") == [str(line.position)]
        assert _texts(node, "cbc:Note") == []
        quantity = _one(node, "cbc:InvoicedQuantity")
        assert (quantity.text, quantity.get("unitCode")) == (
            {"self_service": "12", "addon_hour": "1.5"}[line.item_code],
            {"self_service": "H87", "addon_hour": "HUR"}[line.item_code],
        )
        amount = _one(node, "cbc:LineExtensionAmount")
        assert (amount.text, amount.get("currencyID")) == (f"{line.amount:.2f}", "SEK")
        assert _texts(node, "cac:InvoicePeriod/cbc:StartDate") == ["2012-03-01"]
        assert _texts(node, "cac:InvoicePeriod/cbc:EndDate") == ["2012-03-31"]
        assert _texts(node, "cac:Item/cbc:Name") == [line.name]
        category = _one(node, "cac:Item/cac:ClassifiedTaxCategory")
        assert _texts(category, "cbc:ID") == ["O"]
        assert category.find("cbc:TaxExemptionReason", NS) is None
        assert _texts(category, "cac:TaxScheme/cbc:ID") == ["VAT"]
        price = _one(node, "cac:Price/cbc:PriceAmount")
        assert (price.text, price.get("currencyID")) == (f"{line.unit_price:.2f}", "SEK")
    assert sorted(_texts(_tree(invoice), "cac:InvoiceLine/cbc:ID")) == ["1", "2"]


def test_a_fixed_monthly_amount_is_one_month(invoice):
    invoice = _with_lines(invoice)
    next(line for line in invoice.lines.all() if line.item_code == "self_service").unit = "månad"
    tree = _tree(invoice)
    units = {
        _one(node, "cac:Item/cac:SellersItemIdentification/cbc:ID").text: _one(node, "cbc:InvoicedQuantity").get(
            "unitCode"
        )
        for node in tree.findall("cac:InvoiceLine", NS)
    }
    assert units == {"self_service": "MON", "addon_hour": "HUR"}


def test_an_item_name_is_cut_to_200_characters(invoice):
    invoice = _with_lines(invoice)
    for line in invoice.lines.all():
        line.name = "Å" * 250
    names = _texts(_tree(invoice), "cac:InvoiceLine/cac:Item/cbc:Name")
    assert names == ["Å" * 200] * 2


def test_the_invoice_period_runs_from_the_earliest_late_month_to_the_invoices_month_end(agency, price_list):
    from invoicing.services.month import price_agency_month

    lines = price_agency_month(
        agency=agency,
        period="2012-03",
        quantities={"manual": 2},
        late={"2012-01": {"girovision": 1}, "2012-02": {"manual": 1}},
    )
    invoice = invoices.issue_invoice(agency=agency, period="2012-03", lines=lines)
    tree = _tree(invoice)
    assert _texts(tree, "cac:InvoicePeriod/cbc:StartDate") == ["2012-01-01"]
    assert _texts(tree, "cac:InvoicePeriod/cbc:EndDate") == ["2012-03-31"]
    months = {
        _one(node, "cac:InvoicePeriod/cbc:StartDate").text: (
            _one(node, "cac:InvoicePeriod/cbc:EndDate").text,
            _texts(node, "cbc:Note"),
        )
        for node in tree.findall("cac:InvoiceLine", NS)
    }
    assert months == {
        "2012-01-01": ("2012-01-31", ["Arbete från 2012-01"]),
        "2012-02-01": ("2012-02-29", ["Arbete från 2012-02"]),
        "2012-03-01": ("2012-03-31", []),
    }


def test_a_credit_note_credits_its_invoice_in_positive_figures_due_on_its_own_date(invoice, finance):
    note = invoices.credit_invoice(
        invoice=invoice, user=finance, reason="  Fel antal\n timmar ", credit_date=dt.date(2012, 4, 20)
    )
    tree = _tree(note)
    assert tree.tag == "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
    assert _texts(tree, "cbc:CreditNoteTypeCode") == ["381"]
    assert _texts(tree, "cbc:InvoiceTypeCode") == []
    assert _texts(tree, "cbc:IssueDate") == ["2012-04-20"]
    assert tree.find("cbc:DueDate", NS) is None
    assert _texts(tree, "cac:PaymentMeans/cbc:PaymentDueDate") == ["2012-04-20"]
    assert _texts(tree, "cbc:Note") == ["Fel antal timmar"]
    reference = _one(tree, "cac:BillingReference/cac:InvoiceDocumentReference")
    assert _texts(reference, "cbc:ID") == [invoice.number]
    assert _texts(reference, "cbc:IssueDate") == [invoice.invoice_date.isoformat()]
    assert _texts(tree, "cac:AdditionalDocumentReference/cbc:DocumentDescription") == ["Kreditfaktura som PDF"]
    assert tree.findall("cac:InvoiceLine", NS) == []
    quantities = sorted(_texts(tree, "cac:CreditNoteLine/cbc:CreditedQuantity"))
    assert quantities == ["1.5", "12"]
    assert sorted(_texts(tree, "cac:CreditNoteLine/cbc:LineExtensionAmount")) == sorted(
        f"{line.amount:.2f}" for line in invoice.lines.all()
    )
    assert _texts(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount") == [f"{invoice.total:.2f}"]
    assert _texts(tree, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount") == [f"{invoice.total:.2f}"]


def test_a_long_reason_is_cut_to_1000_characters(invoice, finance):
    note = invoices.credit_invoice(invoice=invoice, user=finance, reason="x" * 1500)
    assert _texts(_tree(note), "cbc:Note") == ["x" * 1000]


def test_a_document_without_lines_is_refused(invoice):
    invoice = _with_lines(invoice)
    invoice._prefetched_objects_cache["lines"] = InvoiceLine.objects.none()
    with pytest.raises(peppol.EInvoiceError, match=f"^{invoice.number} har inga rader.$"):
        peppol.einvoice_xml(invoice, pdf=PDF)


def test_a_document_whose_lines_do_not_add_up_to_its_total_is_refused(invoice):
    total = invoice.total
    invoice.total = total + Decimal("0.01")
    with pytest.raises(peppol.EInvoiceError) as refused:
        peppol.einvoice_xml(invoice, pdf=PDF)
    assert str(refused.value) == f"{invoice.number}: lines {total} ≠ total {invoice.total}"
