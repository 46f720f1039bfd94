"""The demo reproduces seed 000's figures for 2012 and changes nothing when loaded again."""

from decimal import Decimal

import pytest
from django.db.models import Count

from core.periods import periods_between
from demo import customers as customers_demo
from demo import pensions as pensions_demo
from demo import staffing as staffing_demo
from demo import users as demo
from organisation.models import StaffMember
from pensions import selectors as pension_selectors
from pensions.models import PensionCase, SignalList, StatusChange
from staffing import selectors
from staffing.models import Absence, MonthlyFte
from tests import factories

YEAR = periods_between("2012-01", "2012-12")


@pytest.fixture
def loaded(db):
    customers_demo.load_organisation()
    users = demo.load_users()
    for i in range(6):
        factories.AgencyFactory(code=f"D{i:02d}", unit=factories.UnitFactory(code="lon1" if i % 2 else "lon2"))
    pensions_demo.load(users=users)
    staffing_demo.load(users=users)
    return users


def _counts():
    return [m.objects.count() for m in (PensionCase, StatusChange, SignalList, MonthlyFte, Absence, StaffMember)]


def test_demo_staff_and_fte_are_seed_000s(loaded):
    by_category = dict(StaffMember.objects.values_list("category").annotate(n=Count("id")))
    assert by_category == {
        "payroll_admin": 56,
        "pension_handler": 5,
        "manager": 4,
        "head_of_service": 1,
        "developer": 1,
        "assistant": 4,  # seed 001's four assistants
    }
    assert selectors.average_fte(periods=YEAR, categories=["payroll_admin"]) == Decimal("53.95")
    assert selectors.average_fte(periods=YEAR, categories=["pension_handler"]) == Decimal("4.50")
    # Seed 000's 64.45 FTE and the four assistants of seed 001.
    assert selectors.average_fte(periods=YEAR, categories=[c for c, _ in StaffMember.Category.choices]) == Decimal(
        "68.45"
    )
    assert selectors.average_fte(periods=YEAR, categories=["assistant"]) == Decimal("4.00")
    assert selectors.average_fte(periods=YEAR, categories=["head_of_service"]) == Decimal("1.00")
    july = selectors.average_fte(periods=["2012-07"], categories=["payroll_admin"])
    assert july < Decimal("50")  # summer leave
    assert Decimal("3") < selectors.sick_leave_rate(periods=YEAR) < Decimal("8")
    assert selectors.phone_service(periods=YEAR)["months"] == 12
    assert selectors.customer_satisfaction(year=2012)["nki"] > 75  # seed 000: better than 2011's 75


def test_demo_pension_cases_are_seed_000s(loaded):
    cases = PensionCase.objects.filter(number__startswith="PE-2012-")  # the seed year's (the current: PE-2013-)
    assert cases.count() == 2300
    assert cases.filter(kind="old_age").count() == 1950
    assert set(PensionCase.objects.values_list("status", flat=True)) == {
        "received", "investigating", "waiting", "decided", "paid", "closed"
    }  # fmt: skip
    pension = loaded["pension_handler"].staff_member
    assert cases.filter(handler=pension).count() > 300
    assert 1500 < pension_selectors.pension_retirements(periods=YEAR) < 1950
    assert SignalList.objects.count() >= 5


def test_loading_the_demo_again_changes_nothing(loaded):
    before = _counts()
    pensions_demo.load(users=loaded)
    staffing_demo.load(users=loaded)
    assert _counts() == before
