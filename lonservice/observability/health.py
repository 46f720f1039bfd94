"""Liveness and readiness: what /healthz/live and /healthz/ready report."""

from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import Connection

from lonservice.models import Heartbeat

from .jobs import oldest_active_jobs

BEAT = "beat"


def record_heartbeat(*, name: str = BEAT) -> None:
    """Beat's tick, run by a worker: readiness reads its age."""
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def broker_ok() -> bool:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


def worker_ok() -> bool:
    """At least one Celery worker answers a ping through the broker within a second."""
    from lonservice.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            return bool(app.control.ping(timeout=1, limit=1, connection=conn))
    except Exception:
        return False


def readiness() -> dict:
    """Every part the service needs, each ``ok`` or what is wrong; ``failing`` lists the parts not ok.

    Without a broker (eager mode) jobs run inside the web process: worker and beat are "inline".
    """
    checks: dict = {"database": "ok" if database_ok() else "down"}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = "ok" if broker_ok() else "down"
        checks["worker"] = "ok" if checks["broker"] == "ok" and worker_ok() else "down"
    else:
        checks["broker"] = checks["worker"] = "inline"
    if checks["database"] == "ok":
        _beat(checks)
        _jobs(checks)
    failing = [part for part, state in checks.items() if state not in ("ok", "inline") and part in PARTS]
    return {"status": "down" if failing else "ok", **checks, "failing": failing}


PARTS = ("database", "broker", "worker", "beat", "jobs")


def _beat(checks: dict) -> None:
    if not settings.CELERY_BROKER_URL:
        checks["beat"] = "inline"
        return
    tick = Heartbeat.objects.filter(name=BEAT).values_list("at", flat=True).first()
    checks["beat_last_tick"] = tick.isoformat() if tick else None
    if tick is None:
        checks["beat"] = "never"
    elif (timezone.now() - tick).total_seconds() > settings.HEALTH_BEAT_MAX_AGE:
        checks["beat"] = "stale"
    else:
        checks["beat"] = "ok"


def _jobs(checks: dict) -> None:
    active = [job for job in oldest_active_jobs().values() if job is not None]
    oldest = max(active, key=lambda job: job.age_seconds, default=None)
    checks["oldest_active_job"] = (
        {"kind": oldest.kind, "id": oldest.id, "state": oldest.state, "age_seconds": round(oldest.age_seconds)}
        if oldest
        else None
    )
    checks["jobs"] = "stuck" if oldest and oldest.age_seconds > settings.HEALTH_JOB_MAX_AGE else "ok"
