"""The pricing engine on the 2012 price list of seed 000, and which version is in force."""

import datetime as dt
from decimal import Decimal

import pytest

from pricing import services
from pricing.services import ItemSpec, NoPriceList, UnknownPriceItem, price_lines, price_list_in_force, total
from tests.factories import AgencyFactory, PriceItemFactory, PriceListFactory, price_list_2012

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return AgencyFactory()


def test_twelve_self_service_three_manual_and_one_urgent_girovision_cost_1376(agency):
    price_list_2012()
    lines = price_lines(agency=agency, period="2012-03", quantities={"self_service": 12, "manual": 3, "girovision": 1})
    by_code = {line.item_code: line for line in lines}
    assert by_code["self_service"].amount == Decimal("696.00")  # 12 × 58
    assert by_code["manual"].amount == Decimal("285.00")  # 3 × 95
    assert by_code["girovision"].amount == Decimal("395.00")
    assert total(lines) == Decimal("1376.00")


def test_manual_payslip_costs_base_self_service_plus_surcharge(agency):
    price_list_2012()
    [line] = price_lines(agency=agency, period="2012-05", quantities={"manual": 1})
    assert (line.unit_price, line.base_price, line.surcharge) == (Decimal("95"), Decimal("58"), Decimal("37"))


def test_agresso_and_girovision_are_manual_plus_their_surcharge(agency):
    price_list_2012()
    lines = {
        line.item_code: line
        for line in price_lines(agency=agency, period="2012-05", quantities={"agresso": 2, "girovision": 1})
    }
    assert (lines["agresso"].base_price, lines["agresso"].surcharge, lines["agresso"].amount) == (
        Decimal("95"),
        Decimal("50"),
        Decimal("290.00"),
    )
    assert (lines["girovision"].base_price, lines["girovision"].surcharge) == (Decimal("95"), Decimal("300"))


def test_items_without_a_base_have_no_breakdown(agency):
    price_list_2012()
    [line] = price_lines(agency=agency, period="2012-05", quantities={"addon_hour": Decimal("2.5")})
    assert line.base_price is None and line.surcharge is None
    assert line.amount == Decimal("975.00")  # 2.5 h × 390


def test_zero_quantities_are_left_out(agency):
    price_list_2012()
    lines = price_lines(agency=agency, period="2012-05", quantities={"self_service": 0, "lisa_tid": 4})
    assert [line.item_code for line in lines] == ["lisa_tid"]
    assert total(lines) == Decimal("232.00")


def test_amounts_are_rounded_to_ore_half_up(agency):
    price_list = PriceListFactory(year=2013)
    PriceItemFactory(price_list=price_list, item_code="addon_hour", price=Decimal("390.05"))
    [line] = price_lines(agency=agency, period="2013-01", quantities={"addon_hour": Decimal("0.5")})
    assert line.amount == Decimal("195.03")  # 195.025 rounds up


def test_unknown_item_is_refused_with_its_code(agency):
    price_list_2012()
    with pytest.raises(UnknownPriceItem, match="translation_service"):
        price_lines(agency=agency, period="2012-05", quantities={"translation_service": 1})


def test_a_period_without_a_price_list_is_refused(agency):
    price_list_2012()
    with pytest.raises(NoPriceList):
        price_lines(agency=agency, period="2011-12", quantities={"self_service": 1})


def test_each_year_uses_its_own_list(agency):
    price_list_2012()
    later = PriceListFactory(year=2013)
    PriceItemFactory(price_list=later, item_code="self_service", price=Decimal("60"))
    assert price_lines(agency=agency, period="2012-12", quantities={"self_service": 1})[0].unit_price == 58
    assert price_lines(agency=agency, period="2013-01", quantities={"self_service": 1})[0].unit_price == 60


def test_a_new_version_applies_from_its_first_day_and_earlier_months_keep_the_old_prices(agency):
    v1 = price_list_2012()
    services.freeze_price_list(price_list=v1)
    v2 = services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 7, 1))
    item = v2.items.get(item_code="self_service")
    item.price = Decimal("60")
    item.save()
    assert price_list_in_force("2012-06") == v1
    assert price_list_in_force("2012-07") == v2
    june = price_lines(agency=agency, period="2012-06", quantities={"self_service": 10})
    july = price_lines(agency=agency, period="2012-07", quantities={"self_service": 10})
    assert (total(june), total(july)) == (Decimal("580.00"), Decimal("600.00"))
    assert july[0].price_list_id == v2.pk


def test_of_two_versions_from_the_same_day_the_higher_is_in_force(agency):
    v1 = price_list_2012()
    v2 = services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 1, 1))
    assert price_list_in_force("2012-01") == v2


def test_the_new_version_keeps_the_breakdown_of_base_and_surcharge(agency):
    v1 = price_list_2012()
    v2 = services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 9, 1))
    [line] = price_lines(agency=agency, period="2012-09", quantities={"girovision": 1})
    assert line.price_list_id == v2.pk
    assert (line.base_price, line.surcharge) == (Decimal("95"), Decimal("300"))
    assert v2.items.get(item_code="girovision").base_item.price_list == v2


def test_a_list_created_through_the_service_prices_like_the_seed():
    price_list = services.create_price_list(
        year=2014,
        items=[
            ItemSpec("self_service", "Självservice", "lönespec", Decimal("58")),
            ItemSpec("manual", "Manuell", "lönespec", Decimal("95"), base_item_code="self_service"),
        ],
    )
    agency = AgencyFactory()
    [line] = price_lines(agency=agency, period="2014-02", quantities={"manual": 3})
    assert (line.amount, line.surcharge, line.price_list_id) == (Decimal("285.00"), Decimal("37"), price_list.pk)
