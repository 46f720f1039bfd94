"""The portal's returned-documents page shows each of the contact's agencies' share right the first time."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.periods import current_period
from customers.models import Agency
from payroll.models import PayrollCase
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_contact_sees_their_agencys_share_right_the_first_time_and_no_other(client, agency_contact, unit):
    mine = Agency.objects.get(code="KONTAKT1")
    other = factories.AgencyFactory(unit=unit, code="ANNAN1")
    period = current_period()
    cases = [
        factories.ManualCaseFactory(agency=mine, period=period, status=PayrollCase.Status.COMPLETED) for _ in range(5)
    ]
    factories.CaseReturnFactory(case=cases[0])
    factories.ManualCaseFactory(agency=other, period=period, status=PayrollCase.Status.COMPLETED)
    client.force_login(agency_contact)
    with translation.override("en"):
        response = client.get(reverse("portal:return_list"), HTTP_ACCEPT_LANGUAGE="en")
    [row] = response.context["quality"]
    assert row.agency == mine
    assert (row.total.completed, row.total.right_first_time) == (5, 4)
    text = response.content.decode()
    assert "80,0 %" in text or "80.0 %" in text
    assert "ANNAN1" not in text
