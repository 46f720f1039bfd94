"""Alerts to operations (and to finance, for the scheduled close), by e-mail through Django's mail
framework and as an error log line (which Sentry reports when it is on).

Each alert is about one thing (its ``key``) and is sent once; a state that lasts (failing health)
is sent again after ALERT_REPEAT_MINUTES. Recipients: OPS_ALERT_EMAILS (default: ADMINS); for the
scheduled close also FINANCE_ALERT_EMAILS (default: the active users who may run the close).
"""

import calendar
import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import ClosedPeriod
from core.periods import previous_period
from invoicing.models import CLOSE_JOBS, CloseJob
from lonservice.models import AlertSent

from .jobs import JOB_KINDS

log = logging.getLogger(__name__)

# A kind's job page for the alert; a case-list download has none (its page is its user's own).
JOB_PAGES = {"close": "invoicing:close_detail", "import": "payroll:import_detail"}
# Failed jobs older than this are history, not news (the first check after an upgrade stays quiet).
FAILED_JOBS_LOOKBACK = dt.timedelta(days=1)


def finance_recipients() -> list[str]:
    if settings.FINANCE_ALERT_EMAILS:
        return list(settings.FINANCE_ALERT_EMAILS)
    permission = Permission.objects.get(content_type__app_label="invoicing", codename="run_close")
    users = get_user_model().objects.filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission), is_active=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def send_alert(key: str, subject: str, body: str, *, finance: bool = False, repeat: bool = False) -> bool:
    """E-mail the alert unless it was sent already (``repeat``: unless within ALERT_REPEAT_MINUTES);
    returns whether it was sent. It is always logged as an error, for the error reports."""
    now = timezone.now()
    with transaction.atomic():
        last = AlertSent.objects.select_for_update().filter(key=key).first()
        if last is not None and (
            not repeat or now - last.sent_at < dt.timedelta(minutes=settings.ALERT_REPEAT_MINUTES)
        ):
            return False
        AlertSent.objects.update_or_create(key=key, defaults={"subject": subject[:255], "sent_at": now})
    recipients = list(settings.OPS_ALERT_EMAILS) + (finance_recipients() if finance else [])
    recipients = list(dict.fromkeys(recipients))
    log.error("alert: %s", subject, extra={"alert": key, "recipients": len(recipients)})
    if not recipients:
        log.warning("alert %s not e-mailed: set OPS_ALERT_EMAILS or ADMINS", key)
        return True
    try:
        send_mail(f"[Lönservice] {subject}", body, None, recipients)
    except Exception:
        log.exception("alert %s could not be e-mailed; it is tried again at the next check", key)
        AlertSent.objects.filter(key=key, sent_at=now).delete()
        return False
    return True


def clear_alert(key: str) -> bool:
    """The state an alert was about has ended (health is back); the next one is sent at once."""
    return AlertSent.objects.filter(key=key).delete()[0] > 0


# --- what is checked ------------------------------------------------------------------------------------


def alert_failed_jobs(*, now=None) -> list[str]:
    """One alert per close, import or case-list download that ended failed lately (its worker died,
    an error, the queue down); finance hears of a scheduled close too. Returns the keys sent."""
    now = now or timezone.now()
    sent = []
    for kind in JOB_KINDS:
        failed = kind.model.objects.filter(
            **{kind.state_field: kind.failed}, finished_at__gte=now - FAILED_JOBS_LOOKBACK
        ).order_by("pk")
        for job in failed:
            key = f"job:{kind.name}:{job.pk}"
            if AlertSent.objects.filter(key=key).exists():
                continue
            scheduled = kind is CLOSE_JOBS and job.trigger == CloseJob.Trigger.SCHEDULE
            subject = _("Failed: %(job)s (job %(id)s)") % {"job": job.queue_label(), "id": job.pk}
            lines = [subject, _("Reason: %(reason)s") % {"reason": job.failure_reason or "-"}]
            if kind.name in JOB_PAGES:
                lines += [
                    _("The job's page: %(path)s") % {"path": reverse(JOB_PAGES[kind.name], args=[job.pk])},
                    _("Nothing of it was saved; it can be run again from its page or the admin site."),
                ]
            else:
                lines.append(_("Nothing of it was saved; its user can ask for it again."))
            body = "\n\n".join(lines)
            if send_alert(key, subject, body, finance=scheduled):
                sent.append(key)
    return sent


