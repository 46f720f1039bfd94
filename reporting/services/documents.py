"""Documents for finance: invoice and credit-note PDFs and the ERP file for Agresso.

PDFs are rendered on demand from the invoice's own copies (agency, lines, prices),
so they are the same every time and nothing has to be stored or kept in step.
"""

from django.utils import translation

from lonservice import exports
from lonservice.pdf import render_pdf

from ..models import Invoice

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
]


def pdf_filename(invoice: Invoice) -> str:
    prefix = "kreditfaktura" if invoice.is_credit_note else "faktura"
    return f"{prefix}-{invoice.number}-{invoice.agency_code}.pdf"


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice (or credit note) as sent, in Swedish: sender, customer, number, dates, lines, total."""
    lines = list(invoice.lines.all())
    with translation.override("sv"):
        return render_pdf(
            "reporting/pdf/invoice.html",
            {"invoice": invoice, "lines": lines, "has_breakdown": any(line.base_price is not None for line in lines)},
        )


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
            ]


def plain_quantity(value):
    """2.00 → 2, 2.50 → 2.5 (quantities are counts or hours)."""
    return value.quantize(1) if value == value.to_integral_value() else value.normalize()


def erp_csv(invoices) -> bytes:
    """The Agresso import file: UTF-8, comma-separated, '.' decimals, one row per invoice line."""
    return exports.csv_bytes(ERP_COLUMNS, erp_rows(invoices))
