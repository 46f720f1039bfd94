"""Documents for finance: invoice and credit-note PDFs, the ERP file for Agresso and the
invoice list as a report.

PDFs are rendered from the invoice's own copies (agency, lines, prices), so they are the same
every time. The close's workers render each invoice's PDF once and store it
(``services.pdfs``); it is served from then on, and one not (yet) stored is rendered on demand.
"""

import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import exports
from core.pdf import render_pdf
from core.periods import parse_period
from core.report import TOTAL, Column, Report
from payroll.models import DocumentType

from .models import Invoice, InvoicePdf
from .services.month import LINE_ORDER

# One row per invoice line; documented in README.md ("The ERP file").
ERP_COLUMNS = [
    "invoice_number",
    "document_type",
    "invoice_date",
    "due_date",
    "period",
    "customer_reference",
    "agency_code",
    "agency_name",
    "line_no",
    "item_code",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "base_price",
    "surcharge",
    "late_from_period",
    "credits_invoice",
    "organisation_number",
    "responsibility_code",
    "activity_code",
    "revenue_account",
    "counter_account",
    "buyer_account",
    "buyer_counterpart",
]


def pdf_filename(invoice: Invoice) -> str:
    prefix = "kreditfaktura" if invoice.is_credit_note else "faktura"
    return f"{prefix}-{invoice.number}-{invoice.agency_code}.pdf"


log = logging.getLogger(__name__)


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice's PDF as stored after the close, or rendered now when none is."""
    return stored_pdf(invoice) or render_invoice_pdf(invoice)


def stored_pdf(invoice: Invoice) -> bytes | None:
    """The invoice's rendered PDF when one is stored and matches its checksum, else None."""
    record = InvoicePdf.objects.filter(pk=invoice.pk, state=InvoicePdf.State.DONE).first()
    if record is None:
        return None
    try:
        with record.file.open("rb") as stored:
            pdf = stored.read()
    except OSError:
        log.warning("the stored PDF of invoice %s is missing; rendering it", invoice.number)
        return None
    if hashlib.sha256(pdf).hexdigest() != record.sha256:
        log.error("the stored PDF of invoice %s does not match its checksum; rendering it", invoice.number)
        return None
    return pdf


def render_invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice (or credit note) as sent, in Swedish: sender, customer, number, dates, lines,
    total, and its specification as a second section."""
    lines = list(invoice.lines.all())
    with translation.override("sv"):
        return render_pdf(
            "invoicing/pdf/invoice.html",
            {
                "invoice": invoice,
                "lines": lines,
                "has_breakdown": any(line.base_price is not None for line in lines),
                "has_coding": any(invoice.coding.values()),
                "specification": specification(invoice.specification, lines),
            },
        )


SOURCE_LABELS = {
    "payslip_file": _lazy("payslip file"),
    "registered_case": _lazy("registered case (payout outside the payroll run)"),
    "pension_cases": _lazy("decided pension cases"),
    "addon_hours": _lazy("add-on hours reported"),
}


@dataclass
class Specification:
    """An invoice's specification as shown: the count behind each line by pay period and source,
    the totals per source, and the registered cases behind manual, Agresso and Girovision lines."""

    rows: list
    by_source: list
    cases: list

    def __bool__(self):
        return bool(self.rows)


def specification(stored: dict, lines=None, *, names: dict | None = None) -> Specification:
    """The specification kept on an invoice (or computed for a draft) made readable; ``lines``
    (invoice lines or priced lines) give the items' names."""
    names = dict(names or {})
    for line in lines or []:
        line = getattr(line, "line", line)
        names.setdefault(line.item_code, line.name)
    document_types = dict(DocumentType.choices)
    rows, by_source = [], {}
    for row in sorted(stored.get("sources", []), key=lambda r: (_line_rank(r["item_code"]), r["period"], r["source"])):
        quantity = Decimal(row["quantity"])
        rows.append(
            {
                "item": names.get(row["item_code"], row["item_code"]),
                "item_code": row["item_code"],
                "period": row["period"],
                "source": SOURCE_LABELS.get(row["source"], row["source"]),
                "quantity": plain_quantity(quantity),
            }
        )
        if row["item_code"] in PAYROLL_ITEMS:
            by_source[row["source"]] = by_source.get(row["source"], 0) + quantity
    cases = [
        {
            "reference": f"L-{case['case_id']}",
            "period": case["period"],
            "item": names.get(case["channel"], case["channel"]),
            "document_type": document_types.get(case["document_type"], case["document_type"] or "–"),
        }
        for case in stored.get("cases", [])
    ]
    totals = [{"source": SOURCE_LABELS.get(key, key), "quantity": plain_quantity(n)} for key, n in by_source.items()]
    return Specification(rows=rows, by_source=totals, cases=cases)


