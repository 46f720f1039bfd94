"""Demo data for reporting: the whole of 2012 closed, with invoices, one corrected by a credit note.

Runs after every other app's demo data. Closing a month that is already closed issues nothing,
so running the demo again changes nothing. PDFs are rendered on demand from the issued
invoices, so none are stored here.
"""

from core.periods import periods_between
from invoicing.models import Invoice
from invoicing.services import close, invoices
from payroll.services.volumes import refresh_monthly_volumes

YEAR = 2012
CORRECTED_PERIOD = "2012-06"


def load(*, users) -> None:
    finance = users.get("finance")
    # Months close in order: every unclosed month up to June (2011's work included), then the
    # correction, then the rest of the year. Closed months are left as they are.
    close.close_months_in_order(up_to=CORRECTED_PERIOD, user=finance, trigger="demo")
    _correct_one_invoice(finance)  # before July's close, so the numbers follow the dates
    close.close_months_in_order(up_to=f"{YEAR}-12", user=finance, trigger="demo")
    # Volumes of 2011 too, for the same month last year (months closed above are refreshed already).
    refresh_monthly_volumes(periods=periods_between(f"{YEAR - 1}-01", f"{YEAR - 1}-12"))


def close_is_done(period: str) -> bool:
    from core.models import ClosedPeriod

    return ClosedPeriod.objects.filter(period=period).exists()


def _correct_one_invoice(finance) -> None:
    """Credit June's first invoice and issue it again, as finance would after a complaint."""
    if Invoice.objects.filter(period=CORRECTED_PERIOD, kind=Invoice.Kind.CREDIT_NOTE).exists():
        return
    original = Invoice.objects.filter(period=CORRECTED_PERIOD, kind=Invoice.Kind.INVOICE).order_by("sequence").first()
    if original is None:
        return
    day = original.invoice_date.replace(day=20)
    invoices.credit_invoice(
        invoice=original, user=finance, reason="Fel referens på fakturan enligt förvaltningen", credit_date=day
    )
    invoices.reissue_invoice(
        agency=original.agency,
        period=CORRECTED_PERIOD,
        user=finance,
        reason=f"Ersätter {original.number}",
        invoice_date=day,
    )
