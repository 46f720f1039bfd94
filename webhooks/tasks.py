import contextlib

from celery import shared_task

from core.jobs import QueueUnavailable, enqueue

from . import services


@shared_task(acks_late=False, ignore_result=True)
def deliver(delivery_id: int) -> None:
    """One attempt of a webhook delivery; on failure, queued again after its backoff."""
    wait = services.attempt(delivery_id)
    if wait is not None and not deliver.app.conf.task_always_eager:
        deliver.apply_async((delivery_id,), countdown=wait)


@shared_task(ignore_result=True)
def send_due_deliveries() -> None:
    """Beat's sweep: deliveries that are due (a lost message; without a broker, every retry)."""
    for delivery_id in services.due_deliveries():
        services.attempt(delivery_id)


def queue_delivery(delivery) -> None:
    with contextlib.suppress(QueueUnavailable):  # it stays waiting; the sweep sends it
        enqueue(deliver, delivery.pk, job=delivery)
