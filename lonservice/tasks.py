"""Beat's heartbeat and the nightly housekeeping: each task one call into a service or command."""

from celery import shared_task
from django.conf import settings
from django.core.management import call_command

from .observability import alerts, health, jobs


@shared_task(name="lonservice.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    health.record_heartbeat()


@shared_task(name="lonservice.tasks.check_jobs", ignore_result=True)
def check_jobs() -> None:
    """Closes, imports and case-list downloads whose worker is gone are failed; failed jobs and a
    missed close alerted."""
    jobs.fail_stuck_jobs()
    alerts.check_and_alert()


@shared_task(name="lonservice.tasks.purge_personal_data")
def purge_personal_data() -> None:
    call_command("purge_personal_data")


@shared_task(name="lonservice.tasks.clear_sessions")
def clear_sessions() -> None:
    call_command("clearsessions")


@shared_task(name="lonservice.tasks.clean_login_log")
def clean_login_log() -> None:
    """django-axes keeps a row per login (and per failure, when enabled): keep LOGIN_LOG_DAYS of them."""
    call_command("axes_reset_logs", age=settings.LOGIN_LOG_DAYS)
    call_command("axes_reset_failure_logs", age=settings.LOGIN_LOG_DAYS)
