"""One reconciliation for a month: invoices = e-invoices = SIE vouchers = Agresso file, to the öre.

Each of the three files is produced as finance downloads it and read back (the e-invoices'
payable amounts, the vouchers' debits on the internal account, the Agresso rows' amounts), then
compared document by document with the issued invoices and credit notes.
"""

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal

from . import documents, peppol, sie
from .models import Invoice

ZERO = Decimal("0.00")
PAYABLE = f"{{{peppol.NS['cac']}}}LegalMonetaryTotal/{{{peppol.NS['cbc']}}}PayableAmount"


@dataclass
class Row:
    number: str
    kind: str
    agency_code: str
    invoice: Decimal
    einvoice: Decimal | None
    sie: Decimal | None
    agresso: Decimal | None

    @property
    def ok(self) -> bool:
        return self.invoice == self.einvoice == self.sie == self.agresso


@dataclass
class Reconciliation:
    period: str
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # documents that could not be produced, unbalanced vouchers

    def total(self, name: str) -> Decimal:
        return sum((getattr(r, name) or ZERO for r in self.rows), ZERO)

    @property
    def totals(self) -> dict:
        return {name: self.total(name) for name in ("invoice", "einvoice", "sie", "agresso")}

    @property
    def ok(self) -> bool:
        return not self.problems and all(r.ok for r in self.rows) and len(set(self.totals.values())) == 1


def einvoice_amount(xml: bytes) -> Decimal:
    """The signed amount of an e-invoice: a credit note's payable amount counts negative."""
    root = ET.fromstring(xml)
    amount = Decimal(root.find(PAYABLE).text)
    return -amount if root.tag.endswith("}CreditNote") else amount


def reconcile(invoices, *, period: str) -> Reconciliation:
    """Reconcile ``invoices`` (the month's invoices and credit notes) with the three files."""
    docs = list(invoices.select_related("agency", "credited_invoice").order_by("series_year", "sequence"))
    result = Reconciliation(period=period)
    einvoices = {}
    for invoice in docs:
        try:
            # The embedded PDF does not change an amount; a stand-in spares rendering it.
            einvoices[invoice.number] = einvoice_amount(peppol.einvoice_xml(invoice, pdf=b"%PDF-1.4"))
        except peppol.EInvoiceError as exc:
            result.problems.append(f"{invoice.number}: {exc}")
    numbers = [i.number for i in docs]
    queryset = Invoice.objects.filter(number__in=numbers)
    vouchers = sie.parse(sie.sie_file(queryset, period=period)).vouchers
    booked = {}
    for voucher in vouchers:
        if voucher.balance != ZERO:
            result.problems.append(f"{voucher.number}: voucher does not balance ({voucher.balance})")
        # The first row debits the buyer (sie.voucher_rows); the others credit revenue.
        booked[voucher.number] = voucher.rows[0][2] if voucher.rows else ZERO
    agresso: dict[str, Decimal] = {}
    for row in csv.DictReader(io.StringIO(documents.erp_csv(queryset).decode("utf-8-sig"))):
        agresso[row["invoice_number"]] = agresso.get(row["invoice_number"], ZERO) + Decimal(row["amount"])
    for invoice in docs:
        result.rows.append(
            Row(
                number=invoice.number,
                kind=invoice.kind,
                agency_code=invoice.agency_code,
                invoice=invoice.total,
                einvoice=einvoices.get(invoice.number),
                sie=booked.get(invoice.number),
                agresso=agresso.get(invoice.number),
            )
        )
    return result
