"""The portal's information page (issue 24): contact routes, opening hours, the price list in force,
the interface document and the current version of every form; forms uploaded and versioned by the centre."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from customers.models import CentreFormVersion
from tests import factories

pytestmark = pytest.mark.django_db

PDF_V1 = b"%PDF-1.4\n% version 1\n%%EOF\n"
PDF_V2 = b"%PDF-1.4\n% version 2\n%%EOF\n"


def _upload(client, data, content, name="nyanstallning.pdf"):
    return client.post(reverse("customers:form_upload"), {**data, "file": SimpleUploadedFile(name, content)})


def test_a_unit_manager_uploads_versions_and_the_contact_gets_the_latest(client, unit_manager, agency_contact):
    client.force_login(unit_manager)
    assert _upload(client, {"name": "Nyanställning", "description": "Ny anställd"}, PDF_V1).status_code == 302
    first = CentreFormVersion.objects.get()
    assert _upload(client, {"form": first.form.pk, "note": "Nytt fält för kontering"}, PDF_V2).status_code == 302
    assert sorted(first.form.versions.values_list("number", flat=True)) == [1, 2]
    listing = client.get(reverse("customers:form_list")).content.decode()
    assert "version 2" in listing and "Nytt fält för kontering" in listing
    # The older version is kept and can still be read by the centre.
    old = client.get(reverse("customers:form_version_download", args=[first.pk]))
    assert b"".join(old.streaming_content) == PDF_V1
    client.force_login(agency_contact)
    page = client.get(reverse("portal:information")).content.decode()
    assert "Nyanställning" in page and reverse("portal:form_download", args=[first.form.pk]) in page
    latest = client.get(reverse("portal:form_download", args=[first.form.pk]))
    assert latest.status_code == 200 and b"".join(latest.streaming_content) == PDF_V2
    # The contact has no way to the centre's own version list.
    assert client.get(reverse("customers:form_version_download", args=[first.pk])).status_code == 403


def test_a_bad_form_upload_is_refused_and_nothing_is_kept(client, unit_manager, case_handler):
    client.force_login(unit_manager)
    assert _upload(client, {"name": "Avdrag"}, b"MZ\x90 not a pdf").status_code == 200
    assert _upload(client, {"name": ""}, PDF_V1).status_code == 200
    assert _upload(client, {"name": "Avdrag"}, b"#!/bin/sh", name="avdrag.sh").status_code == 200
    assert not CentreFormVersion.objects.exists()
    client.force_login(case_handler)
    assert _upload(client, {"name": "Avdrag"}, PDF_V1).status_code == 403


def test_the_page_shows_contact_routes_opening_hours_prices_and_the_interface_document(
    client, settings, agency_contact, unit
):
    settings.SERVICE_CENTRE_PHONE = "08-508 11 000"
    today = timezone.localdate()
    agency = agency_contact.agency_accesses.get().agency
    agreement = factories.ServiceAgreementFactory(
        agency=agency,
        year=today.year,
        valid_from=dt.date(today.year, 1, 1),
        valid_to=dt.date(today.year, 12, 31),
        opening_hours="vardagar 8–16, telefon 9–11 och 13–15",
        interface_document=SimpleUploadedFile("granssnitt.pdf", PDF_V1),
    )
    factories.price_list_2012(today.year)
    other = factories.ServiceAgreementFactory(
        agency=factories.AgencyFactory(unit=unit), interface_document=SimpleUploadedFile("x.pdf", PDF_V2)
    )
    client.force_login(agency_contact)
    page = client.get(reverse("portal:information")).content.decode()
    assert "08-508 11 000" in page and "vardagar 8–16, telefon 9–11 och 13–15" in page
    assert unit.name in page
    assert "Lön via Lisa Självservice" in page and "58,00" in page  # the 2012 price list's figure
    url = reverse("portal:interface_document", args=[agreement.pk])
    assert url in page
    assert b"".join(client.get(url).streaming_content) == PDF_V1
    assert client.get(reverse("portal:interface_document", args=[other.pk])).status_code == 404
