"""Demo data for invoicing: the demo year's months before the current one closed in order, with
invoices, one corrected by a credit note; the current month stays open with its work in progress.

Runs after every other app's demo data. Each month is closed through the close service, one after
the other from January (``demo.calendar``), as finance would. Closing a month that is already closed
issues nothing, so running the demo again changes nothing. PDFs are rendered on demand from the
issued invoices, so none are stored here.
"""

import time

from core.models import ClosedPeriod
from core.periods import periods_between
from demo import calendar
from invoicing.models import CloseJob, Invoice
from invoicing.services import close, invoices
from payroll.services.volumes import refresh_monthly_volumes

CORRECTED_MONTH = 6


def load(*, users, progress=None) -> None:
    finance = users.get("finance")
    for period in calendar.periods():  # ascending: a month is closed only after the one before it
        if ClosedPeriod.objects.filter(period=period).exists():
            continue
        started = time.perf_counter()
        job = CloseJob.objects.create(period=period, started_by=finance, trigger="demo")
        job = close.run_close_job(job.pk)
        if job.state != CloseJob.State.DONE:
            raise RuntimeError(f"demo close of {period} failed: {job.error}")
        if period == calendar.period(CORRECTED_MONTH):
            _correct_one_invoice(finance, period)  # before July's close, so the numbers follow the dates
        if progress:
            progress(f"closed {period}: {job.invoices_issued} invoices", time.perf_counter() - started)
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
