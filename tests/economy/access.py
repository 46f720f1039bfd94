"""Who may use each economy URL: the head of service and finance keep the budget and import the
ledger's costs; unit managers read their own units' economy."""

from accounts import roles
from tests.access import Rule, roles_

READERS = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.FINANCE, roles.ADMINISTRATOR)
KEEPERS = roles_(roles.HEAD_OF_SERVICE, roles.FINANCE, roles.ADMINISTRATOR)


def _scenario(world) -> dict:
    from economy import simulator
    from economy.models import PriceScenario

    inputs = {
        "year": 2013,
        "base_period": "2012-12",
        "periods": simulator.twelve_months("2012-12"),
        "price_list": "2012 v1",
        "cost": "1000.00",
        "items": [{"code": "self_service", "name": "Lön", "unit": "st", "price": "58.00", "base_item_code": ""}],
        "trend": {"self_service": "1"},
        "agencies": [],
        "per_item_mode": simulator.SOLVE,
        "manual_prices": {},
        "fixed_key": simulator.PAYSLIPS,
        "base_share": "40",
    }
    scenario = PriceScenario.objects.create(
        name="Matris", year=2013, model="fixed", inputs=inputs, result=simulator.simulate(inputs)
    )
    return {"pk": scenario.pk}


RULES = {
    "economy:economy": Rule(allowed=READERS),
    "economy:cost_budget": Rule(allowed=READERS),
    "economy:cost_budget_import": Rule(allowed=KEEPERS),
    "economy:actual_cost_import": Rule(allowed=KEEPERS),
    "economy:simulator": Rule(allowed=KEEPERS),
    "economy:scenarios": Rule(allowed=KEEPERS),
    "economy:scenario": Rule(allowed=KEEPERS, kwargs=_scenario),
    "economy:scenario_price_list": Rule(allowed=KEEPERS, method="post", kwargs=_scenario),
}
