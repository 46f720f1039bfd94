"""Invoices and credit notes as Peppol BIS Billing 3.0 e-invoices (UBL 2.1).

An invoice becomes a UBL ``Invoice`` (type 380), a credit note a UBL ``CreditNote`` (type 381)
that names the invoice it credits in ``BillingReference``. Built from the invoice's own copies,
so the document is the same every time it is downloaded. README.md ("E-invoices, SIE and
Agresso") says what goes where; ``tools/peppol/validate.py`` checks a document with the official
rules, as the tests do for every invoice they issue.

VAT: internal invoicing between the city's own agencies is no taxable supply (the city is one
legal person), so every line is category ``O``, "not subject to VAT", with no VAT identifier on
either party and no rate (EN 16931 rules BR-O-*).
"""

import base64
import datetime as dt
import re
import threading
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.periods import period_end, period_start

from . import documents
from .models import Invoice

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
# ICD 0007: a Swedish organisation number (Bolagsverket), as Peppol endpoint and party identifier.
SWEDISH_ORGANISATION_NUMBER = "0007"
# UN/ECE Recommendation 20: payslips and cases are counted in pieces, add-on services in hours,
# a fixed monthly amount in months.
UNIT_CODES = {"addon_hour": "HUR"}
PIECE = "H87"
MONTH = "MON"
MONTH_UNITS = {"månad", "mån", "month"}
# UNCL 4461 code 97, "clearing between partners": the city settles internal invoices in its own
# ledger (the SIE vouchers), no money is transferred.
PAYMENT_MEANS_CODE = "97"
VAT_CATEGORY = "O"
CURRENCY = "SEK"

for prefix in ("cac", "cbc"):
    ET.register_namespace(prefix, NS[prefix])
_SERIALISE = threading.Lock()


class EInvoiceError(Exception):
    """The invoice cannot be sent as an e-invoice; the message is for the user."""


def filename(invoice: Invoice) -> str:
    """One file per document, named by its number."""
    return f"{invoice.number}.xml"


def unit_code(item_code: str, unit: str = "") -> str:
    if unit.strip().lower() in MONTH_UNITS:
        return MONTH
    return UNIT_CODES.get(item_code, PIECE)


def _money(value: Decimal) -> str:
    return f"{abs(value).quantize(Decimal('0.01'))}"


def _quantity(value: Decimal) -> str:
    return str(documents.plain_quantity(abs(value)))


def _digits(org_number: str) -> str:
    return org_number.replace("-", "").strip()


def split_address(address: str) -> dict:
    """'Box 8310, 104 20 Stockholm' (or on two lines) → street, postal zone and city."""
    parts = [p.strip() for p in re.split(r"[,\n]", address or "") if p.strip()]
    result = {"street": "", "zone": "", "city": ""}
    if parts:
        match = re.fullmatch(r"(\d{3} ?\d{2})\s+(.+)", parts[-1])
        if match:
            result["zone"], result["city"] = match.group(1), match.group(2)
            parts = parts[:-1]
        result["street"] = ", ".join(parts)
    return result


class _Builder:
    def __init__(self, root_name: str):
        self.root = ET.Element(f"{{{NS[root_name]}}}{root_name}")

    @staticmethod
    def add(parent, tag: str, text=None, **attrs):
        prefix, local = tag.split(":")
        element = ET.SubElement(parent, f"{{{NS[prefix]}}}{local}", {k: v for k, v in attrs.items() if v})
        if text is not None:
            element.text = str(text)
        return element

    def amount(self, parent, tag: str, value: Decimal):
        return self.add(parent, tag, _money(value), currencyID=CURRENCY)


def _buyer(invoice: Invoice) -> dict:
    """The buyer as copied when issued; invoices issued before the copy existed read the agency."""
    agency = invoice.agency
    org_number = invoice.agency_org_number or agency.organisation_number
    endpoint = invoice.agency_endpoint or agency.peppol_address
    if not endpoint or ":" not in endpoint:
        raise EInvoiceError(
            _("%(agency)s has no organisation number or Peppol endpoint: add it on the agency's page.")
            % {"agency": invoice.agency_code}
        )
    scheme, identifier = endpoint.split(":", 1)
    return {
        "org_number": _digits(org_number),
        "scheme": scheme,
        "endpoint": identifier,
        "reference": invoice.buyer_reference or agency.buyer_reference,
        "accounting": _accounting(
            invoice.responsibility_code or agency.responsibility_code, invoice.activity_code or agency.activity_code
        ),
    }


