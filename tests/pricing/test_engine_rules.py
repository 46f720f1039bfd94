"""The pricing engine and the price-list writers, pinned rule by rule by mutation testing (`make mutation`,
bench/mutation.md): each test fails when the rule it is named for breaks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pricing import services
from pricing.models import PriceList
from pricing.services import ItemSpec
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_month_is_never_priced_by_another_years_list():
    factories.PriceListFactory(year=2011)
    with pytest.raises(services.NoPriceList) as refused, translation.override("en"):
        services.price_list_in_force("2012-03")
    assert str(refused.value) == "There is no price list in force for 2012-03."


def test_the_list_in_force_is_the_one_that_started_last_not_the_highest_version():
    factories.PriceListFactory(year=2012, version=1)
    july = factories.PriceListFactory(year=2012, version=2, effective_from=dt.date(2012, 7, 1))
    march = factories.PriceListFactory(year=2012, version=3, effective_from=dt.date(2012, 3, 1))
    assert services.price_list_in_force("2012-08") == july
    assert services.price_list_in_force("2012-04") == march


def test_a_priced_line_carries_the_items_name_unit_and_quantity(unit):
    price_list = factories.price_list_2012()
    agency = factories.AgencyFactory(unit=unit)
    [line] = services.price_lines(agency=agency, period="2012-03", quantities={"manual": 3})
    assert (line.item_code, line.name, line.unit, line.quantity) == ("manual", "Manuell rapportering", "lönespec", 3)
    assert (line.unit_price, line.amount, line.base_price, line.surcharge) == (
        Decimal("95.00"),
        Decimal("285.00"),
        Decimal("58.00"),
        Decimal("37.00"),
    )
    assert line.price_list_id == price_list.pk


def test_the_total_of_no_lines_is_zero_kronor_and_zero_ore():
    assert str(services.total([])) == "0.00"


def test_a_frozen_list_is_named_by_the_refusal():
    price_list = factories.price_list_2012()
    services.freeze_price_list(price_list=price_list)
    with pytest.raises(services.PriceListFrozen) as refused, translation.override("en"):
        services.update_price_list(price_list=price_list, effective_from=dt.date(2012, 1, 1), items=[])
    assert refused.value.price_list == price_list
    assert str(refused.value) == (
        f"The price list {price_list} is frozen: it has been used on an issued invoice. Make a new version instead."
    )


def _specs(price_list):
    return [
        ItemSpec(i.item_code, i.name, i.unit, i.price, i.base_item.item_code if i.base_item_id else "", i.note)
        for i in price_list.items.select_related("base_item")
    ]


def test_a_new_version_may_start_on_the_same_day_as_the_version_it_replaces():
    v1 = factories.price_list_2012()
    services.freeze_price_list(price_list=v1)
    v2 = services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 1, 1))
    services.update_price_list(price_list=v2, effective_from=dt.date(2012, 1, 1), note="same day", items=_specs(v2))
    assert PriceList.objects.get(pk=v2.pk).note == "same day"


def test_a_new_version_keeps_the_old_note_unless_given_one_and_records_who_made_it(finance):
    v1 = factories.price_list_2012()
    PriceList.objects.filter(pk=v1.pk).update(note="Priser 2012")
    v1.refresh_from_db()
    item = v1.items.get(item_code="manual")
    item.note = "inkl. självservice"
    item.save()
    v2 = services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 7, 1), user=finance)
    assert (v2.note, v2.created_by, v2.copied_from, v2.version) == ("Priser 2012", finance, v1, 2)
    assert v2.items.get(item_code="manual").note == "inkl. självservice"
    assert v2.items.get(item_code="manual").base_item.item_code == "self_service"
    v3 = services.new_price_list_version(price_list=v2, effective_from=dt.date(2012, 8, 1), note="Höjt")
    assert (v3.note, v3.created_by) == ("Höjt", None)


def test_only_the_newest_version_gets_a_new_one_and_the_refusal_says_which_is_newer():
    v1 = factories.price_list_2012()
    services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 7, 1))
    with pytest.raises(ValidationError) as refused:
        services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 8, 1))
    assert refused.value.params == {"version": 2, "year": 2012}


def test_a_new_version_starting_before_the_old_one_is_refused_on_its_first_day():
    v1 = factories.PriceListFactory(year=2012, effective_from=dt.date(2012, 3, 1))
    with pytest.raises(ValidationError) as refused:
        services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 2, 1))
    assert list(refused.value.message_dict) == ["effective_from"]


def _items():
    return [ItemSpec("self_service", "Lön via Lisa Självservice", "lönespec", Decimal("58"))]


def test_a_new_years_list_starts_on_1_january_as_version_1_without_a_note(finance):
    price_list = services.create_price_list(year=2013, items=_items(), user=finance)
    assert (price_list.effective_from, price_list.version, price_list.note) == (dt.date(2013, 1, 1), 1, "")
    assert price_list.created_by == finance


def test_a_second_list_for_a_year_is_refused_on_the_year():
    services.create_price_list(year=2013, items=_items())
    with pytest.raises(ValidationError) as refused:
        services.create_price_list(year=2013, items=_items())
    assert list(refused.value.message_dict) == ["year"]


def test_an_edit_without_a_note_clears_the_note():
    price_list = services.create_price_list(year=2013, note="Gammal", items=_items())
    services.update_price_list(price_list=price_list, effective_from=dt.date(2013, 1, 1), items=_items())
    assert PriceList.objects.get(pk=price_list.pk).note == ""


def test_an_edit_of_a_version_to_start_before_the_one_it_replaces_is_refused_on_its_first_day():
    v1 = factories.PriceListFactory(year=2012, effective_from=dt.date(2012, 3, 1))
    v2 = services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 7, 1))
    with pytest.raises(ValidationError) as refused:
        services.update_price_list(price_list=v2, effective_from=dt.date(2012, 2, 1), items=[])
    assert list(refused.value.message_dict) == ["effective_from"]


def test_a_refusal_of_unknown_items_lists_their_codes(unit):
    price_list = factories.price_list_2012()
    agency = factories.AgencyFactory(unit=unit)
    with pytest.raises(services.UnknownPriceItem) as refused, translation.override("en"):
        services.price_lines(agency=agency, period="2012-03", quantities={"zz": 1, "aa": 2, "manual": 1})
    assert str(refused.value) == f"The price list {price_list} has no item aa, zz."
