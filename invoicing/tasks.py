"""Celery tasks: one line into a service each, and how the close is handed to the worker.

A close that ends failed raises ``core.jobs.JobFailed``: Celery records the task as failed (its log
line, error reports), not as a success whose result says "failed"."""

import contextlib

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import JobFailed, QueueUnavailable, enqueue

from .models import CloseJob, MonthZip
from .services import close, month_zip


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
    zip_after_close(job)
    return _outcome(job, since)


@shared_task(name="invoicing.tasks.run_closes_in_order")
def run_closes_in_order(job_ids: list[int]) -> list[str]:
    since = timezone.now()
    jobs = close.run_close_jobs_in_order(job_ids)
    for job in jobs:
        zip_after_close(job)
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


def zip_after_close(job: CloseJob) -> None:
    """A close that issued invoices has the month's zip built next (the demo's history excepted:
    its zips are built when first asked for). A queue that is down leaves that for later."""
    if job.state != CloseJob.State.DONE or not job.invoices_issued or job.trigger == CloseJob.Trigger.DEMO:
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