def scheduled_close_due(now) -> tuple[str, dt.datetime]:
    """The month the schedule closes this month, and when it counts as not run (06:00 on
    MONTHLY_CLOSE_DAY, plus SCHEDULED_CLOSE_GRACE_HOURS)."""
    local = timezone.localtime(now)
    day = min(settings.MONTHLY_CLOSE_DAY, calendar.monthrange(local.year, local.month)[1])
    scheduled = timezone.make_aware(dt.datetime(local.year, local.month, day, 6, 0))
    return previous_period(f"{local.year:04d}-{local.month:02d}"), scheduled + dt.timedelta(
        hours=settings.SCHEDULED_CLOSE_GRACE_HOURS
    )


def alert_missed_scheduled_close(*, now=None) -> str | None:
    """Operations and finance hear when last month is still open after the scheduled close's time and
    no close of it ran since then (a close that ran and failed has its own alert)."""
    now = now or timezone.now()
    period, due = scheduled_close_due(now)
    if now < due or ClosedPeriod.objects.filter(period=period).exists():
        return None
    ran = CloseJob.objects.filter(period=period, created_at__gte=due - dt.timedelta(hours=24))
    if ran.exists():
        return None
    key = f"close-missing:{period}"
    subject = _("The scheduled close of %(period)s has not run") % {"period": period}
    body = "\n\n".join(
        [
            subject,
            _(
                "%(period)s is still open at %(time)s. Is Celery beat running? Start the close from the "
                "close page, or with manage.py close_month %(period)s."
            )
            % {"period": period, "time": timezone.localtime(now).strftime("%Y-%m-%d %H:%M")},
        ]
    )
    return key if send_alert(key, subject, body, finance=True) else None


HEALTH_KEY = "health"


def alert_health(checks: dict) -> bool:
    """Readiness failing: an alert naming the parts, again every ALERT_REPEAT_MINUTES while it lasts;
    when it is back, a note that it is."""
    with translation.override(settings.LANGUAGE_CODE):
        return _alert_health(checks)


def _alert_health(checks: dict) -> bool:
    if not checks["failing"]:
        if clear_alert(HEALTH_KEY) and settings.OPS_ALERT_EMAILS:
            subject = _("Health is back: every part is ok")
            send_mail(f"[Lönservice] {subject}", subject, None, list(settings.OPS_ALERT_EMAILS))
        return False
    parts = ", ".join(checks["failing"])
    subject = _("Health check failing: %(parts)s") % {"parts": parts}
    details = "\n".join(f"{part}: {checks.get(part)}" for part in checks if part not in ("status", "failing"))
    return send_alert(HEALTH_KEY, subject, f"{subject}\n\n{details}", repeat=True)


def check_and_alert(*, now=None) -> list[str]:
    """Beat's check after the stuck jobs are failed: alerts for failed jobs and a missed close."""
    with translation.override(settings.LANGUAGE_CODE):
        sent = alert_failed_jobs(now=now)
        missed = alert_missed_scheduled_close(now=now)
    return sent + ([missed] if missed else [])


def mail_without_record(checks: dict, error: Exception) -> None:
    """The database is down, so alerts sent cannot be recorded: e-mail every time (cron's interval)."""
    parts = ", ".join(checks["failing"])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Health check failing: %(parts)s") % {"parts": parts}
    log.error("alert: %s", subject, extra={"alert": HEALTH_KEY})
    if settings.OPS_ALERT_EMAILS:
        send_mail(f"[Lönservice] {subject}", f"{subject}\n\n{error}", None, list(settings.OPS_ALERT_EMAILS))
