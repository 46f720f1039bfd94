"""The demo data: a year of volumes (here at a hundredth of the scale) and manual cases in every status."""

import pytest
from django.db.models import Count

from accounts import roles
from demo import payroll as demo
from payroll.models import (
    MACHINE_CHANNELS,
    CaseDocument,
    CaseNote,
    CaseReturn,
    ControlSample,
    PayrollCase,
    PayslipImport,
)
from people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_year_has_the_seeds_shape_and_loads_once(monkeypatch, case_handler, unit_manager, unit, other_unit):
    monkeypatch.setattr(demo, "PAYSLIPS_PER_YEAR", 6_000)
    for i in range(6):
        factories.AgencyFactory(
            code=f"D{i}", unit=unit if i % 2 else other_unit, kind="district" if i < 3 else "specialist"
        )
    users = {roles.CASE_HANDLER: case_handler, roles.UNIT_MANAGER: unit_manager}
    demo.load(users=users)

    imported = PayrollCase.objects.filter(source="import")
    assert PayslipImport.objects.filter(origin="demo", status="done").count() == 12
    assert 5_950 <= imported.count() <= 6_050
    per_month = dict(imported.values_list("period").annotate(n=Count("id")))
    assert len(per_month) == 12 and all(450 <= n <= 560 for n in per_month.values())
    machine = imported.filter(channel__in=MACHINE_CHANNELS).count() / imported.count()
    assert 0.69 <= machine <= 0.71
    assert {"self_service", "lisa_tid", "manual", "agresso"} <= set(imported.values_list("channel", flat=True))
    # At the real scale a month holds some fifty urgent payouts.
    assert dict(demo._split(50_000)) == {
        "self_service": 26_000,
        "lisa_tid": 9_000,
        "manual": 12_450,
        "agresso": 2_500,
        "girovision": 50,
    }

    manual = PayrollCase.objects.filter(source="manual")
    assert set(manual.values_list("status", flat=True)) == {
        "received",
        "registered",
        "returned",
        "completed",
        "cancelled",
    }
    assert set(manual.values_list("agency__unit", flat=True)) == {unit.pk}
    assert manual.filter(channel="girovision", status="registered", approved_by__isnull=True).exists()
    assert manual.filter(is_late=True).exists()
    assert CaseReturn.objects.filter(document_arrived_on__isnull=True, case__status="returned").exists()
    assert manual.filter(person__protected_identity=True).exists()
    assert Person.objects.filter(protected_identity=True).count() == 1
    assert ControlSample.objects.filter(unit=unit, period="2012-03").count() == 1
    # The case desk: scanned documents (real PDFs) on the cases waiting, a note on the returned one.
    documents = CaseDocument.objects.filter(case__source="manual")
    assert documents.count() == 5 and all(d.file.open("rb").read(5) == b"%PDF-" for d in documents)
    assert CaseNote.objects.filter(case__status="returned").exists()

    counts = (PayrollCase.objects.count(), Person.objects.count(), CaseReturn.objects.count())
    demo.load(users=users)
    assert (PayrollCase.objects.count(), Person.objects.count(), CaseReturn.objects.count()) == counts
