"""The demo's certificates: requests new, overdue and issued, once."""

import pytest

from accounts import roles
from certificates.models import Certificate
from demo import certificates as demo
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_new_an_overdue_and_an_issued_certificate(case_handler, unit):
    agency = factories.AgencyFactory(unit=unit)
    for _n in range(3):
        factories.PayrollCaseFactory(agency=agency, period="2012-03")

    demo.load(users={roles.CASE_HANDLER: case_handler})
    demo.load(users={roles.CASE_HANDLER: case_handler})

    assert Certificate.objects.count() == 3
    issued = Certificate.objects.get(status="issued")
    assert issued.kind == "service" and issued.number.startswith("INT-") and issued.months_paid == 1
    assert Certificate.objects.filter(status="requested", due_on__lt=issued.issued_on).count() == 1
