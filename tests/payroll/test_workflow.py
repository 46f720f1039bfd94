"""A case registered from a document: received → registered → completed, returns with a
cover letter, cancelling, and every change of status kept with who and when."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from payroll import services
from payroll.models import CaseReturn, PayrollCase, StatusChange
from people.models import Person
from tests import factories
from tests.payroll.helpers import pnr

pytestmark = pytest.mark.django_db
Status = PayrollCase.Status


@pytest.fixture
def agency(unit):
    agency = factories.AgencyFactory(
        code="SDF07", name="Stadsdelsförvaltning Norr", unit=unit, address="Box 7, 123 45 Stockholm"
    )
    factories.AgencyContactFactory(agency=agency, name="Karin Kontakt", email="karin@norr.example.se")
    factories.ServiceAgreementFactory(agency=agency, year=2012, lead_time_days=4)
    return agency


def register(user, agency, **overrides):
    values = {
        "user": user,
        "agency": agency,
        "period": "2012-03",
        "personnummer": pnr(1),
        "name": "Nora Nilsson",
        "document_type": "termination",
        "received_on": dt.date(2012, 3, 5),
        "channel": "manual",
    }
    return services.register_case(**{**values, **overrides})


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_registering_a_document_creates_the_person_and_a_received_case(case_handler, agency):
    case = register(case_handler, agency)
    assert case.status == Status.RECEIVED and case.source == PayrollCase.Source.MANUAL
    assert case.person.personnummer == pnr(1) and case.person.name == "Nora Nilsson"
    assert case.handler == case_handler and case.registered_by == case_handler
    assert case.lead_time_days == 4  # from the agency's service agreement
    assert case.billing_period == "2012-03"
    change = StatusChange.objects.get(case=case)
    assert (change.from_status, change.to_status, change.changed_by) == ("", Status.RECEIVED, case_handler)


def test_a_known_employee_is_found_by_personnummer_and_keeps_the_name_on_record(case_handler, agency):
    known = factories.PersonFactory(personnummer=pnr(1), name="Nora Nilsson")
    case = register(case_handler, agency, personnummer=pnr(1)[2:].replace("-", ""), name="Someone Else")
    assert case.person == known and Person.objects.count() == 1
    known.refresh_from_db()
    assert known.name == "Nora Nilsson"


def test_another_units_agency_is_refused(case_handler, other_unit):
    with pytest.raises(PermissionDenied):
        register(case_handler, factories.AgencyFactory(unit=other_unit))


def test_machine_channels_cannot_be_registered_by_hand(case_handler, agency):
    with pytest.raises(ValidationError):
        register(case_handler, agency, channel="self_service")


def test_a_payslip_id_is_unique_per_agency_and_period(case_handler, agency):
    register(case_handler, agency, payslip_id="X1")
    with pytest.raises(ValidationError) as error:
        register(case_handler, agency, payslip_id="X1", personnummer=pnr(2))
    assert "payslip_id" in error.value.message_dict
    assert PayrollCase.objects.count() == 1


def test_full_workflow_with_a_return_and_the_cover_letter(case_handler, agency, settings):
    case = register(case_handler, agency)
    case = services.mark_registered(case=case, user=case_handler)
    case_return = services.return_case(
        case=case,
        user=case_handler,
        missing=["signature", "employment_dates"],
        details="Slutdatum saknas på blanketten.",
        returned_on=dt.date(2012, 3, 6),
    )
    case.refresh_from_db()
    assert case.status == Status.RETURNED
    # The completed document is due by the next deadline: 8 March 2012, a Thursday.
    assert case_return.reply_by == dt.date(2012, 3, 8)

    text = pdf_text(services.cover_letter_pdf(case_return=case_return, user=case_handler))
    for expected in [
        "Stadsdelsförvaltning Norr",
        "Karin Kontakt",
        "Box 7, 123 45 Stockholm",
        "Signature of the authorising manager",
        "Start or end date of the employment",
        "Slutdatum saknas på blanketten.",
        "2012-03-08",
        "Nora Nilsson",
        pnr(1),
        case.reference,
        settings.SERVICE_CENTRE["name"],
    ]:
        assert expected in text, expected


def test_the_cover_letter_is_dated_the_day_of_the_return_and_a_reprint_is_the_same_document(
    case_handler, agency, settings
):
    """Issue 15 item 8: printed weeks later, after the agency moved and changed its contact, the
    letter still carries the return's date and the address it was sent to, byte for byte."""
    case = services.mark_registered(case=register(case_handler, agency), user=case_handler)
    case_return = services.return_case(
        case=case, user=case_handler, missing=["signature"], returned_on=dt.date(2012, 3, 6)
    )
    first = services.cover_letter_pdf(case_return=case_return, user=case_handler)
    assert "Date: 2012-03-06" in pdf_text(first)

    agency.address = "Nya gatan 1, 111 11 Stockholm"
    agency.save()
    agency.contacts.update(name="Olle Ny")
    again = services.cover_letter_pdf(case_return=CaseReturn.objects.get(pk=case_return.pk), user=case_handler)
    assert again == first
    text = pdf_text(again)
    assert "Box 7, 123 45 Stockholm" in text and "Karin Kontakt" in text
    assert "Nya gatan" not in text and "Olle Ny" not in text

    case = services.record_document_arrived(case=case, user=case_handler, arrived_on=dt.date(2012, 3, 7))
    assert case.status == Status.REGISTERED  # back where it was when it was returned
    case_return.refresh_from_db()
    assert case_return.document_arrived_on == dt.date(2012, 3, 7)
    case = services.complete_case(case=case, user=case_handler, completed_on=dt.date(2012, 3, 9))
    assert case.status == Status.COMPLETED and case.closed_on == dt.date(2012, 3, 9)
    history = list(StatusChange.objects.filter(case=case).values_list("from_status", "to_status", "changed_by"))
    assert history == [
        ("", Status.RECEIVED, case_handler.pk),
        (Status.RECEIVED, Status.REGISTERED, case_handler.pk),
        (Status.REGISTERED, Status.RETURNED, case_handler.pk),
        (Status.RETURNED, Status.REGISTERED, case_handler.pk),
        (Status.REGISTERED, Status.COMPLETED, case_handler.pk),
    ]


