"""Service agreements with their interface document, add-on agreements and registering hours."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ClosedPeriod
from customers.models import AddonAgreement, AddonHours, ServiceAgreement
from tests.factories import AddonAgreementFactory, AddonHoursFactory, AgencyFactory, ServiceAgreementFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% interface document\n%%EOF\n"


def _agreement_data(**extra):
    return {
        "year": 2012,
        "valid_from": "2012-01-01",
        "valid_to": "2012-12-31",
        "signed_on": "2011-12-01",
        "lead_time_days": 5,
        "notes": "",
        **extra,
    }


def test_unit_manager_uploads_the_interface_document_and_a_handler_downloads_it(
    client, unit_manager, case_handler, unit
):
    agency = AgencyFactory(unit=unit)
    client.force_login(unit_manager)
    response = client.post(
        reverse("customers:agreement_create", args=[agency.pk]),
        _agreement_data(interface_document=SimpleUploadedFile("Gränssnitt 2012.pdf", PDF, "application/pdf")),
    )
    assert response.status_code == 302
    agreement = ServiceAgreement.objects.get(agency=agency, year=2012)
    client.force_login(case_handler)
    download = client.get(reverse("customers:agreement_document", args=[agreement.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"] and "2012.pdf" in download["Content-Disposition"]


def test_documents_are_not_served_from_media():
    from lonservice import urls

    assert not any("media" in str(p.pattern) for p in urls.urlpatterns)


def test_another_units_document_is_not_found(client, unit_manager, other_unit):
    agreement = ServiceAgreementFactory(
        agency=AgencyFactory(unit=other_unit), interface_document=SimpleUploadedFile("g.pdf", PDF)
    )
    client.force_login(unit_manager)
    assert client.get(reverse("customers:agreement_document", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("customers:agreement_edit", args=[agreement.pk])).status_code == 404


def test_a_file_that_is_not_what_it_claims_is_refused(client, unit_manager, unit):
    agency = AgencyFactory(unit=unit)
    client.force_login(unit_manager)
    response = client.post(
        reverse("customers:agreement_create", args=[agency.pk]),
        _agreement_data(interface_document=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")),
    )
    assert response.status_code == 200
    assert "inte ett pdf-dokument" in response.content.decode()
    assert not ServiceAgreement.objects.exists()


def test_executables_are_refused_by_extension(client, unit_manager, unit):
    agency = AgencyFactory(unit=unit)
    client.force_login(unit_manager)
    response = client.post(
        reverse("customers:agreement_create", args=[agency.pk]),
        _agreement_data(interface_document=SimpleUploadedFile("tool.exe", b"MZ")),
    )
    assert response.context["form"].errors["interface_document"]


def test_a_second_agreement_for_the_same_year_is_refused_on_the_form(client, unit_manager, unit):
    agreement = ServiceAgreementFactory(agency=AgencyFactory(unit=unit), year=2012)
    client.force_login(unit_manager)
    response = client.post(reverse("customers:agreement_create", args=[agreement.agency.pk]), _agreement_data())
    assert response.status_code == 200
    assert "redan ett serviceavtal för 2012" in response.content.decode()
    assert ServiceAgreement.objects.count() == 1


def test_an_agreement_must_start_in_its_year_and_not_end_before_it_starts(client, unit_manager, unit):
    agency = AgencyFactory(unit=unit)
    client.force_login(unit_manager)
    response = client.post(
        reverse("customers:agreement_create", args=[agency.pk]),
        _agreement_data(valid_from="2011-06-01", valid_to="2011-01-01"),
    )
    errors = response.context["form"].errors
    assert "valid_from" in errors and "valid_to" in errors


def test_replacing_the_document_keeps_the_agreement_and_serves_the_new_file(client, unit_manager, unit):
    agency = AgencyFactory(unit=unit)
    agreement = ServiceAgreementFactory(agency=agency, interface_document=SimpleUploadedFile("old.pdf", PDF))
    client.force_login(unit_manager)
    new = b"%PDF-1.7\n% new version\n%%EOF\n"
    response = client.post(
        reverse("customers:agreement_edit", args=[agreement.pk]),
        _agreement_data(interface_document=SimpleUploadedFile("new.pdf", new)),
    )
    assert response.status_code == 302
    download = client.get(reverse("customers:agreement_document", args=[agreement.pk]))
    assert b"".join(download.streaming_content) == new


def test_registering_add_on_hours(client, unit_manager, unit):
    addon = AddonAgreementFactory(agency=AgencyFactory(unit=unit), valid_from=dt.date(2012, 1, 1))
    client.force_login(unit_manager)
    response = client.post(reverse("customers:addon_detail", args=[addon.pk]), {"period": "2012-03", "hours": "2,5"})
    assert response.status_code == 302
    entry = AddonHours.objects.get()
    assert (entry.period, entry.billing_period, entry.hours, entry.registered_by) == (
        "2012-03",
        "2012-03",
        Decimal("2.50"),
        unit_manager,
    )


def test_hours_for_a_closed_period_go_to_the_next_open_one_and_the_user_is_told(client, unit_manager, unit):
    addon = AddonAgreementFactory(agency=AgencyFactory(unit=unit))
    ClosedPeriod.objects.create(period="2012-03")
    client.force_login(unit_manager)
    response = client.post(
        reverse("customers:addon_detail", args=[addon.pk]), {"period": "2012-03", "hours": "1"}, follow=True
    )
    assert AddonHours.objects.get().billing_period == "2012-04"
    assert "faktureras i 2012-04" in response.content.decode()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"period": "2012-13", "hours": "1"}, "period"),
        ({"period": "2012-03", "hours": "0"}, "hours"),
        ({"period": "2011-12", "hours": "1"}, "period"),
        ({"period": "2999-01", "hours": "1"}, "period"),
    ],
)
def test_bad_hours_are_refused_and_nothing_is_saved(client, unit_manager, unit, data, field):
    addon = AddonAgreementFactory(agency=AgencyFactory(unit=unit), valid_from=dt.date(2012, 1, 1))
    client.force_login(unit_manager)
    response = client.post(reverse("customers:addon_detail", args=[addon.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not AddonHours.objects.exists()


def test_case_handlers_read_add_on_agreements_but_cannot_register_hours(client, case_handler, unit):
    addon = AddonAgreementFactory(agency=AgencyFactory(unit=unit))
    client.force_login(case_handler)
    assert client.get(reverse("customers:addon_detail", args=[addon.pk])).status_code == 200
    response = client.post(reverse("customers:addon_detail", args=[addon.pk]), {"period": "2012-03", "hours": "1"})
    assert response.status_code == 403
    assert not AddonHours.objects.exists()


def test_invoiced_hours_cannot_be_removed(client, unit_manager, unit):
    addon = AddonAgreementFactory(agency=AgencyFactory(unit=unit))
    invoiced = AddonHoursFactory(agreement=addon, period="2012-02")
    ClosedPeriod.objects.create(period="2012-02")
    client.force_login(unit_manager)
    client.post(reverse("customers:addon_hours_delete", args=[invoiced.pk]))
    assert AddonHours.objects.filter(pk=invoiced.pk).exists()


def test_creating_an_add_on_agreement(client, unit_manager, unit):
    agency = AgencyFactory(unit=unit)
    client.force_login(unit_manager)
    response = client.post(
        reverse("customers:addon_create", args=[agency.pk]),
        {"description": "Omkontering av uppgifter i LISA", "item_code": "addon_hour", "valid_from": "2012-01-01"},
    )
    addon = AddonAgreement.objects.get()
    assert response["Location"] == reverse("customers:addon_detail", args=[addon.pk])
    bad = client.post(
        reverse("customers:addon_create", args=[agency.pk]),
        {"description": "X", "item_code": "Addon Hour", "valid_from": "2012-05-01", "valid_to": "2012-01-01"},
    )
    assert set(bad.context["form"].errors) == {"item_code", "valid_to"}
