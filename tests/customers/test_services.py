"""Business rules of customers: agencies, contacts, agreements, add-on hours, complaints."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError

from core.models import ClosedPeriod
from customers import services
from customers.models import AddonHours, Agency, AgencyContact, Complaint, ServiceAgreement
from tests.factories import (
    AddonAgreementFactory,
    AddonHoursFactory,
    AgencyContactFactory,
    AgencyFactory,
    ComplaintFactory,
    PayrollCaseFactory,
    ServiceAgreementFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_agency_codes_are_stored_in_upper_case_and_unique():
    unit = UnitFactory()
    agency = services.save_agency(code=" rk ", name="Rinkeby-Kista", kind=Agency.Kind.DISTRICT, unit=unit)
    assert agency.code == "RK"
    with pytest.raises(ValidationError):
        services.save_agency(code="rk", name="Annan", kind=Agency.Kind.DISTRICT, unit=unit)
    assert Agency.objects.count() == 1


def test_an_agency_with_cases_cannot_be_deleted_but_can_be_deactivated():
    case = PayrollCaseFactory()
    agency = case.agency
    with pytest.raises(ProtectedError):
        agency.delete()
    services.deactivate_agency(agency=agency, last_day=dt.date(2012, 12, 31))
    agency.refresh_from_db()
    assert agency.active_to == dt.date(2012, 12, 31)
    assert agency.is_active_on(dt.date(2012, 12, 31)) and not agency.is_active_on(dt.date(2013, 1, 1))
    services.reactivate_agency(agency=agency)
    assert Agency.objects.get(pk=agency.pk).active_to is None


def test_an_agency_cannot_end_before_it_started():
    agency = AgencyFactory(active_from=dt.date(2010, 1, 1))
    with pytest.raises(ValidationError):
        services.deactivate_agency(agency=agency, last_day=dt.date(2009, 12, 31))
    assert Agency.objects.get(pk=agency.pk).active_to is None


def test_a_new_primary_contact_replaces_the_old_one():
    agency = AgencyFactory()
    first = AgencyContactFactory(agency=agency, is_primary=True)
    second = services.save_contact(agency=agency, name="Nils Ny", email="nils@example.se", is_primary=True)
    first.refresh_from_db()
    assert second.is_primary and not first.is_primary
    assert AgencyContact.objects.filter(agency=agency, is_primary=True).count() == 1


def test_one_service_agreement_per_agency_and_year():
    agreement = ServiceAgreementFactory(year=2012)
    with pytest.raises(ValidationError, match="2012"):
        services.save_service_agreement(
            agency=agreement.agency, year=2012, valid_from=dt.date(2012, 1, 1), valid_to=dt.date(2012, 12, 31)
        )
    assert ServiceAgreement.objects.count() == 1


def test_the_interface_document_is_stored_under_an_unguessable_name_and_replaced(settings):
    agency = AgencyFactory()
    agreement = services.save_service_agreement(
        agency=agency,
        year=2012,
        valid_from=dt.date(2012, 1, 1),
        valid_to=dt.date(2012, 12, 31),
        interface_document=SimpleUploadedFile("Gränssnitt RK.pdf", PDF),
    )
    assert agreement.download_name == "Gränssnitt RK.pdf"
    assert agreement.interface_document.name.startswith("agreements/") and "RK" not in agreement.interface_document.name
    assert agreement.interface_document.read() == PDF


def test_add_on_hours_are_billed_in_their_own_period_while_it_is_open():
    agreement = AddonAgreementFactory()
    entry = services.register_addon_hours(agreement=agreement, period="2012-03", hours=Decimal("3.5"))
    assert (entry.period, entry.billing_period) == ("2012-03", "2012-03")


def test_add_on_hours_registered_after_the_close_are_billed_in_the_next_open_period():
    agreement = AddonAgreementFactory()
    ClosedPeriod.objects.create(period="2012-03")
    ClosedPeriod.objects.create(period="2012-04")
    entry = services.register_addon_hours(agreement=agreement, period="2012-03", hours=Decimal("2"))
    assert entry.billing_period == "2012-05"
    assert not services.hours_can_be_removed(AddonHoursFactory(agreement=agreement, period="2012-04"))
    with pytest.raises(ValidationError):
        services.remove_addon_hours(entry=AddonHours.objects.get(period="2012-04"))
    services.remove_addon_hours(entry=entry)  # billed in open 2012-05: may still be taken back
    assert AddonHours.objects.count() == 1


def test_add_on_hours_outside_the_agreement_are_refused():
    agreement = AddonAgreementFactory(valid_from=dt.date(2012, 3, 1), valid_to=dt.date(2012, 6, 30))
    for period in ("2012-02", "2012-07"):
        with pytest.raises(ValidationError):
            services.register_addon_hours(agreement=agreement, period=period, hours=Decimal("1"))
    with pytest.raises(ValidationError):
        services.register_addon_hours(agreement=agreement, period="2012-04", hours=Decimal("0"))
    assert AddonHours.objects.count() == 0


def test_log_entries_cannot_be_dated_in_the_future():
    agency = AgencyFactory()
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.add_log_entry(
            agency=agency, date=dt.date.today() + dt.timedelta(days=2), kind="meeting", summary="x", author=user
        )


def test_a_complaint_with_a_handler_starts_in_progress():
    user = UserFactory()
    complaint = services.register_complaint(
        agency=AgencyFactory(),
        category=Complaint.Category.LATE,
        received_on=dt.date(2012, 3, 1),
        description="Sen hantering",
        handler=user,
        user=user,
    )
    assert complaint.status == Complaint.Status.IN_PROGRESS and complaint.registered_by == user


def test_resolving_a_complaint_needs_a_resolution_and_a_date_not_before_it_came():
    complaint = ComplaintFactory(received_on=dt.date(2012, 3, 5))
    with pytest.raises(ValidationError) as exc:
        services.handle_complaint(complaint=complaint, status=Complaint.Status.RESOLVED, resolution=" ")
    assert "resolution" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.handle_complaint(
            complaint=complaint, status="resolved", resolution="Rättat", resolved_on=dt.date(2012, 3, 1)
        )
    assert "resolved_on" in exc.value.message_dict
    services.handle_complaint(
        complaint=complaint, status="resolved", resolution="Rättat", resolved_on=dt.date(2012, 3, 9)
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolved_on) == ("resolved", dt.date(2012, 3, 9))


def test_reopening_a_complaint_clears_its_resolution_date():
    complaint = ComplaintFactory(status="resolved", resolution="Klart", resolved_on=dt.date(2012, 3, 9))
    services.handle_complaint(complaint=complaint, status="in_progress", resolution="Klart")
    complaint.refresh_from_db()
    assert complaint.status == "in_progress" and complaint.resolved_on is None