def _accounting(responsibility: str, activity: str) -> str:
    """The buyer's accounting string (BT-19, BT-133): its ansvar and verksamhet codes."""
    parts = []
    if responsibility:
        parts.append(f"ansvar {responsibility}")
    if activity:
        parts.append(f"vht {activity}")
    return ";".join(parts)


def _party(b: _Builder, parent, *, scheme, endpoint, identifier, name, address, org_number, email=""):
    party = b.add(parent, "cac:Party")
    b.add(party, "cbc:EndpointID", endpoint, schemeID=scheme)
    if identifier:
        b.add(b.add(party, "cac:PartyIdentification"), "cbc:ID", identifier)
    b.add(b.add(party, "cac:PartyName"), "cbc:Name", name)
    parts = split_address(address)
    postal = b.add(party, "cac:PostalAddress")
    if parts["street"]:
        b.add(postal, "cbc:StreetName", parts["street"])
    if parts["city"]:
        b.add(postal, "cbc:CityName", parts["city"])
    if parts["zone"]:
        b.add(postal, "cbc:PostalZone", parts["zone"])
    b.add(b.add(postal, "cac:Country"), "cbc:IdentificationCode", "SE")
    legal = b.add(party, "cac:PartyLegalEntity")
    b.add(legal, "cbc:RegistrationName", name)
    if org_number:
        b.add(legal, "cbc:CompanyID", org_number)
    if email:
        b.add(b.add(party, "cac:Contact"), "cbc:ElectronicMail", email)
    return party


def _period(b: _Builder, parent, start: dt.date, end: dt.date):
    period = b.add(parent, "cac:InvoicePeriod")
    b.add(period, "cbc:StartDate", start.isoformat())
    b.add(period, "cbc:EndDate", end.isoformat())


def einvoice_xml(invoice: Invoice, *, pdf: bytes | None = None) -> bytes:
    """The invoice or credit note as a Peppol BIS Billing 3.0 UBL document, its PDF embedded."""
    _buyer(invoice)  # an agency without an endpoint is refused in the user's language
    with translation.override("sv"):
        return _build(invoice, pdf if pdf is not None else documents.invoice_pdf(invoice))


