"""Celery tasks: one line into a service each."""

from celery import shared_task

from .services import close


@shared_task(name="invoicing.tasks.run_close")
def run_close(job_id: int) -> str:
    return close.run_close_job(job_id).state


@shared_task(name="invoicing.tasks.close_previous_month")
def close_previous_month() -> str | None:
    job = close.run_scheduled_close()
    return job.state if job else None
