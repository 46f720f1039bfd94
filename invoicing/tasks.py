"""Celery tasks: one line into a service each, and how the close is handed to the worker.

A close that ends failed raises ``core.jobs.JobFailed``: Celery records the task as failed (its log
line, error reports), not as a success whose result says "failed"."""

import contextlib

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import JobFailed, QueueUnavailable, enqueue, enqueue_each

from .models import CloseJob, InvoicePdf, MonthZip
from .services import close, month_zip, pdfs


def _outcome(job: CloseJob | None, since) -> str | None:
    """The job's state; ``JobFailed`` if this run ended it failed (a redelivered message of a job
    failed earlier, which this run did not touch, is no failure of this task)."""
    if job is not None and job.state == CloseJob.State.FAILED and job.finished_at and job.finished_at >= since:
        raise JobFailed(f"close job {job.pk} of {job.period} failed: {job.error}")
    return job.state if job else None


@shared_task(name="invoicing.tasks.run_close")
def run_close(job_id: int) -> str:
    since = timezone.now()
    job = close.run_close_job(job_id)
    pdfs_after_close(job)
    return _outcome(job, since)


@shared_task(name="invoicing.tasks.run_closes_in_order")
def run_closes_in_order(job_ids: list[int]) -> list[str]:
    since = timezone.now()
    jobs = close.run_close_jobs_in_order(job_ids)
    for job in jobs:
        pdfs_after_close(job)
    for job in jobs:
        _outcome(job, since)  # JobFailed for the first month this run failed
    return [job.state for job in jobs]


@shared_task(name="invoicing.tasks.build_month_zip")
def build_month_zip(period: str) -> str:
    return month_zip.build(period).state


def start_month_zip(period: str) -> MonthZip:
    """Have the month's zip built by the worker unless it is current or being built; when the task
    queue is down the record is marked failed and ``core.jobs.QueueUnavailable`` raised."""
    record, to_queue = month_zip.request_build(period)
    if to_queue:
        enqueue(build_month_zip, period, job=record)
        record.refresh_from_db()
    return record


def _after_close(job: CloseJob) -> bool:
    """Whether ``job`` issued invoices whose PDFs and zip are made now (the demo's history excepted:
    its PDFs are rendered, and its zips built, when first asked for)."""
    return job.state == CloseJob.State.DONE and bool(job.invoices_issued) and job.trigger != CloseJob.Trigger.DEMO


@shared_task(name="invoicing.tasks.render_invoice_pdf")
def render_invoice_pdf(invoice_id: int) -> str | None:
    record, rendered = pdfs.render(invoice_id)
    if record is None or not rendered:
        return record.state if record else None  # done, or rendered by another delivery of the task
    if record.state == InvoicePdf.State.FAILED:
        raise JobFailed(f"the PDF of invoice {record.invoice.number} failed: {record.error}")
    zip_when_pdfs_done(record.invoice.close_job)
    return record.state


class _ClosePdfs:
    """The PDFs of a close handed to the workers (``core.jobs.QueuedJob``)."""

    def __init__(self, job: CloseJob, invoice_ids: list[int]):
        self.job, self.invoice_ids, self.pk = job, invoice_ids, job.pk

    def queue_label(self) -> str:
        return _("the PDFs of the close of %(period)s") % {"period": self.job.period}

    def mark_not_queued(self, message: str) -> None:
        InvoicePdf.objects.filter(pk__in=self.invoice_ids, state=InvoicePdf.State.PENDING).update(
            state=InvoicePdf.State.FAILED, error=message
        )


def pdfs_after_close(job: CloseJob) -> None:
    """A close that issued invoices has their PDFs rendered next, one task an invoice shared out over
    the workers; the last to finish has the month's zip built. A queue that is down marks them failed
    with the message, and the close page offers to render them again."""
    if not _after_close(job):
        return
    start_pdfs(job, pdfs.queue_after_close(job))


def retry_pdfs(job: CloseJob) -> list[int]:
    """Render the close's failed PDFs again (``QueueUnavailable`` when the queue is down)."""
    ids = pdfs.retry(job)
    start_pdfs(job, ids, suppress_queue_down=False)
    return ids


def start_pdfs(job: CloseJob, invoice_ids: list[int], *, suppress_queue_down: bool = True) -> None:
    if not invoice_ids:
        zip_when_pdfs_done(job)
        return
    try:
        enqueue_each(render_invoice_pdf, invoice_ids, job=_ClosePdfs(job, invoice_ids))
    except QueueUnavailable:
        if not suppress_queue_down:
            raise


def zip_when_pdfs_done(job: CloseJob | None) -> None:
    """The month's zip is built once every PDF of the close is rendered (a queue that is down
    leaves that for later: the zip's page asks again)."""
    if job is None or not _after_close(job) or not pdfs.all_done(job):
        return
    with contextlib.suppress(QueueUnavailable):  # marked failed with the message; a later click asks again
        start_month_zip(job.period)


@shared_task(name="invoicing.tasks.close_previous_month")
def close_previous_month() -> str | None:
    since = timezone.now()
    return _outcome(close.run_scheduled_close(), since)


class _CloseRun:
    """Close jobs of several months handed to the worker as one task (``core.jobs.QueuedJob``)."""

    def __init__(self, jobs: list[CloseJob]):
        self.jobs = jobs
        self.pk = jobs[-1].pk

    def queue_label(self) -> str:
        return _("the monthly close of %(first)s to %(last)s") % {
            "first": self.jobs[0].period,
            "last": self.jobs[-1].period,
        }

    def mark_not_queued(self, message: str) -> None:
        for job in self.jobs:
            job.mark_not_queued(message)


def start_close(*, period: str, user=None, trigger: str = "web", in_order: bool = False) -> CloseJob:
    """Record a close job (``close.create_close_job``'s refusals apply) and hand it to the worker;
    when the task queue is down the job is marked failed and ``core.jobs.QueueUnavailable`` raised.
    With ``in_order`` the unclosed months before ``period`` are closed first, oldest first, in one
    task (one job each); the job of ``period`` is returned."""
    if in_order:
        jobs = close.create_close_jobs_in_order(up_to=period, user=user, trigger=trigger)
        if len(jobs) > 1:
            enqueue(run_closes_in_order, [job.pk for job in jobs], job=_CloseRun(jobs))
            jobs[-1].refresh_from_db()
            return jobs[-1]
        job = jobs[0]
    else:
        job = close.create_close_job(period=period, user=user, trigger=trigger)
    enqueue(run_close, job.pk, job=job)
    job.refresh_from_db()
    return job
