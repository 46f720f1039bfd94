"""Celery tasks of customers: one line into a service each."""

from celery import shared_task

from . import notices


@shared_task(
    name="customers.tasks.send_notice",
    autoretry_for=(OSError, ConnectionError),
    retry_backoff=60,
    max_retries=5,
)
def send_notice(notice_id: int) -> str:
    return notices.deliver(notice_id).status
