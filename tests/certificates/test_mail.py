"""The mail log: incoming post logged with its sender, agency, what it is and the case it went to."""

import pytest
from django.urls import reverse

from certificates.models import MailItem
from tests import factories

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_mail_is_logged_with_the_case_it_went_to_and_listed_for_the_unit(client, case_handler, unit, other_unit):
    agency = factories.AgencyFactory(unit=unit)
    case = factories.ManualCaseFactory(agency=agency)
    certificate = CertificateFactory(agency=agency)
    client.force_login(case_handler)
    data = {"received_on": "2025-03-03", "sender": "HR Norr", "agency": agency.pk, "unit": unit.pk}

    client.post(
        reverse("certificates:mail_create"), {**data, "kind": "payroll_document", "case_reference": f"l-{case.pk}"}
    )
    client.post(
        reverse("certificates:mail_create"),
        {**data, "kind": "certificate_request", "case_reference": f"I-{certificate.pk}"},
    )
    refused = client.post(reverse("certificates:mail_create"), {**data, "kind": "other", "case_reference": "L-999999"})

    assert refused.status_code == 200 and MailItem.objects.count() == 2
    assert MailItem.objects.get(kind="payroll_document").payroll_case == case
    assert MailItem.objects.get(kind="certificate_request").certificate == certificate
    other = factories.UserFactory(role="case_handler", unit=other_unit)
    MailItem.objects.create(
        received_on="2025-03-03", sender="Annan enhet", unit=other_unit, kind="other", registered_by=other
    )
    page = client.get(reverse("certificates:mail_log")).content.decode()
    assert "HR Norr" in page and "Annan enhet" not in page
