import pytest

from tests import factories


@pytest.fixture
def lon1_staff(unit):
    return factories.PensionStaffFactory(unit=unit, name="Anna Andersson", category="payroll_admin")


@pytest.fixture
def lon2_staff(other_unit):
    return factories.PensionStaffFactory(unit=other_unit, name="Bo Berg", category="payroll_admin")