def test_a_returned_case_goes_back_to_received_when_it_was_returned_before_registering(case_handler, agency):
    case = register(case_handler, agency)
    services.return_case(case=case, user=case_handler, missing=["personnummer"], returned_on=dt.date(2012, 3, 5))
    case = services.record_document_arrived(case=case, user=case_handler, arrived_on=dt.date(2012, 3, 6))
    assert case.status == Status.RECEIVED


def test_a_return_needs_what_is_missing_and_other_needs_a_description(case_handler, agency):
    case = register(case_handler, agency)
    with pytest.raises(ValidationError):
        services.return_case(case=case, user=case_handler, missing=[], returned_on=dt.date(2012, 3, 6))
    with pytest.raises(ValidationError) as error:
        services.return_case(case=case, user=case_handler, missing=["other"], returned_on=dt.date(2012, 3, 6))
    assert "details" in error.value.message_dict
    assert not CaseReturn.objects.exists()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_only_registered_cases_can_be_completed(case_handler, agency):
    case = register(case_handler, agency)
    with pytest.raises(ValidationError):
        services.complete_case(case=case, user=case_handler)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_cancelling_needs_a_reason_which_is_kept(case_handler, agency):
    case = register(case_handler, agency)
    with pytest.raises(ValidationError):
        services.cancel_case(case=case, user=case_handler, reason="  ")
    case = services.cancel_case(case=case, user=case_handler, reason="Dubblett av ärende L-1")
    assert case.status == Status.CANCELLED and case.cancel_reason == "Dubblett av ärende L-1"
    assert StatusChange.objects.filter(case=case).last().note == "Dubblett av ärende L-1"
    with pytest.raises(ValidationError):
        services.mark_registered(case=case, user=case_handler)


def test_a_case_completed_after_its_period_was_closed_is_billed_in_the_next_open_period(case_handler, agency):
    from core.models import ClosedPeriod

    case = services.mark_registered(case=register(case_handler, agency), user=case_handler)
    ClosedPeriod.objects.create(period="2012-03")
    case = services.complete_case(case=case, user=case_handler, completed_on=dt.date(2012, 4, 11))
    assert case.billing_period == "2012-04"


def test_taking_over_a_case_makes_the_user_its_handler(case_handler, agency, unit):
    colleague = factories.UserFactory(role="case_handler", unit=unit)
    case = register(case_handler, agency)
    case = services.assign_case(case=case, user=colleague)
    assert case.handler == colleague and case.registered_by == case_handler
