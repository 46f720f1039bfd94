"""Prometheus metrics at /metrics.

Per view (django-prometheus' middleware): requests, latency, responses by status, exceptions.
Read at each scrape (this collector): the Celery queue's length in Redis, close and import jobs by
outcome with their durations, the oldest active job, the last successful scheduled close and
beat's last tick. With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (docker-compose.yml
does) so a scrape sums every worker's counters.
"""

import os

from django.conf import settings
from django.db.models import Max
from kombu import Connection
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from invoicing.models import CloseJob
from lonservice.models import Heartbeat

from .health import BEAT
from .jobs import JOB_KINDS, oldest_active_jobs

DURATION_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)


def queue_length(queue: str) -> int | None:
    """Messages waiting in the queue: Redis keeps a queue as a list (LLEN); None when unreachable."""
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            return int(conn.default_channel.client.llen(queue))
    except Exception:
        return None


def _timestamp(value):
    return value.timestamp() if value else 0


class ServiceCollector:
    def collect(self):
        yield from self._queue()
        yield from self._jobs()
        scheduled = CloseJob.objects.filter(trigger=CloseJob.Trigger.SCHEDULE, state=CloseJob.State.DONE).aggregate(
            at=Max("finished_at")
        )["at"]
        yield GaugeMetricFamily(
            "lonservice_scheduled_close_last_success_timestamp_seconds",
            "When the last scheduled monthly close finished successfully (0: never).",
            value=_timestamp(scheduled),
        )
        tick = Heartbeat.objects.filter(name=BEAT).values_list("at", flat=True).first()
        yield GaugeMetricFamily(
            "lonservice_beat_last_tick_timestamp_seconds",
            "When a worker last ran beat's heartbeat task (0: never).",
            value=_timestamp(tick),
        )

    def _queue(self):
        if not settings.CELERY_BROKER_URL:
            return
        from lonservice.celery import app

        queue = app.conf.task_default_queue
        length = queue_length(queue)
        yield GaugeMetricFamily("lonservice_broker_up", "1 when the broker answers.", value=int(length is not None))
        if length is not None:
            family = GaugeMetricFamily(
                "lonservice_celery_queue_length", "Tasks waiting in the queue.", labels=["queue"]
            )
            family.add_metric([queue], length)
            yield family

    def _jobs(self):
        outcomes = CounterMetricFamily(
            "lonservice_jobs",
            "Background jobs (close, import, export) by their state (outcome when finished).",
            labels=["kind", "state"],
        )
        durations = HistogramMetricFamily(
            "lonservice_job_duration_seconds", "From start to finish of finished jobs.", labels=["kind", "state"]
        )
        active = GaugeMetricFamily("lonservice_jobs_active", "Jobs queued or running.", labels=["kind"])
        oldest_age = GaugeMetricFamily(
            "lonservice_job_oldest_active_age_seconds", "Age of the oldest queued or running job.", labels=["kind"]
        )
        oldest = oldest_active_jobs()
        for kind in JOB_KINDS:
            rows = kind.model.objects.values_list(kind.state_field, "started_at", "finished_at")
            counts, finished = {}, {}
            for state, started_at, finished_at in rows.iterator():
                counts[state] = counts.get(state, 0) + 1
                if started_at and finished_at and state not in kind.active:
                    finished.setdefault(state, []).append((finished_at - started_at).total_seconds())
            for state, count in sorted(counts.items()):
                outcomes.add_metric([kind.name, state], count)
            for state, seconds in sorted(finished.items()):
                buckets = [(str(float(le)), sum(1 for s in seconds if s <= le)) for le in DURATION_BUCKETS]
                buckets.append(("+Inf", len(seconds)))
                durations.add_metric([kind.name, state], buckets, sum_value=sum(seconds))
            active.add_metric([kind.name], sum(counts.get(state, 0) for state in kind.active))
            job = oldest[kind.name]
            oldest_age.add_metric([kind.name], job.age_seconds if job else 0)
        yield from (outcomes, durations, active, oldest_age)


class _Default:
    """The process's own registry (django-prometheus' metrics), when not in multiprocess mode."""

    def collect(self):
        yield from REGISTRY.collect()


def exposition() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Default())
    registry.register(ServiceCollector())
    return generate_latest(registry)
