"""Demo data for invoicing: the demo year's months before the current one closed in order, with
invoices, one corrected by a credit note; the current month stays open with its work in progress.

Runs after every other app's demo data. Each month is closed through the close service
(``close_months_in_order``: a month only after every earlier month with work), one after the other
from January (``demo.calendar``), as finance would. Closing a month that is already closed
issues nothing, so running the demo again changes nothing. PDFs are rendered on demand from the
issued invoices, so none are stored here.
"""

import time

from core.models import ClosedPeriod
from core.periods import periods_between
from demo import calendar
from invoicing.models import Invoice
from invoicing.services import close, invoices
from payroll.services.volumes import refresh_monthly_volumes

CORRECTED_MONTH = 6


def load(*, users, progress=None) -> None:
    finance = users.get("finance")
    for period in calendar.periods():  # ascending: a month is closed only after the one before it
        if ClosedPeriod.objects.filter(period=period).exists():
            continue
        started = time.perf_counter()
        done = close.close_months_in_order(up_to=period, user=finance, trigger="demo")
        if period == calendar.period(CORRECTED_MONTH):
            _correct_one_invoice(finance, period)  # before July's close, so the numbers follow the dates
        if progress:
            issued = sum(job.invoices_issued for job in done)
            progress(f"closed {period}: {issued} invoices", time.perf_counter() - started)
    # Volumes of the year before too, for the same month last year (months closed above are refreshed already).
    year = calendar.year() - 1
    refresh_monthly_volumes(periods=periods_between(f"{year}-01", f"{year}-12"))


def _correct_one_invoice(finance, period) -> None:
    """Credit June's first invoice and issue it again, as finance would after a complaint."""
    if Invoice.objects.filter(period=period, kind=Invoice.Kind.CREDIT_NOTE).exists():
        return
    original = Invoice.objects.filter(period=period, kind=Invoice.Kind.INVOICE).order_by("sequence").first()
    if original is None:
        return
    day = original.invoice_date.replace(day=20)
    if not calendar.is_past(day):
        day = calendar.present()
    invoices.credit_invoice(
        invoice=original, user=finance, reason="Fel referens på fakturan enligt förvaltningen", credit_date=day
    )
    invoices.reissue_invoice(
        agency=original.agency,
        period=period,
        user=finance,
        reason=f"Ersätter {original.number}",
        invoice_date=day,
    )
