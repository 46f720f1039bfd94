"""Celery tasks of reporting: one line into a service each."""

from celery import shared_task

from .services import delivery


@shared_task(
    name="reporting.tasks.send_report",
    autoretry_for=(OSError, ConnectionError),
    retry_backoff=60,
    max_retries=5,
)
def send_report(delivery_id: int) -> str:
    return delivery.deliver(delivery_id).status


@shared_task(name="reporting.tasks.deliver_due_reports")
def deliver_due_reports() -> int:
    return len(delivery.deliver_due_reports())
