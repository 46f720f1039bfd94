"""E-mails to agencies through a real SMTP server on localhost (aiosmtpd, started by the test):
a returned document and an issued invoice, each recorded, sent once, never with a person in it."""

import datetime as dt

import pytest
from django.urls import reverse

from customers import notices
from customers.models import AgencyNotice
from payroll import services as payroll
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
    settings.PUBLIC_BASE_URL = "https://lonservice.stad.example.se"
    yield inbox
    controller.stop()


@pytest.fixture
def agency(unit):
    agency = factories.AgencyFactory(unit=unit, code="RK", functional_mailbox="hr.rinkeby@stad.example.se")
    factories.AgencyContactAccessFactory(agency=agency, user__email="anna.lindqvist@stad.example.se")
    return agency


def _return(agency, case_handler):
    person = factories.PersonFactory(name="Sara Skyddad", protected_identity=True)
    case = factories.ManualCaseFactory(agency=agency, person=person)
    return payroll.return_case(
        case=case,
        user=case_handler,
        missing=["signature"],
        details=f"{person.name} {person.personnummer}",
        returned_on=dt.date(2012, 3, 6),
        reply_by=dt.date(2012, 3, 20),
    )


def test_a_returned_document_is_mailed_to_the_agency_once(
    smtp, agency, case_handler, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_return = _return(agency, case_handler)
    assert len(smtp.mails) == 1
    to, message = smtp.mails[0]
    assert to == ["anna.lindqvist@stad.example.se", "hr.rinkeby@stad.example.se"]
    reference = case_return.case.reference
    assert reference in subject(message) and "2012-03-20" in subject(message)
    body = message.get_body().get_content()
    assert "https://lonservice.stad.example.se/portal/returns/" in body
    person = case_return.case.person
    assert person.name not in body and person.personnummer not in body and person.personnummer[-4:] not in body
    notice = AgencyNotice.objects.get(key=f"case_return:{case_return.pk}")
    assert notice.status == AgencyNotice.Status.SENT and notice.sent_at and notice.attempts == 1
    # A retried task or a second trigger for the same return sends nothing more.
    notices.deliver(notice.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.case_returned(case_return) == notice
    assert len(smtp.mails) == 1


def test_an_issued_invoice_is_mailed_with_its_number_and_total(smtp, agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = factories.issued_invoice(agency=agency)
    [(to, message)] = smtp.mails
    assert "hr.rinkeby@stad.example.se" in to
    assert invoice.number in subject(message) and "2012-03" in subject(message)
    body = message.get_body().get_content()
    assert str(invoice.total) in body
    assert f"/portal/invoices/{invoice.pk}/" in body


def test_a_failed_send_is_recorded_and_sent_when_retried(settings, agency, case_handler, smtp):
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    case_return = _return(agency, case_handler)
    notice = AgencyNotice.objects.get(key=f"case_return:{case_return.pk}")
    with pytest.raises(OSError):
        notices.deliver(notice.pk)
    notice.refresh_from_db()
    assert notice.status == AgencyNotice.Status.FAILED and notice.error and not smtp.mails
    settings.EMAIL_PORT = good_port
    notices.resend(notice)
    notice.refresh_from_db()
    assert notice.status == AgencyNotice.Status.SENT and notice.attempts == 2
    assert len(smtp.mails) == 1


def test_the_handler_is_told_when_the_agency_answers_by_upload(
    smtp, agency, case_handler, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case_return = _return(agency, case_handler)
    case = case_return.case
    case.handler = case_handler
    case.save(update_fields=["handler"])
    contact = agency.contact_accesses.get().user
    upload = SimpleUploadedFile("svar.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        payroll.answer_return(case_return=case_return, user=contact, upload=upload)
    [(to, message)] = [(to, m) for to, m in smtp.mails if case_handler.email in to]
    assert to == [case_handler.email]
    assert case.reference in subject(message) and "RK" in subject(message)
    assert f"/payroll/cases/{case.pk}/" in message.get_body().get_content()


def test_the_agency_page_shows_every_mail_and_a_failed_one_can_be_sent_again(
    client, settings, smtp, agency, case_handler, unit_manager
):
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nobody listens there: the send fails
    case_return = _return(agency, case_handler)
    notice = AgencyNotice.objects.get(key=f"case_return:{case_return.pk}")
    with pytest.raises(OSError):
        notices.deliver(notice.pk)
    client.force_login(unit_manager)
    page = client.get(reverse("customers:agency_detail", args=[agency.pk])).content.decode()
    assert "Returnerat underlag" in page or "Returned document" in page
    assert case_handler.get_full_name() in page  # by whom
    assert "hr.rinkeby@stad.example.se" in page and "Skicka igen" in page
    settings.EMAIL_PORT = good_port
    response = client.post(reverse("customers:notice_resend", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == AgencyNotice.Status.SENT and notice.attempts == 2 and notice.created_by == case_handler
    assert len(smtp.mails) == 1
    # A notice already sent is not sent again from the page.
    client.post(reverse("customers:notice_resend", args=[notice.pk]))
    assert len(smtp.mails) == 1


def test_a_case_handler_sees_the_record_but_cannot_send_again(client, agency, case_handler):
    case_return = _return(agency, case_handler)
    notice = AgencyNotice.objects.get(key=f"case_return:{case_return.pk}")
    notice.mark_not_queued("refused")
    client.force_login(case_handler)
    page = client.get(reverse("customers:agency_detail", args=[agency.pk])).content.decode()
    assert case_return.case.reference in page
    assert client.post(reverse("customers:notice_resend", args=[notice.pk])).status_code == 403
