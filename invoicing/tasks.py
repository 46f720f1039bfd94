"""Celery tasks: one line into a service each, and how the close is handed to the worker.

A close that ends failed raises ``core.jobs.JobFailed``: Celery records the task as failed (its log
line, error reports), not as a success whose result says "failed"."""

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

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


@shared_task(name="invoicing.tasks.run_closes_in_order")
def run_closes_in_order(job_ids: list[int]) -> list[str]:
    since = timezone.now()
    jobs = close.run_close_jobs_in_order(job_ids)
    for job in jobs:
        _outcome(job, since)  # JobFailed for the first month this run failed
    return [job.state for job in jobs]


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
