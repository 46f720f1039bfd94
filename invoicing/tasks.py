"""Celery tasks: one line into a service each, and how the close is handed to the worker."""

from celery import shared_task

from core.jobs import enqueue

from .models import CloseJob
from .services import close


@shared_task(name="invoicing.tasks.run_close")
def run_close(job_id: int) -> str:
    return close.run_close_job(job_id).state


@shared_task(name="invoicing.tasks.close_previous_month")
def close_previous_month() -> str | None:
    job = close.run_scheduled_close()
    return job.state if job else None


def start_close(*, period: str, user=None, trigger: str = "web") -> CloseJob:
    """Record a close job (``close.create_close_job``'s refusals apply) and hand it to the worker;
    when the task queue is down the job is marked failed and ``core.jobs.QueueUnavailable`` raised."""
    job = close.create_close_job(period=period, user=user, trigger=trigger)
    enqueue(run_close, job.pk, job=job)
    job.refresh_from_db()
    return job
