"""The demo's workplaces: the register, employees linked, a report sent and a change waiting, once."""

import pytest

from accounts import roles
from demo import workplaces as demo
from tests import factories
from workplaces.models import Workplace, WorkplaceAssignment, WorkplaceReport

pytestmark = pytest.mark.django_db


def test_the_demo_has_workplaces_a_report_and_a_change_waiting(unit_manager, case_handler, head_of_service, unit):
    for code in ("A1", "A2"):
        agency = factories.AgencyFactory(unit=unit, code=code)
        for _ in range(3):
            factories.PayrollCaseFactory(agency=agency)
    users = {roles.UNIT_MANAGER: unit_manager, roles.CASE_HANDLER: case_handler, roles.HEAD_OF_SERVICE: head_of_service}

    demo.load(users=users)
    demo.load(users=users)

    assert Workplace.objects.count() == 4
    assert WorkplaceReport.objects.count() == 1
    assert WorkplaceAssignment.objects.filter(report__isnull=False).count() == 6
    assert WorkplaceAssignment.objects.filter(report__isnull=True).count() == 1
