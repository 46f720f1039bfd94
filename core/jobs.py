"""Handing work to the Celery worker: one policy for every background job (the payslip import, the
monthly close) when the task queue is down.

Without a broker (``CELERY_BROKER_URL`` empty: eager mode) the task runs here, at once. With one,
the task is only queued. When the queue cannot be reached, the job is marked failed with a message
saying so, nothing of it has run, and ``QueueUnavailable`` carries that message to the page or
command, so the user can simply try again. A job never falls back to running inside the request:
a month's import or close would hold the page for minutes, beside the workers and outside their
limits, and a second press would run it twice.

A job whose worker died is found here too: the running task stamps the job's heartbeat
(``heartbeat``), and beat's check (``fail_stuck_jobs`` for each ``JobKind``) marks failed, with the
reason, a running job that fell silent and a queued one no worker started. A task whose job failed
raises ``JobFailed``, so Celery records a failure.
"""

import datetime as dt
import logging
import threading
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Protocol

from celery import group
from django.conf import settings
from django.db import connection, connections, models, transaction
from django.db.models import Q
from django.utils import timezone, translation
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
    """Run ``task(*args)`` in the worker, or here in eager mode (its errors then propagate, except
    ``JobFailed``: the job records its failure, and the page shows it)."""
    if task.app.conf.task_always_eager:
        with suppress(JobFailed):
            task.delay(*args)  # runs here (CELERY_TASK_EAGER_PROPAGATES: its errors are raised)
        return
    with _queue_or_fail(task, job):
        task.delay(*args)


def enqueue_each(task, items: list, *, job: QueuedJob) -> None:
    """Run ``task(item)`` for every item as one group of tasks, which the workers share out (one
    task an invoice's PDF, say); in eager mode here, one after the other. Queue down: as ``enqueue``."""
    if not items:
        return
    if task.app.conf.task_always_eager:
        for item in items:
            with suppress(JobFailed):
                task.delay(item)
        return
    with _queue_or_fail(task, job):
        group(task.si(item) for item in items).apply_async()


@contextmanager
def _queue_or_fail(task, job: QueuedJob):
    try:
        yield
    except Exception as exc:  # kombu's OperationalError, redis' ConnectionError, a refused socket …
        log.exception("could not queue %s for job %s", task.name, job.pk)
        message = _(
            "The task queue cannot be reached, so %(job)s was not started. Nothing was changed; "
            "try again in a few minutes."
        ) % {"job": job.queue_label()}
        job.mark_not_queued(message)
        raise QueueUnavailable(message) from exc


class JobFailed(Exception):
    """Raised by a task whose job ended failed, so that Celery (its log line, Sentry, Flower) records a
    failure, not a success with "failed" inside. The reason is on the job; eager mode swallows it."""


# --- a job's heartbeat, and jobs whose worker is gone -------------------------------------------------


@dataclass(frozen=True)
class JobKind:
    """A model whose rows are background jobs: its name for operations, its state field and values.

    The model has ``created_at``, ``started_at``, ``finished_at`` and ``heartbeat_at`` fields and a
    ``mark_failed(reason)`` method (``StuckJob``)."""

    name: str
    model: type[models.Model]
    state_field: str
    queued: str
    running: str
    failed: str = "failed"

    @property
    def active(self) -> tuple[str, ...]:
        return (self.queued, self.running)

    def stuck(self, now=None) -> Q:
        """Running without a heartbeat for JOB_STALE_SECONDS, or queued and not started by any worker
        within JOB_QUEUED_MAX_SECONDS (the message lost, or no worker running)."""
        now = now or timezone.now()
        silent = now - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
        unstarted = now - dt.timedelta(seconds=settings.JOB_QUEUED_MAX_SECONDS)
        running = Q(**{self.state_field: self.running}) & (
            Q(heartbeat_at__lt=silent) | Q(heartbeat_at__isnull=True, started_at__lt=silent)
        )
        queued = Q(**{self.state_field: self.queued}, created_at__lt=unstarted)
        return running | queued


class StuckJob(Protocol):
    pk: int

    def mark_failed(self, reason: str) -> None:
        """End the job failed with ``reason``, keeping what a re-run needs (an import's file)."""


def stuck_reason(kind: JobKind, job) -> str:
    if getattr(job, kind.state_field) == kind.running:
        last = job.heartbeat_at or job.started_at
        return _(
            "Its worker stopped: no sign of life since %(time)s (a running job gives one every %(seconds)s seconds). "
            "Nothing of it was saved; it can be run again."
        ) % {"time": timezone.localtime(last).strftime("%Y-%m-%d %H:%M:%S"), "seconds": settings.JOB_HEARTBEAT_SECONDS}
    return _(
        "No worker started it within %(minutes)s minutes: the task queue lost it, or no worker is running. "
        "Nothing was done; it can be run again."
    ) % {"minutes": round(settings.JOB_QUEUED_MAX_SECONDS / 60)}


def fail_stuck_jobs(kind: JobKind, *, now=None, only: Q | None = None) -> list:
    """Mark failed, with the reason, every job of ``kind`` whose worker is gone; returns them.

    Each job is re-read under a row lock that skips rows a live transaction holds, so a job whose
    worker is alive (and finishing) is never failed here."""
    failed = []
    condition = kind.stuck(now) & (only or Q())
    with translation.override(settings.LANGUAGE_CODE):  # stored for whoever reads it later
        for pk in kind.model.objects.filter(condition).values_list("pk", flat=True):
            job = _fail_if_still_stuck(kind, pk, condition)
            if job is not None:
                failed.append(job)
    return failed


def _fail_if_still_stuck(kind: JobKind, pk: int, condition: Q):
    with transaction.atomic():
        job = kind.model.objects.select_for_update(skip_locked=True).filter(condition, pk=pk).first()
        if job is None:
            return None
        reason = stuck_reason(kind, job)
        job.mark_failed(reason)
    log.error("%s job %s marked failed: %s", kind.name, pk, reason, extra={"job_id": pk})
    return job


@contextmanager
def heartbeat(job, *, every: float | None = None):
    """While the body runs, stamp ``job.heartbeat_at`` every JOB_HEARTBEAT_SECONDS.

    On PostgreSQL a thread writes it on its own connection, committed at once, so it is seen while the
    job's own transaction is open and stops when the worker dies. Elsewhere (SQLite, where a second
    writer would wait for the first) it is stamped once, at the start."""
    model, pk = type(job), job.pk

    def beat():
        model.objects.filter(pk=pk).update(heartbeat_at=timezone.now())

    beat()
    if connection.vendor != "postgresql":
        yield
        return
    stop = threading.Event()
    interval = every if every is not None else settings.JOB_HEARTBEAT_SECONDS

    def run():
        try:
            while not stop.wait(interval):
                try:
                    beat()
                except Exception:  # a database hiccup: the next beat tries again
                    log.warning("heartbeat of job %s not written", pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's connection

    thread = threading.Thread(target=run, name=f"heartbeat-{model.__name__}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def is_stuck(kind: JobKind, job, now=None) -> bool:
    """Whether ``job`` (as read) matches ``kind.stuck``: its page stops waiting and offers a re-run."""
    now = now or timezone.now()
    state = getattr(job, kind.state_field)
    if state == kind.running:
        last = job.heartbeat_at or job.started_at or job.created_at
        return last < now - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    if state == kind.queued:
        return job.created_at < now - dt.timedelta(seconds=settings.JOB_QUEUED_MAX_SECONDS)
    return False