PAYROLL_ITEMS = ("self_service", "lisa_tid", "manual", "agresso", "girovision")


def _line_rank(item_code: str) -> int:
    return LINE_ORDER.index(item_code) if item_code in LINE_ORDER else 99


def erp_rows(invoices):
    for invoice in (
        invoices.select_related("credited_invoice").prefetch_related("lines").order_by("series_year", "sequence")
    ):
        for line in invoice.lines.all():
            yield [
                invoice.number,
                "CRN" if invoice.is_credit_note else "INV",
                invoice.invoice_date.isoformat(),
                invoice.due_date.isoformat(),
                invoice.period,
                invoice.billing_reference,
                invoice.agency_code,
                invoice.agency_name,
                line.position,
                line.item_code,
                line.name,
                plain_quantity(line.quantity),
                line.unit,
                line.unit_price,
                line.amount,
                line.base_price,
                line.surcharge,
                line.late_from_period,
                invoice.credited_invoice.number if invoice.credited_invoice_id else "",
                # The coding, as on the e-invoice and the SIE voucher (copied when issued).
                invoice.agency_org_number,
                invoice.responsibility_code,
                invoice.activity_code,
                settings.SIE_REVENUE_ACCOUNTS.get(line.item_code, settings.SIE_REVENUE_ACCOUNT),
                invoice.account_code or settings.SIE_INTERNAL_ACCOUNT,  # the SIE voucher's debit
                invoice.account_code,
                invoice.counterpart_code,
            ]


def plain_quantity(value):
    """2.00 → 2, 2.50 → 2.5 (quantities are counts or hours)."""
    return value.quantize(1) if value == value.to_integral_value() else value.normalize()


def erp_csv(invoices) -> bytes:
    """The Agresso import file: UTF-8, comma-separated, '.' decimals, one row per invoice line."""
    return exports.csv_bytes(ERP_COLUMNS, erp_rows(invoices))


def invoice_report(*, period: str, unit_ids=None) -> Report:
    """The month's invoices and credit notes with their totals in SEK."""
    parse_period(period)
    qs = Invoice.objects.filter(period=period).order_by("series_year", "sequence")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    report = invoice_rows_report(qs)
    report.name = f"invoices-{period}"
    report.title = _("Invoices %(period)s") % {"period": period}
    report.total["period"] = period
    return report


def invoice_rows_report(qs) -> Report:
    """Invoices (a filtered list) as report rows: number, agency, period, dates, total in SEK, status."""
    invoices = list(qs.select_related("credited_invoice"))
    credited = set(
        Invoice.objects.filter(credited_invoice__in=[i.pk for i in invoices]).values_list(
            "credited_invoice_id", flat=True
        )
    )
    rows = [
        {
            "invoice_number": inv.number,
            "kind": inv.kind,
            "agency_code": inv.agency_code,
            "agency_name": inv.agency_name,
            "billing_reference": inv.billing_reference,
            "period": inv.period,
            "invoice_date": inv.invoice_date.isoformat(),
            "due_date": inv.due_date.isoformat(),
            "total_sek": inv.total,
            "credits": inv.credited_invoice.number if inv.credited_invoice_id else "",
            "status": "credited" if inv.pk in credited else ("credit_note" if inv.is_credit_note else "issued"),
        }
        for inv in invoices
    ]
    columns = [
        Column("invoice_number", _("Number")),
        Column("kind", _("Kind")),
        Column("agency_code", _("Agency")),
        Column("agency_name", _("Name")),
        Column("billing_reference", _("Billing reference")),
        Column("period", _("Period")),
        Column("invoice_date", _("Invoice date")),
        Column("due_date", _("Due date")),
        Column("total_sek", _("Total (SEK)"), "money"),
        Column("credits", _("Credits invoice")),
        Column("status", _("Status")),
    ]
    total = {"invoice_number": TOTAL, "total_sek": sum((r["total_sek"] for r in rows), Decimal("0.00"))}
    return Report(name="invoices", title=_("Invoices"), columns=columns, rows=rows, total=total)
