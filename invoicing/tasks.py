"""Celery tasks: one line into a service each, and how the close is handed to the worker.

A close that ends failed raises ``core.jobs.JobFailed``: Celery records the task as failed (its log
line, error reports), not as a success whose result says "failed"."""

from celery import shared_task
from django.utils import timezone

from core.jobs import JobFailed, enqueue

from .models import CloseJob
from .services import close


def _outcome(job: CloseJob | None, since) -> str | None:
    """The job's state; ``JobFailed`` if this run ended it failed (a redelivered message of a job
    failed earlier, which this run did not touch, is no failure of this task)."""
    if job is not None and job.state == CloseJob.State.FAILED and job.finished_at and job.finished_at >= since:
        raise JobFailed(f"close job {job.pk} of {job.period} failed: {job.error}")
    return job.state if job else None


@shared_task(name="invoicing.tasks.run_close")
def run_close(job_id: int) -> str:
    since = timezone.now()
    return _outcome(close.run_close_job(job_id), since)


@shared_task(name="invoicing.tasks.close_previous_month")
def close_previous_month() -> str | None:
    since = timezone.now()
    return _outcome(close.run_scheduled_close(), since)


def start_close(*, period: str, user=None, trigger: str = "web") -> CloseJob:
    """Record a close job (``close.create_close_job``'s refusals apply) and hand it to the worker;
    when the task queue is down the job is marked failed and ``core.jobs.QueueUnavailable`` raised."""
    job = close.create_close_job(period=period, user=user, trigger=trigger)
    enqueue(run_close, job.pk, job=job)
    job.refresh_from_db()
    return job
