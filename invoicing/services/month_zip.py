"""The month's zip of invoice PDFs, built by a background job (``invoicing.tasks.build_month_zip``)
at the end of the close, or when someone asks for it and the stored one no longer holds every
invoice of the month (a credit note or a new invoice came since): never in the request.

The zip holds every agency's invoices and credit notes of the month; the page serves it only to
users who see every unit's invoices.
"""

import datetime as dt
import io
import logging
import zipfile

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from .. import documents, peppol
from ..models import Invoice, MonthZip

log = logging.getLogger(__name__)

# A build queued or running for longer than this is taken to have died with its worker.
STALE_AFTER = dt.timedelta(minutes=30)


def _contents(period: str) -> tuple[int, int]:
    found = Invoice.objects.filter(period=period).aggregate(n=Count("id"), last=Max("id"))
    return found["n"], found["last"] or 0


def is_current(month_zip: MonthZip | None) -> bool:
    """Whether ``month_zip`` is built and holds every invoice of its month."""
    if month_zip is None or month_zip.state != MonthZip.State.DONE or not month_zip.file:
        return False
    return (month_zip.invoice_count, month_zip.last_invoice_id) == _contents(month_zip.period)


def current_zip(period: str) -> MonthZip | None:
    """The month's zip when it is built and current, else None."""
    month_zip = MonthZip.objects.filter(period=period).first()
    return month_zip if is_current(month_zip) else None


def request_build(period: str) -> tuple[MonthZip, bool]:
    """The month's zip record, marked queued when it must be (re)built: (record, to be queued?).
    A build already queued or running (and not stale) is not queued again."""
    created = False
    try:
        with transaction.atomic():
            month_zip, created = MonthZip.objects.get_or_create(period=period)
    except IntegrityError:  # made by another request at the same moment
        month_zip = MonthZip.objects.get(period=period)
    if is_current(month_zip):
        return month_zip, False
    fresh_request = month_zip.requested_at > timezone.now() - STALE_AFTER
    if month_zip.is_active and fresh_request and not created:
        return month_zip, False
    month_zip.state, month_zip.error, month_zip.requested_at = MonthZip.State.QUEUED, "", timezone.now()
    month_zip.save(update_fields=["state", "error", "requested_at"])
    return month_zip, True


def build(period: str) -> MonthZip:
    """The task's body: render every invoice and credit note of ``period`` into the zip and store it."""
    claimed = MonthZip.objects.filter(period=period, state=MonthZip.State.QUEUED).update(state=MonthZip.State.RUNNING)
    month_zip = MonthZip.objects.get(period=period)
    if not claimed:
        return month_zip  # built or being built by another delivery of the task
    try:
        count, last = _contents(period)
        buffer = io.BytesIO()
        missing = []
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for invoice in Invoice.objects.filter(period=period, id__lte=last).order_by("series_year", "sequence"):
                pdf = documents.invoice_pdf(invoice)
                archive.writestr(documents.pdf_filename(invoice), pdf)
                # Beside each PDF its e-invoice (Peppol BIS Billing 3.0), or why it cannot be made.
                try:
                    archive.writestr(f"e-faktura/{peppol.filename(invoice)}", peppol.einvoice_xml(invoice, pdf=pdf))
                except peppol.EInvoiceError as exc:
                    missing.append(f"{invoice.number}: {exc}")
            if missing:
                archive.writestr("e-faktura/saknas.txt", "\n".join(missing) + "\n")
        old = month_zip.file.name if month_zip.file else ""
        month_zip.file.save(f"fakturor-{period}.zip", ContentFile(buffer.getvalue()), save=False)
        if old and old != month_zip.file.name:
            month_zip.file.storage.delete(old)
        month_zip.state, month_zip.invoice_count, month_zip.last_invoice_id = MonthZip.State.DONE, count, last
        month_zip.built_at, month_zip.error = timezone.now(), ""
        month_zip.save()
    except Exception as exc:
        log.exception("building the invoice zip of %s failed", period)
        MonthZip.objects.filter(pk=month_zip.pk).update(
            state=MonthZip.State.FAILED, error=f"{type(exc).__name__}: {exc}"
        )
        month_zip.refresh_from_db()
    return month_zip
