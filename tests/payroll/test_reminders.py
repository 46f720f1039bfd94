"""The reminder before the 8th: three Swedish working days before the month's document deadline, each
agency with returned documents outstanding gets one e-mail (through a real SMTP server), once a month."""

import datetime as dt

import pytest

from customers.models import AgencyNotice
from payroll import services as payroll
from payroll.services.reminders import reminder_day, send_return_reminders
from payroll.tasks import send_return_reminders as task
from tests import factories
from tests.customers.test_notices import agency, smtp  # noqa: F401 (fixtures)
from tests.lonservice.test_alerts import subject

pytestmark = pytest.mark.django_db


def test_the_reminder_day_is_three_working_days_before_the_deadline():
    assert reminder_day(2012, 3) == dt.date(2012, 3, 5)  # Thursday 8 March 2012: Monday the 5th
    # December 2012: the 8th is a Saturday, the deadline Monday the 10th; three working days before it
    # is Wednesday the 5th.
    assert reminder_day(2012, 12) == dt.date(2012, 12, 5)
    # June 2012: the 6th is the national day, so the reminder goes on Monday the 4th.
    assert reminder_day(2012, 6) == dt.date(2012, 6, 4)


def _returned(to_agency, handler, *, protected=False, answered=False):
    person = factories.PersonFactory(name="Sara Skyddad" if protected else "Olle Öppen", protected_identity=protected)
    case = factories.ManualCaseFactory(agency=to_agency, person=person, received_on=dt.date(2012, 3, 1))
    case_return = payroll.return_case(
        case=case,
        user=handler,
        missing=["signature"],
        details=f"{person.name} {person.personnummer}",
        returned_on=dt.date(2012, 3, 1),
        reply_by=dt.date(2012, 3, 7),
    )
    if answered:
        payroll.record_document_arrived(case=case, user=handler)
    return case_return


def test_an_agency_with_returns_outstanding_is_reminded_once_and_no_person_is_named(
    smtp,  # noqa: F811
    agency,  # noqa: F811
    case_handler,
    django_capture_on_commit_callbacks,
):
    waiting = _returned(agency, case_handler, protected=True)
    answered = _returned(agency, case_handler, answered=True)
    quiet = factories.AgencyFactory(functional_mailbox="hr.quiet@stad.example.se")
    _returned(quiet, case_handler, answered=True)
    smtp.mails.clear()  # the returns' own notices
    assert send_return_reminders(today=dt.date(2012, 3, 2)) == []  # too early
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = send_return_reminders(today=dt.date(2012, 3, 5))
    assert notice.kind == AgencyNotice.Kind.REMINDER and notice.key == f"reminder:{agency.pk}:2012-03"
    assert notice.created_by is None
    [(to, message)] = smtp.mails
    assert to == ["anna.lindqvist@stad.example.se", "hr.rinkeby@stad.example.se"]
    assert "2012-03-08" in subject(message) and "1" in subject(message)
    body = message.get_body().get_content()
    assert waiting.case.reference in body and answered.case.reference not in body
    assert "2012-03-07" in body and "/portal/returns/" in body
    person = waiting.case.person
    # The case number is there by design; its digits may happen to match the person's last four.
    rest = body.replace(waiting.case.reference, "")
    for secret in (person.name, "Sara", "Skyddad", person.personnummer, person.personnummer[-4:]):
        assert secret not in rest and secret not in subject(message)
    # The next morning's run (or a retried task) sends nothing more; after the deadline nothing at all.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_return_reminders(today=dt.date(2012, 3, 6)) == [notice]
        assert send_return_reminders(today=dt.date(2012, 3, 8)) == []
    assert len(smtp.mails) == 1 and AgencyNotice.objects.filter(kind="reminder").count() == 1


def test_the_beat_task_calls_the_service(agency, case_handler, monkeypatch):  # noqa: F811
    from django.utils import timezone

    _returned(agency, case_handler)
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2012, 3, 6))
    assert task.apply().get() == 1
    assert task.apply().get() == 1  # the same notice found again, not a second one
    assert AgencyNotice.objects.filter(kind="reminder").count() == 1
