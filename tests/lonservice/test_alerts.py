"""Alerts to operations (and finance, for the scheduled close) by e-mail, received by a real SMTP server
(aiosmtpd) on localhost: a failed or stuck job, a scheduled close that did not run, failing health."""

import datetime as dt
import email
import email.policy
import logging
import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from invoicing.models import CloseJob
from lonservice import tasks
from lonservice.models import AlertSent
from lonservice.observability import alerts
from tests import factories

pytestmark = pytest.mark.django_db

OPS = ["drift@stad.example.se", "jour@stad.example.se"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the SMTP server received: (recipients, parsed message) per mail."""

    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mails.append((sorted(envelope.rcpt_tos), message))
        return "250 Message accepted"

    @property
    def subjects(self):
        return [subject(message) for _to, message in self.mails]


def subject(message) -> str:
    return " ".join(str(message["Subject"]).split())  # unfolded


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.OPS_ALERT_EMAILS = OPS
    settings.DEFAULT_FROM_EMAIL = settings.SERVER_EMAIL = "lonservice@stad.example.se"
    yield inbox
    controller.stop()


def _stuck_close(trigger="web", period="2012-03"):
    job = CloseJob.objects.create(period=period, trigger=trigger)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    CloseJob.objects.filter(pk=job.pk).update(state="running", started_at=long_ago, heartbeat_at=long_ago)
    return job


def test_a_stuck_close_is_failed_and_operations_get_one_mail(smtp, caplog):
    job = _stuck_close()
    with caplog.at_level(logging.ERROR):
        tasks.check_jobs()
    job.refresh_from_db()
    assert job.state == "failed"
    assert len(smtp.mails) == 1
    to, message = smtp.mails[0]
    assert to == sorted(OPS)
    assert subject(message) == f"[Lönservice] Misslyckades: månadsbokslutet för 2012-03 (jobb {job.pk})"
    assert message["From"] == "lonservice@stad.example.se"
    body = message.get_content()
    assert "Orsak: Dess arbetare har stannat: inget livstecken sedan " in body
    assert f"Jobbets sida: /invoicing/close/{job.pk}/" in body
    # The error line Sentry reports.
    assert any(r.levelno == logging.ERROR and r.getMessage().startswith("alert: Misslyckades") for r in caplog.records)
    tasks.check_jobs()  # the next minute: nothing new
    assert len(smtp.mails) == 1


def test_a_failed_import_is_alerted(smtp, case_handler, unit):
    from payroll import tasks as payroll_tasks
    from tests.payroll.helpers import upload

    job = payroll_tasks.imports.create_upload_job(uploaded_file=upload(b"x"), user=case_handler)
    job.mark_failed("disken tog slut")
    tasks.check_jobs()
    assert smtp.subjects == [f"[Lönservice] Misslyckades: importen av lon.csv (jobb {job.pk})"]
    assert "Orsak: disken tog slut" in smtp.mails[0][1].get_content()


def test_a_stuck_case_list_download_is_alerted_without_a_link_to_its_users_page(smtp, case_handler):
    from payroll.models import CaseExport

    export = CaseExport.objects.create(user=case_handler, format="csv")
    long_ago = timezone.now() - dt.timedelta(hours=1)
    CaseExport.objects.filter(pk=export.pk).update(state="running", started_at=long_ago, heartbeat_at=long_ago)
    tasks.check_jobs()
    export.refresh_from_db()
    assert export.state == "failed"
    assert smtp.subjects == [f"[Lönservice] Misslyckades: nedladdningen av ärendelistan (jobb {export.pk})"]
    body = smtp.mails[0][1].get_content()
    assert "Orsak: Dess arbetare har stannat: inget livstecken sedan " in body
    assert "Jobbets sida" not in body and "/payroll/" not in body
    assert "användaren kan begära det igen" in body
    tasks.check_jobs()
    assert len(smtp.mails) == 1


def test_a_failed_scheduled_close_reaches_finance_too(smtp, settings):
    finance_user = factories.UserFactory(role="finance", email="ekonomi@stad.example.se")
    factories.UserFactory(role="finance", email="")  # no address: left out
    factories.UserFactory(role="case_handler", email="handlaggare@stad.example.se")
    _stuck_close(trigger="schedule")
    tasks.check_jobs()
    assert [to for to, _message in smtp.mails] == [sorted([*OPS, finance_user.email])]
    # FINANCE_ALERT_EMAILS, when set, replaces the users.
    settings.FINANCE_ALERT_EMAILS = ["ekonomichef@stad.example.se"]
    _stuck_close(trigger="schedule", period="2012-04")
    _stuck_close(trigger="web", period="2012-05")  # started by hand: operations only
    tasks.check_jobs()
    assert [to for to, _message in smtp.mails[1:]] == [sorted([*OPS, "ekonomichef@stad.example.se"]), sorted(OPS)]


def _local(*args):
    return timezone.make_aware(dt.datetime(*args))


def test_a_scheduled_close_that_did_not_run_is_alerted_once(smtp, settings):
    settings.MONTHLY_CLOSE_DAY, settings.SCHEDULED_CLOSE_GRACE_HOURS = 10, 2
    settings.FINANCE_ALERT_EMAILS = ["ekonomi@stad.example.se"]
    assert alerts.check_and_alert(now=_local(2012, 4, 10, 7, 59)) == []  # within the grace
    assert alerts.check_and_alert(now=_local(2012, 4, 10, 8, 1)) == ["close-missing:2012-03"]
    ((to, message),) = smtp.mails
    assert to == sorted([*OPS, "ekonomi@stad.example.se"])
    assert subject(message) == "[Lönservice] Det schemalagda bokslutet för 2012-03 har inte körts"
    assert "2012-03 är fortfarande öppen 2012-04-10 08:01. Körs Celery beat?" in message.get_content()
    assert alerts.check_and_alert(now=_local(2012, 4, 11, 8, 0)) == []  # once


def test_no_missed_close_alert_when_it_ran_or_the_month_is_closed(smtp):
    from core.models import ClosedPeriod

    job = CloseJob.objects.create(period="2012-03", trigger="schedule", state="failed")
    CloseJob.objects.filter(pk=job.pk).update(created_at=_local(2012, 4, 10, 6, 0))  # ran, and failed
    assert alerts.alert_missed_scheduled_close(now=_local(2012, 4, 10, 9, 0)) is None
    CloseJob.objects.all().delete()
    ClosedPeriod.objects.create(period="2012-03")
    assert alerts.alert_missed_scheduled_close(now=_local(2012, 4, 10, 9, 0)) is None
    assert smtp.mails == []


def test_failing_health_is_mailed_again_while_it_lasts_and_its_end_too(smtp, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    with pytest.raises(CommandError, match="failing: broker, worker, beat"):
        call_command("check_health", "--alert")
    assert smtp.subjects == ["[Lönservice] Hälsokontrollen fallerar: broker, worker, beat"]
    assert "broker: down" in smtp.mails[0][1].get_content()
    with pytest.raises(CommandError):
        call_command("check_health", "--alert")
    assert len(smtp.mails) == 1  # not again within ALERT_REPEAT_MINUTES
    AlertSent.objects.update(sent_at=timezone.now() - dt.timedelta(minutes=settings.ALERT_REPEAT_MINUTES + 1))
    with pytest.raises(CommandError):
        call_command("check_health", "--alert")
    assert len(smtp.mails) == 2
    settings.CELERY_BROKER_URL = ""  # eager mode: every part ok
    call_command("check_health", "--alert")
    assert smtp.subjects[-1] == "[Lönservice] Hälsan är tillbaka: alla delar fungerar"
    assert not AlertSent.objects.exists()


def test_an_alert_that_could_not_be_mailed_is_tried_again(smtp, settings):
    _stuck_close()
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, _free_port()  # the mail server unreachable
    tasks.check_jobs()
    assert smtp.mails == [] and not AlertSent.objects.exists()
    settings.EMAIL_PORT = port
    tasks.check_jobs()
    assert len(smtp.mails) == 1
