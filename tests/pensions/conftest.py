import pytest

from tests import factories


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(code="SDF01", name="Stadsdelsförvaltning Norr", unit=unit)


@pytest.fixture
def other_agency(other_unit):
    return factories.AgencyFactory(code="FF02", name="Fackförvaltning Syd", unit=other_unit)


@pytest.fixture
def handler(pension_handler):
    """The pension handler's staff record (unit lon1)."""
    return pension_handler.staff_member
