"""The close's PDFs, rendered by several workers after the one transaction that issued the invoices.

``queue_after_close`` records one waiting PDF per invoice the close issued and hands them to the
workers as a group of tasks, one an invoice (``invoicing.tasks.render_invoice_pdf``), each of which
runs ``render``. A rendering claims its row first, so a duplicated task (acks_late redelivery, a
retry pressed twice) renders nothing; it writes the PDF under a new file name and names it on the
row only while its claim still holds, so no reader ever sees a half-written or mixed PDF. A PDF
that failed shows on the close page with its error and is rendered again by ``retry``. The last
PDF of a close to finish has the month's zip built. The invoices themselves are never written.
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db.models import Count, F, Q
from django.utils import timezone

from .. import documents
from ..models import CloseJob, Invoice, InvoicePdf

log = logging.getLogger(__name__)

# A rendering claimed longer ago than this died with its worker (one PDF takes well under a second).
STALE_AFTER = dt.timedelta(minutes=5)


def queue_after_close(job: CloseJob) -> list[int]:
    """Record a waiting PDF for every invoice ``job`` issued (once: a re-run adds none) and return
    the invoices whose PDF is to be rendered now (waiting ones; done and failed ones are left)."""
    invoice_ids = list(Invoice.objects.filter(close_job=job).order_by("pk").values_list("pk", flat=True))
    InvoicePdf.objects.bulk_create([InvoicePdf(invoice_id=pk) for pk in invoice_ids], ignore_conflicts=True)
    return list(
        InvoicePdf.objects.filter(invoice__close_job=job, state=InvoicePdf.State.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _stale(now) -> Q:
    return Q(state=InvoicePdf.State.RENDERING, claimed_at__lt=now - STALE_AFTER)


def render(invoice_id: int) -> tuple[InvoicePdf | None, bool]:
    """Render one invoice's PDF if it is waiting (or its last rendering died): (the row, whether this
    call rendered it). A PDF done or being rendered elsewhere is left as it is."""
    now = timezone.now()
    claimable = Q(state=InvoicePdf.State.PENDING) | _stale(now)
    claimed = InvoicePdf.objects.filter(claimable, pk=invoice_id).update(
        state=InvoicePdf.State.RENDERING, claimed_at=now, attempts=F("attempts") + 1, error=""
    )
    if not claimed:
        return InvoicePdf.objects.filter(pk=invoice_id).first(), False
    mine = InvoicePdf.objects.filter(pk=invoice_id, state=InvoicePdf.State.RENDERING, claimed_at=now)
    record = InvoicePdf.objects.select_related("invoice").get(pk=invoice_id)
    invoice = record.invoice
    try:
        pdf = documents.render_invoice_pdf(invoice)
        name = record.file.storage.save(
            f"invoice-pdfs/{invoice.period}/{documents.pdf_filename(invoice)}", ContentFile(pdf)
        )
    except Exception as exc:
        log.exception("rendering the PDF of invoice %s failed", invoice.number)
        mine.update(state=InvoicePdf.State.FAILED, error=f"{type(exc).__name__}: {exc}")
        record.refresh_from_db()
        return record, True
    old = record.file.name
    finished = mine.update(
        state=InvoicePdf.State.DONE,
        file=name,
        sha256=hashlib.sha256(pdf).hexdigest(),
        rendered_at=timezone.now(),
        error="",
    )
    storage = record.file.storage
    if not finished:  # another worker took the rendering over meanwhile: its file is the one kept
        storage.delete(name)
    elif old and old != name:
        storage.delete(old)
    record.refresh_from_db()
    return record, bool(finished)


def retry(job: CloseJob) -> list[int]:
    """Mark the close's failed PDFs (and renderings whose worker died) waiting again; returns them."""
    now = timezone.now()
    failed = InvoicePdf.objects.filter(Q(state=InvoicePdf.State.FAILED) | _stale(now), invoice__close_job=job)
    ids = list(failed.values_list("pk", flat=True))
    InvoicePdf.objects.filter(Q(state=InvoicePdf.State.FAILED) | _stale(now), pk__in=ids).update(
        state=InvoicePdf.State.PENDING, claimed_at=None
    )
    return ids


@dataclass
class Progress:
    """How far a close's PDFs are: counts by state, and the failed ones with their errors."""

    total: int = 0
    done: int = 0
    failed: list = field(default_factory=list)
    stalled: int = 0

    @property
    def active(self) -> bool:
        """Still rendering (the close page keeps following it)."""
        return self.done + len(self.failed) + self.stalled < self.total

    @property
    def retryable(self) -> bool:
        return bool(self.failed) or bool(self.stalled)


def progress(job: CloseJob) -> Progress:
    now = timezone.now()
    counts = InvoicePdf.objects.filter(invoice__close_job=job).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(state=InvoicePdf.State.DONE)),
        stalled=Count("pk", filter=_stale(now)),
    )
    failed = []
    if counts["total"] > counts["done"]:
        failed = list(
            InvoicePdf.objects.filter(invoice__close_job=job, state=InvoicePdf.State.FAILED)
            .select_related("invoice")
            .order_by("invoice__series_year", "invoice__sequence")
        )
    return Progress(total=counts["total"], done=counts["done"], failed=failed, stalled=counts["stalled"])


def all_done(job: CloseJob) -> bool:
    """Whether every PDF of the close is rendered (then the month's zip is built)."""
    return not InvoicePdf.objects.filter(invoice__close_job=job).exclude(state=InvoicePdf.State.DONE).exists()
