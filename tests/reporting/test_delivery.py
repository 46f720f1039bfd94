"""The monthly and tertial reports e-mailed as PDF to their subscribers after the close, through a real
SMTP server on localhost (aiosmtpd, started by the test): recorded, sent once, a failure retried."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts import roles
from invoicing.models import CloseJob
from invoicing.services import close
from reporting.models import ReportDelivery, ReportSubscription
from reporting.services import delivery
from reporting.tasks import deliver_due_reports
from tests import factories
from tests.lonservice.test_alerts import Inbox, _free_port, subject

pytestmark = pytest.mark.django_db


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
    settings.DEFAULT_FROM_EMAIL = "lonservice@stad.example.se"
    yield inbox
    controller.stop()


def _closed(*periods, unit):
    agency = factories.AgencyFactory(unit=unit)
    for period in periods:
        factories.add_cases(agency, period, self_service=3, manual=2)
    for period in periods:
        close.run_close_job(CloseJob.objects.create(period=period).pk)


def _pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).replace("\xa0", " ").split()
    )


@pytest.fixture
def subscribers(head_of_service, unit_manager):
    head_of_service.email, unit_manager.email = "verksamhetschef@stad.example.se", "enhetschef@stad.example.se"
    head_of_service.save()
    unit_manager.save()
    ReportSubscription.objects.create(user=head_of_service, kind="monthly")
    ReportSubscription.objects.create(user=head_of_service, kind="tertial")
    ReportSubscription.objects.create(user=unit_manager, kind="tertial")
    return head_of_service, unit_manager


def test_after_the_close_of_april_the_subscribers_get_the_month_and_the_tertial_as_pdf(
    smtp, subscribers, unit, price_list, django_capture_on_commit_callbacks
):
    head, manager = subscribers
    _closed("2012-03", "2012-04", unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_due_reports() == 3
    mails = sorted((to, subject(m), m) for to, m in smtp.mails)
    assert [(to, s) for to, s, _m in mails] == [
        (["enhetschef@stad.example.se"], "Tertialrapport 2012, tertial 1"),
        (["verksamhetschef@stad.example.se"], "Månadsrapport 2012-04"),
        (["verksamhetschef@stad.example.se"], "Tertialrapport 2012, tertial 1"),
    ]
    [attachment] = list(mails[1][2].iter_attachments())
    assert attachment.get_filename() == "monthly-2012-04.pdf"
    text = _pdf_text(attachment.get_content())
    assert "Månadsrapport 2012-04" in text and "Ekonomi" in text and "Sida 2 av" in text
    assert set(ReportDelivery.objects.values_list("status", flat=True)) == {"sent"}
    # Beat's next morning, or a retried task, sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        deliver_due_reports()
        delivery.deliver(ReportDelivery.objects.get(key=f"monthly:2012-04:{head.pk}").pk)
    assert len(smtp.mails) == 3 and ReportDelivery.objects.count() == 3


def test_after_a_month_that_ends_no_tertial_only_the_monthly_report_goes(
    smtp, subscribers, unit, price_list, django_capture_on_commit_callbacks
):
    _closed("2012-03", unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        made = delivery.deliver_due_reports()
    assert [(d.kind, d.scope) for d in made] == [("monthly", "2012-03")]
    assert [subject(m) for _to, m in smtp.mails] == ["Månadsrapport 2012-03"]


def test_a_failed_send_is_recorded_and_sent_when_retried_from_the_page(
    settings, smtp, subscribers, unit, price_list, client
):
    head, _manager = subscribers
    _closed("2012-03", unit=unit)
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    [row] = delivery.deliver_due_reports()
    with pytest.raises(OSError):
        delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == ReportDelivery.Status.FAILED and row.error and row.attempts == 1 and not smtp.mails
    settings.EMAIL_PORT = good_port
    client.force_login(head)
    page = client.get(reverse("reporting:delivery_list")).content.decode()
    assert "misslyckat" in page and "Skicka igen" in page
    response = client.post(reverse("reporting:delivery_resend", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == ReportDelivery.Status.SENT and row.attempts == 2 and len(smtp.mails) == 1


def test_a_subscriber_without_the_right_or_an_address_gets_nothing(smtp, unit, price_list, head_of_service):
    finance = factories.UserFactory(role=roles.FINANCE, email="ekonomi@stad.example.se")
    ReportSubscription.objects.create(user=finance, kind="monthly")  # finance may not read the board reports
    head_of_service.email = ""
    head_of_service.save()
    ReportSubscription.objects.create(user=head_of_service, kind="monthly")
    _closed("2012-03", unit=unit)
    assert delivery.deliver_due_reports() == [] and not ReportDelivery.objects.exists()


def test_the_toggle_subscribes_and_stops(client, unit_manager):
    client.force_login(unit_manager)
    url = reverse("reporting:subscription")
    assert client.post(url, {"kind": "monthly", "subscribe": "1"}).status_code == 302
    assert ReportSubscription.objects.filter(user=unit_manager, kind="monthly").exists()
    page = client.get(reverse("reporting:monthly_report"), {"period": "2012-03"}).content.decode()
    assert "Sluta skicka e-post" in page
    client.post(url, {"kind": "monthly", "subscribe": "0"})
    assert not ReportSubscription.objects.exists()
    assert client.post(url, {"kind": "weekly", "subscribe": "1"}).status_code == 302  # refused with a message
    assert not ReportSubscription.objects.exists()


def test_beat_delivers_the_reports_every_morning(settings):
    from celery.schedules import crontab

    from lonservice.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["reporting.tasks.deliver_due_reports"] == crontab(minute=30, hour=7)
    app.loader.import_default_modules()
    assert {"reporting.tasks.deliver_due_reports", "reporting.tasks.send_report"} <= set(app.tasks)