def _build(invoice: Invoice, pdf: bytes) -> bytes:
    credit = invoice.is_credit_note
    root_name = "CreditNote" if credit else "Invoice"
    b = _Builder(root_name)
    doc = b.root
    buyer = _buyer(invoice)
    centre = settings.SERVICE_CENTRE
    lines = list(invoice.lines.all())
    if not lines:
        raise EInvoiceError(_("%(number)s has no lines.") % {"number": invoice.number})
    line_periods = {line.late_from_period or invoice.period for line in lines}

    b.add(doc, "cbc:CustomizationID", CUSTOMIZATION_ID)
    b.add(doc, "cbc:ProfileID", PROFILE_ID)
    b.add(doc, "cbc:ID", invoice.number)
    b.add(doc, "cbc:IssueDate", invoice.invoice_date.isoformat())
    if not credit:
        b.add(doc, "cbc:DueDate", invoice.due_date.isoformat())
    b.add(doc, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", "381" if credit else "380")
    if invoice.reason:
        b.add(doc, "cbc:Note", " ".join(invoice.reason.split())[:1000])
    b.add(doc, "cbc:DocumentCurrencyCode", CURRENCY)
    if buyer["accounting"]:
        b.add(doc, "cbc:AccountingCost", buyer["accounting"])
    b.add(doc, "cbc:BuyerReference", buyer["reference"])
    _period(b, doc, period_start(min(line_periods)), period_end(invoice.period))
    if credit:
        original = invoice.credited_invoice
        reference = b.add(b.add(doc, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        b.add(reference, "cbc:ID", original.number)
        b.add(reference, "cbc:IssueDate", original.invoice_date.isoformat())
    attachment = b.add(doc, "cac:AdditionalDocumentReference")
    b.add(attachment, "cbc:ID", invoice.number)
    b.add(attachment, "cbc:DocumentDescription", _("Credit note as PDF") if credit else _("Invoice as PDF"))
    b.add(
        b.add(attachment, "cac:Attachment"),
        "cbc:EmbeddedDocumentBinaryObject",
        base64.b64encode(pdf).decode("ascii"),
        mimeCode="application/pdf",
        filename=documents.pdf_filename(invoice),
    )

    org_number = _digits(centre["org_number"])
    _party(
        b,
        b.add(doc, "cac:AccountingSupplierParty"),
        scheme=SWEDISH_ORGANISATION_NUMBER,
        endpoint=org_number,
        identifier="",
        name=centre["name"],
        address=centre["address"],
        org_number=org_number,
        email=centre["email"],
    )
    _party(
        b,
        b.add(doc, "cac:AccountingCustomerParty"),
        scheme=buyer["scheme"],
        endpoint=buyer["endpoint"],
        # The agency's code tells agencies that share the city's number apart.
        identifier=invoice.agency_code,
        name=invoice.agency_name,
        address=invoice.agency_address,
        org_number=buyer["org_number"],
    )

    means = b.add(doc, "cac:PaymentMeans")
    b.add(means, "cbc:PaymentMeansCode", PAYMENT_MEANS_CODE, name=_("Internal settlement"))
    if credit:
        b.add(means, "cbc:PaymentDueDate", invoice.due_date.isoformat())
    b.add(means, "cbc:PaymentID", invoice.number)
    terms = b.add(doc, "cac:PaymentTerms")
    b.add(
        terms,
        "cbc:Note",
        _("Internal invoice, settled in the city's ledger within %(days)s days.")
        % {"days": settings.INVOICE_PAYMENT_DAYS},
    )

    total = sum((line.amount for line in lines), Decimal("0.00"))
    if total != invoice.total:
        raise EInvoiceError(f"{invoice.number}: lines {total} ≠ total {invoice.total}")
    tax = b.add(doc, "cac:TaxTotal")
    b.amount(tax, "cbc:TaxAmount", Decimal("0.00"))
    subtotal = b.add(tax, "cac:TaxSubtotal")
    b.amount(subtotal, "cbc:TaxableAmount", total)
    b.amount(subtotal, "cbc:TaxAmount", Decimal("0.00"))
    _tax_category(b, subtotal, "cac:TaxCategory", reason=True)
    money = b.add(doc, "cac:LegalMonetaryTotal")
    for name in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"):
        b.amount(money, f"cbc:{name}", total)

    for line in lines:
        node = b.add(doc, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
        b.add(node, "cbc:ID", line.position)
        if line.late_from_period:
            b.add(node, "cbc:Note", _("Work of %(period)s") % {"period": line.late_from_period})
        b.add(
            node,
            "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity",
            _quantity(line.quantity),
            unitCode=unit_code(line.item_code, line.unit),
        )
        b.amount(node, "cbc:LineExtensionAmount", line.amount)
        if buyer["accounting"]:
            b.add(node, "cbc:AccountingCost", buyer["accounting"])
        month = line.late_from_period or invoice.period
        _period(b, node, period_start(month), period_end(month))
        item = b.add(node, "cac:Item")
        b.add(item, "cbc:Name", line.name[:200])
        b.add(b.add(item, "cac:SellersItemIdentification"), "cbc:ID", line.item_code)
        _tax_category(b, item, "cac:ClassifiedTaxCategory")
        b.amount(b.add(node, "cac:Price"), "cbc:PriceAmount", line.unit_price)

    ET.indent(doc)
    # The document's own namespace is the default one (no prefix), as in Peppol's examples.
    # ElementTree keeps prefixes in one map for the process: set it and write under a lock.
    with _SERIALISE:
        ET.register_namespace("", NS[root_name])
        return ET.tostring(doc, encoding="UTF-8", xml_declaration=True)


def _tax_category(b: _Builder, parent, name: str, *, reason: bool = False):
    category = b.add(parent, name)
    b.add(category, "cbc:ID", VAT_CATEGORY)
    if reason:
        b.add(category, "cbc:TaxExemptionReason", _("Internal invoicing within the city: not subject to VAT"))
    b.add(b.add(category, "cac:TaxScheme"), "cbc:ID", "VAT")
