"""The demo's deviations (the error rate against seed 000's payslip volume) and skills matrix, once."""

from decimal import Decimal

import pytest

from accounts import roles
from demo import quality as demo
from payroll import quality
from payroll.models import AggregatedPeriod, Deviation, MonthlyVolume
from staffing.models import Skill
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_deviations_and_a_skills_matrix(unit, other_unit, case_handler, unit_manager):
    own = [factories.AgencyFactory(unit=unit, code=f"L1{n}") for n in range(3)]
    factories.AgencyFactory(unit=other_unit, code="L20")
    users = {roles.CASE_HANDLER: case_handler, roles.UNIT_MANAGER: unit_manager}
    demo.load(users=users)
    demo.load(users=users)  # again: nothing added

    year = [f"2012-{m:02d}" for m in range(1, 13)]
    # Three months of the plan's four with corrected payments (1, 1, 2, 1): 15 in the twelve months.
    payments = Deviation.objects.filter(kind__in=Deviation.PAYMENT_KINDS)
    assert payments.count() == 15 and Deviation.objects.count() == 21
    assert not Deviation.objects.filter(status="closed", corrective_action="").exists()
    assert (
        Deviation.objects.filter(occurred_on__month=12, status="open").count() == 2
    )  # December's, not yet followed up
    # With seed 000's 600,000 payslips a year, 15 corrected payments are 0.25 per 10,000.
    for agency in own:
        MonthlyVolume.objects.create(period="2012-06", agency=agency, unit=unit, channel="manual", payslips=200_000)
    for period in year:
        AggregatedPeriod.objects.get_or_create(period=period)
    assert quality.error_rate(periods=year).per_10000 == Decimal("0.25")

    handler_skills = Skill.objects.filter(staff_member=case_handler.staff_member)
    assert set(handler_skills.exclude(case_type="").values_list("case_type", flat=True)) == set(demo.HANDLER_TYPES)
    assert set(handler_skills.filter(agency__isnull=False).values_list("agency__code", flat=True)) == {
        "L10",
        "L11",
        "L12",
    }
