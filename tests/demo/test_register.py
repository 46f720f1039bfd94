"""The demo's person register file: read through the real import, its signals in both units, once."""

import pytest

from accounts import roles
from demo import register as demo
from payroll.models import Channel, PayrollCase
from pensions.models import PensionCase
from register.models import FlaggedWork, PersonSignal, RegisterFile
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_file_signals_each_kind_and_loads_once(unit, other_unit, head_of_service):
    agency = factories.AgencyFactory(unit=unit)
    for key in demo.PAYROLL_CHANGES:
        channel = Channel.GIROVISION if key == "DEMO-08" else Channel.MANUAL
        factories.PayrollCaseFactory(agency=agency, payslip_id=key, status=PayrollCase.Status.RECEIVED, channel=channel)
    protected = factories.PersonFactory(protected_identity=True)
    factories.PayrollCaseFactory(agency=agency, payslip_id="DEMO-11", person=protected)
    factories.PensionCaseFactory(agency=factories.AgencyFactory(unit=other_unit), unit=other_unit)

    demo.load(users={roles.HEAD_OF_SERVICE: head_of_service})

    register_file = RegisterFile.objects.get()
    assert (register_file.rows, register_file.unknown_rows, register_file.people_changed) == (9, 2, 6)
    kinds = set(PersonSignal.objects.values_list("kind", flat=True))
    assert kinds == {"name", "address", "protection_added", "death"}
    assert PersonSignal.objects.filter(unit=other_unit, kind="address").count() == 1
    assert FlaggedWork.objects.get().reason == FlaggedWork.Reason.UNPAID
    assert not PersonSignal.objects.filter(person=protected).exists()
    assert PensionCase.objects.count() == 1

    counts = (RegisterFile.objects.count(), PersonSignal.objects.count())
    demo.load(users={roles.HEAD_OF_SERVICE: head_of_service})
    assert (RegisterFile.objects.count(), PersonSignal.objects.count()) == counts
