"""The price-model simulator with the seeds' 2012 figures: 600,000 payslips invoiced at the 2012
prices, and a 2013 cost budget of 42.7 mnkr (33.1 mnkr of it personnel)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.allocation import split_by_weights
from economy import services, simulator
from economy.models import CostBudget, CostType, PriceScenario
from invoicing.models import Invoice
from pricing import services as pricing
from pricing.models import AgencyMonthlyAmount, PriceItem, PriceList
from tests import factories

pytestmark = pytest.mark.django_db

# A month of each agency: 50,000 payslips a month, 600,000 in 2012; 2,292 pension cases.
MONTH = {
    "SDF07": {"self_service": 20000, "manual": 3000, "agresso": 500, "girovision": 20, "pension_case": 100,
              "addon_hour": Decimal("10.5")},
    "FF02": {"lisa_tid": 15000, "manual": 2000, "agresso": 400, "girovision": 10, "pension_case": 91},
    "SDF09": {"self_service": 8000, "lisa_tid": 1000, "manual": 70},
}  # fmt: skip
COST = Decimal("42700000.00")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def year_2012(unit):
    factories.price_list_2012()
    agencies = {code: factories.AgencyFactory(code=code, name=f"Förvaltning {code}", unit=unit) for code in MONTH}
    for month in range(1, 13):
        for code, quantities in MONTH.items():
            factories.issued_invoice(agency=agencies[code], period=f"2012-{month:02d}", quantities=quantities)
    for cost_type, amount in (
        (CostType.PERSONNEL, "33100000"),
        (CostType.PREMISES, "4000000"),
        (CostType.IT, "3600000"),
        (CostType.OVERHEAD, "2000000"),
    ):
        CostBudget.objects.create(year=2013, unit=unit, cost_type=cost_type, amount=Decimal(amount))
    return agencies


@pytest.fixture
def inputs(year_2012):
    return simulator.default_inputs(year=2013, base_period="2012-12")


def _rows(model):
    return {row["code"]: row for row in model["rows"]}


def test_split_by_weights_sums_to_the_amount_by_largest_remainder():
    assert split_by_weights(Decimal("100.00"), {"a": 1, "b": 1, "c": 1}) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }
    split = split_by_weights(COST, {"a": 1000, "b": 700, "c": 301})
    assert sum(split.values()) == COST
    assert split == {"a": Decimal("21339330.34"), "b": Decimal("14937531.23"), "c": Decimal("6423138.43")}


def test_inputs_are_the_cost_budget_and_last_years_volumes(inputs):
    assert inputs["cost"] == "42700000.00"
    payslips = sum(
        Decimal(q)
        for agency in inputs["agencies"]
        for code, q in agency["volumes"].items()
        if code != "pension_case" and code != "addon_hour"
    )
    assert payslips == 600000
    sdf07 = next(agency for agency in inputs["agencies"] if agency["code"] == "SDF07")
    assert sdf07["volumes"]["self_service"] == "240000"
    assert sdf07["volumes"]["addon_hour"] == "126"
    # no 2011 invoiced: the trend is 1
    assert set(inputs["trend"].values()) == {"1"}


def test_per_item_scenario_at_todays_prices_reproduces_this_years_invoiced_total_to_the_ore(inputs):
    invoiced = sum(Invoice.objects.filter(period__startswith="2012").values_list("total", flat=True))
    result = simulator.simulate({**inputs, "per_item_mode": simulator.TODAY})[simulator.PER_ITEM]
    # SDF07: 12 × (20,000 × 58 + 3,000 × 95 + 500 × 145 + 20 × 395 + 100 × 1,200 + 10.5 × 390)
    assert _rows(result)["SDF07"]["total"] == "19793940.00"
    assert Decimal(result["revenue"]) == invoiced == Decimal(result["this_year"])
    assert all(row["change"] == "0.00" for row in result["rows"])


def test_fixed_price_scenario_recovering_the_cost_budget_sums_to_it_to_the_ore(inputs):
    result = simulator.simulate(inputs)[simulator.FIXED]
    rows = _rows(result)
    # Last year's payslips: SDF07 282,240, FF02 208,920, SDF09 108,840 of 600,000.
    assert rows["SDF07"]["total"] == "20086080.00"
    assert rows["FF02"]["total"] == "14868140.00"
    assert rows["SDF09"]["total"] == "7745780.00"
    assert rows["SDF07"]["fixed_month"] == "1673840.00"
    assert sum(Decimal(row["total"]) for row in result["rows"]) == COST
    assert Decimal(result["revenue"]) == COST and result["result"] == "0.00"


def test_fixed_price_by_employees_also_sums_to_the_cost_to_the_ore(inputs, year_2012):
    ids = {code: agency.pk for code, agency in year_2012.items()}
    edited = simulator.with_volumes(
        inputs, volumes={}, employees={ids["SDF07"]: 1000, ids["FF02"]: 700, ids["SDF09"]: 301}
    )
    result = simulator.simulate({**edited, "fixed_key": simulator.EMPLOYEES})[simulator.FIXED]
    assert _rows(result)["SDF09"]["total"] == "6423138.43"
    assert sum(Decimal(row["total"]) for row in result["rows"]) == COST


def test_the_result_is_revenue_less_cost_in_every_model(inputs):
    for model in simulator.simulate(inputs).values():
        assert Decimal(model["result"]) == Decimal(model["revenue"]) - Decimal(model["cost"])
        assert Decimal(model["revenue"]) == sum(Decimal(row["total"]) for row in model["rows"])
        for row in model["rows"]:
            assert Decimal(row["total"]) == Decimal(row["fixed_year"]) + Decimal(row["per_item"])
            assert Decimal(row["change"]) == Decimal(row["total"]) - Decimal(row["this_year"])


def test_solved_per_item_prices_keep_todays_ratios_and_recover_the_cost(inputs):
    result = simulator.simulate(inputs)[simulator.PER_ITEM]
    today = Decimal(result["this_year"])
    factor = COST / today
    assert result["prices"]["self_service"] == str((Decimal(58) * factor).quantize(Decimal("0.01")))
    assert result["prices"]["girovision"] == str((Decimal(395) * factor).quantize(Decimal("0.01")))
    # öre rounding of the prices leaves at most a few kronor per item's volume
    assert abs(Decimal(result["result"])) < Decimal("0.005") * 700000


def test_mix_takes_the_chosen_share_from_the_base_and_the_rest_from_lower_prices(inputs):
    result = simulator.simulate({**inputs, "base_share": "40"})
    mix = result[simulator.MIX]
    assert Decimal(mix["fixed"]) == Decimal("17080000.00")
    assert Decimal(mix["prices"]["manual"]) < Decimal(result[simulator.PER_ITEM]["prices"]["manual"])
    assert abs(Decimal(mix["revenue"]) - COST) < 3000


def test_manual_prices_are_used_as_entered(inputs):
    result = simulator.simulate({**inputs, "per_item_mode": simulator.MANUAL, "manual_prices": {"manual": "99.50"}})
    assert result[simulator.PER_ITEM]["prices"]["manual"] == "99.50"
    assert result[simulator.PER_ITEM]["prices"]["self_service"] == "58.00"


def test_a_fixed_scenario_becomes_next_years_draft_price_list_with_monthly_amounts(inputs, year_2012, finance):
    scenario = services.save_scenario(name="Fast pris 2013", model="fixed", inputs=inputs, user=finance)
    price_list = services.make_draft_price_list(scenario=scenario, user=finance)
    assert (price_list.year, price_list.version, price_list.is_frozen) == (2013, 1, False)
    fixed = price_list.items.get(item_code="fixed_base")
    assert fixed.kind == PriceItem.Kind.FIXED_MONTHLY
    amounts = {row.agency.code: row.amount for row in AgencyMonthlyAmount.objects.filter(item=fixed)}
    assert amounts == {"SDF07": Decimal("1673840.00"), "FF02": Decimal("1239011.67"), "SDF09": Decimal("645481.67")}
    assert price_list.items.get(item_code="manual").price == Decimal("0.00")
    # a draft prices nothing until it is decided; then the engine invoices it in January 2013
    assert not price_list.decided
    with pytest.raises(pricing.NoPriceList):
        pricing.price_lines(agency=year_2012["SDF07"], period="2013-01", quantities={"self_service": 10})
    pricing.decide_price_list(price_list=price_list, user=finance)
    lines = pricing.price_lines(agency=year_2012["SDF07"], period="2013-01", quantities={"self_service": 10})
    assert pricing.total(lines) == Decimal("1673840.00")
    with pytest.raises(ValidationError):
        services.make_draft_price_list(scenario=scenario, user=finance)
    assert PriceList.objects.filter(year=2013).count() == 1


def test_a_per_item_scenario_makes_a_new_version_when_the_year_has_a_list(inputs, finance):
    factories.price_list_2012(2013)
    scenario = services.save_scenario(name="Styckpris", model="per_item", inputs=inputs, user=finance)
    price_list = services.make_draft_price_list(scenario=scenario, user=finance)
    assert price_list.version == 2 and not price_list.is_frozen and not price_list.decided
    assert pricing.price_list_in_force("2013-01").version == 1  # the decided list, until the draft is decided
    assert str(price_list.items.get(item_code="self_service").price) == scenario.chosen["prices"]["self_service"]
    assert not price_list.items.filter(kind=PriceItem.Kind.FIXED_MONTHLY).exists()


def test_a_saved_scenario_keeps_its_result_when_the_budget_changes(inputs, unit):
    scenario = services.save_scenario(name="A", model="fixed", inputs=inputs)
    CostBudget.objects.filter(year=2013).update(amount=1)
    scenario.refresh_from_db()
    assert scenario.chosen["cost"] == "42700000.00"


def test_a_scenario_needs_a_name(inputs):
    with pytest.raises(ValidationError):
        services.save_scenario(name=" ", model="fixed", inputs=inputs)
    assert not PriceScenario.objects.exists()


def _post(inputs, **extra):
    data = {
        "cost": "42700000",
        "per_item_mode": "solve",
        "fixed_key": "payslips",
        "base_share": "40",
        "name": "",
        "model": "fixed",
    }
    for agency in inputs["agencies"]:
        for code, quantity in agency["volumes"].items():
            data[f"v_{agency['id']}_{code}"] = quantity
        data[f"e_{agency['id']}"] = agency["employees"]
    data.update(extra)
    return data


def test_the_head_of_service_simulates_and_saves_a_scenario(client, head_of_service, inputs):
    client.force_login(head_of_service)
    url = reverse("economy:simulator") + "?year=2013&base=2012-12"
    page = client.get(url)
    assert page.status_code == 200
    assert "20\xa0086\xa0080,00" in page.content.decode()
    response = client.post(url, _post(inputs, name="Fast pris", save="1"))
    scenario = PriceScenario.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("economy:scenario", args=[scenario.pk])
    assert scenario.created_by == head_of_service and scenario.chosen["revenue"] == "42700000.00"
    detail = client.get(response["Location"])
    assert "Fast pris" in detail.content.decode()


def test_edited_volumes_change_the_result_and_bad_input_saves_nothing(client, finance, inputs, year_2012):
    client.force_login(finance)
    url = reverse("economy:simulator") + "?year=2013&base=2012-12"
    sdf09 = year_2012["SDF09"].pk
    page = client.post(url, _post(inputs, **{f"v_{sdf09}_manual": "1000070", "calculate": "1"}))
    assert page.status_code == 200
    table = page.context["table"]
    assert table["rows"][2]["models"][0]["per_item"] != table["rows"][2]["this_year"]
    bad = client.post(url, _post(inputs, cost="-5", name="Fel", save="1"))
    assert bad.status_code == 400
    assert not PriceScenario.objects.exists()


def test_scenarios_are_compared_side_by_side(client, head_of_service, inputs):
    a = services.save_scenario(name="Styckpris", model="per_item", inputs=inputs)
    b = services.save_scenario(name="Fast pris", model="fixed", inputs=inputs)
    client.force_login(head_of_service)
    page = client.get(reverse("economy:scenarios"), {"id": [a.pk, b.pk]})
    body = page.content.decode()
    assert page.status_code == 200 and "Styckpris" in body and "Fast pris" in body
    assert [c["scenario"] for c in page.context["comparison"]["columns"]] == [a, b]
    assert "20\xa0086\xa0080,00" in body


def test_others_may_not_use_the_simulator(client, unit_manager, case_handler, inputs):
    scenario = services.save_scenario(name="A", model="fixed", inputs=inputs)
    for user in (unit_manager, case_handler):
        client.force_login(user)
        assert client.get(reverse("economy:simulator")).status_code == 403
        assert client.post(reverse("economy:scenario_price_list", args=[scenario.pk])).status_code == 403
    assert not PriceList.objects.filter(year=2013).exists()
