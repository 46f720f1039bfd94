"""Handing work to the Celery worker: one policy for every background job (the payslip import, the
monthly close) when the task queue is down.

Without a broker (``CELERY_BROKER_URL`` empty: eager mode) the task runs here, at once. With one,
the task is only queued. When the queue cannot be reached, the job is marked failed with a message
saying so, nothing of it has run, and ``QueueUnavailable`` carries that message to the page or
command, so the user can simply try again. A job never falls back to running inside the request:
a month's import or close would hold the page for minutes, beside the workers and outside their
limits, and a second press would run it twice.
"""

import logging
from typing import Protocol

from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


class QueuedJob(Protocol):
    """The record a task works on (a payslip import, a close job)."""

    pk: int

    def queue_label(self) -> str:
        """What the job does, for the message: "the monthly close of 2012-03"."""

    def mark_not_queued(self, message: str) -> None:
        """Mark the job failed with ``message``, undoing what was prepared for it."""


class QueueUnavailable(Exception):
    """The task queue could not be reached; the job is marked failed. The message is for the user."""


def enqueue(task, *args, job: QueuedJob) -> None:
    """Run ``task(*args)`` in the worker, or here in eager mode (its errors then propagate)."""
    if task.app.conf.task_always_eager:
        task.delay(*args)  # runs here (CELERY_TASK_EAGER_PROPAGATES: its errors are raised)
        return
    try:
        task.delay(*args)
    except Exception as exc:  # kombu's OperationalError, redis' ConnectionError, a refused socket …
        log.exception("could not queue %s for job %s", task.name, job.pk)
        message = _(
            "The task queue cannot be reached, so %(job)s was not started. Nothing was changed; "
            "try again in a few minutes."
        ) % {"job": job.queue_label()}
        job.mark_not_queued(message)
        raise QueueUnavailable(message) from exc
