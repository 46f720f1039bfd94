"""Certificates: a request registered, issued with a number from the pay the centre holds, its copy
kept, the PDF masked for a protected person."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from accounts import roles
from certificates import services
from certificates.models import Certificate
from certificates.selectors import employment
from people.models import ProtectedIdentityAccess
from tests import factories

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


def _paid(person, agency, periods):
    for period in periods:
        factories.PayrollCaseFactory(person=person, agency=agency, period=period)


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_employment_is_the_months_paid_in_unbroken_runs(unit):
    agency, other = factories.AgencyFactory(unit=unit), factories.AgencyFactory(unit=unit)
    person = factories.PersonFactory()
    _paid(person, agency, ["2024-11", "2024-12", "2025-01", "2025-04"])
    _paid(person, other, ["2025-02"])
    factories.PayrollCaseFactory(person=person, agency=agency, period="2025-05", status="received")  # not paid yet

    held = employment(person=person, agency=agency)
    assert (held.first, held.last, len(held.periods)) == ("2024-11", "2025-04", 4)
    assert held.ranges_text == "2024-11 – 2025-01, 2025-04"


def test_a_request_is_due_in_five_working_days_and_finds_or_adds_the_person(case_handler, unit):
    agency = factories.AgencyFactory(unit=unit)
    certificate = services.request_certificate(
        user=case_handler,
        kind="employment",
        agency=agency,
        personnummer="194703121238",
        name="Gösta Berg",
        requested_by="agency",
        requester="HR, Gösta",
        purpose="Bostadslån",
        received_on=dt.date(2025, 3, 14),  # a Friday
    )
    assert certificate.due_on == dt.date(2025, 3, 21)
    assert certificate.person.personnummer == "19470312-1238"


def test_issuing_numbers_the_certificate_without_gaps_and_keeps_its_copy(case_handler, unit):
    agency = factories.AgencyFactory(unit=unit, name="Stadsdelsförvaltning Norr")
    first, second = CertificateFactory(agency=agency), CertificateFactory(agency=agency, kind="service")
    for certificate in (first, second):
        _paid(certificate.person, agency, ["2025-01", "2025-02"])

    first = services.issue_certificate(certificate=first, user=case_handler, title="Undersköterska", extent="100 %")
    second = services.issue_certificate(certificate=second, user=case_handler)
    year = first.issued_on.year
    assert (first.number, second.number) == (f"INT-{year}-00001", f"INT-{year}-00002")
    assert (first.first_period, first.last_period, first.months_paid) == ("2025-01", "2025-02", 2)
    assert first.agency_name == "Stadsdelsförvaltning Norr"

    first.person.name = "Nytt Namn"
    first.person.save()
    text = _text(services.certificate_pdf(certificate=first, user=case_handler))
    assert first.person_name in text and "Nytt Namn" not in text  # the kept copy
    assert "Undersköterska" in text and first.number in text
    with pytest.raises(ValidationError):
        services.issue_certificate(certificate=first, user=case_handler)


def test_no_pay_at_the_agency_no_certificate(case_handler, unit):
    certificate = CertificateFactory(agency=factories.AgencyFactory(unit=unit))
    with translation.override("en"), pytest.raises(ValidationError, match="no employment"):
        services.issue_certificate(certificate=certificate, user=case_handler)
    certificate.refresh_from_db()
    assert certificate.is_open and certificate.number == ""


def test_the_pdf_of_a_protected_person_is_masked_unless_allowed_and_then_logged(client, case_handler, unit):
    person = factories.PersonFactory(name="Hemlig Hemligsson", protected_identity=True)
    agency = factories.AgencyFactory(unit=unit)
    certificate = CertificateFactory(agency=agency, person=person)
    _paid(person, agency, ["2025-01"])
    services.issue_certificate(certificate=certificate, user=case_handler)
    client.force_login(case_handler)

    for url in (reverse("certificates:list") + "?status=issued", reverse("certificates:detail", args=[certificate.pk])):
        page = client.get(url).content.decode()
        assert "Hemlig" not in page and person.personnummer not in page
    pdf = client.get(reverse("certificates:pdf", args=[certificate.pk])).content
    assert "Hemlig" not in _text(pdf) and "******-****" in _text(pdf)
    assert not ProtectedIdentityAccess.objects.exists()

    allowed = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit)
    allowed.groups.add(Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP))
    client.force_login(allowed)
    assert "Hemlig Hemligsson" in _text(client.get(reverse("certificates:pdf", args=[certificate.pk])).content)
    assert ProtectedIdentityAccess.objects.filter(user=allowed, context__startswith="certificate ").exists()


def test_the_pages_register_issue_and_cancel(client, case_handler, unit):
    agency = factories.AgencyFactory(unit=unit)
    person = factories.PersonFactory(name="Anna Lind")
    _paid(person, agency, ["2025-01", "2025-02"])
    client.force_login(case_handler)

    response = client.post(
        reverse("certificates:request"),
        {
            "kind": "service",
            "agency": agency.pk,
            "personnummer": person.personnummer,
            "requested_by": "employee",
            "received_on": "2025-03-03",
        },
    )
    certificate = Certificate.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "Anna Lind" in page and "2025-01 – 2025-02" in page

    client.post(reverse("certificates:issue", args=[certificate.pk]), {"title": "Lärare"})
    certificate.refresh_from_db()
    assert certificate.status == "issued" and certificate.title == "Lärare"
    assert client.get(reverse("certificates:pdf", args=[certificate.pk]))["Content-Type"] == "application/pdf"

    other = CertificateFactory(agency=agency)
    client.post(reverse("certificates:cancel", args=[other.pk]), {"reason": ""})
    assert Certificate.objects.get(pk=other.pk).is_open  # a reason is needed
    client.post(reverse("certificates:cancel", args=[other.pk]), {"reason": "Dubblett"})
    assert Certificate.objects.get(pk=other.pk).status == "cancelled"
