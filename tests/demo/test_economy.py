"""The demo's economy: next year's cost budget and a saved price scenario that recovers it."""

from decimal import Decimal

import pytest

from core.models import ClosedPeriod
from demo import economy as economy_demo
from economy.models import CostBudget, PriceScenario
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_saves_a_fixed_price_scenario_for_next_year(unit, other_unit):
    factories.price_list_2012()
    agency = factories.AgencyFactory(code="SDF07", unit=unit)
    for month in range(1, 13):
        factories.issued_invoice(agency=agency, period=f"2012-{month:02d}", quantities={"self_service": 100})
        ClosedPeriod.objects.create(period=f"2012-{month:02d}")
    economy_demo.load(users={})
    economy_demo.load(users={})  # again: the same rows, one scenario
    budget_2012 = sum(CostBudget.objects.filter(year=2012).values_list("amount", flat=True))
    budget_2013 = sum(CostBudget.objects.filter(year=2013).values_list("amount", flat=True))
    assert budget_2012 == Decimal("41419000.00")  # 97 % of 42.7 mnkr on the two units
    assert budget_2013 == Decimal("42247379.00")
    scenario = PriceScenario.objects.get()
    assert (scenario.year, scenario.model) == (2013, PriceScenario.Model.FIXED)
    assert scenario.chosen["revenue"] == "42247379.00" and scenario.chosen["result"] == "0.00"
