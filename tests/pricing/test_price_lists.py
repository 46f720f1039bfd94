"""Writing price lists: validation, freezing, and new versions instead of changes to frozen lists."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pricing import services
from pricing.models import PriceItem, PriceList
from pricing.services import ItemSpec, PriceListFrozen, check_items
from tests.factories import price_list_2012

pytestmark = pytest.mark.django_db


def _specs(price_list):
    return [
        ItemSpec(i.item_code, i.name, i.unit, i.price, i.base_item.item_code if i.base_item_id else "", i.note)
        for i in price_list.items.select_related("base_item")
    ]


def test_freezing_sets_the_time_once():
    price_list = price_list_2012()
    services.freeze_price_list(price_list=price_list)
    first = PriceList.objects.get(pk=price_list.pk).frozen_at
    assert first is not None and price_list.is_frozen
    services.freeze_price_list(price_list=price_list)
    assert PriceList.objects.get(pk=price_list.pk).frozen_at == first


def test_a_frozen_list_refuses_changes_and_nothing_is_written():
    price_list = price_list_2012()
    services.freeze_price_list(price_list=price_list)
    items = _specs(price_list)
    items[0] = ItemSpec("self_service", "Självservice", "lönespec", Decimal("1"))
    with pytest.raises(PriceListFrozen):
        services.update_price_list(price_list=price_list, effective_from=dt.date(2012, 1, 1), items=items)
    assert PriceItem.objects.get(price_list=price_list, item_code="self_service").price == Decimal("58")


def test_a_stale_object_cannot_slip_past_a_freeze():
    price_list = price_list_2012()
    stale = PriceList.objects.get(pk=price_list.pk)
    services.freeze_price_list(price_list=price_list)
    assert stale.frozen_at is None
    with pytest.raises(PriceListFrozen):
        services.update_price_list(price_list=stale, effective_from=dt.date(2012, 1, 1), items=_specs(price_list))


def test_changing_a_frozen_list_makes_a_new_version_and_the_old_one_stays_readable():
    v1 = price_list_2012()
    services.freeze_price_list(price_list=v1)
    v2 = services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 7, 1), note="Höjt pris")
    assert (v2.year, v2.version, v2.copied_from, v2.frozen_at) == (2012, 2, v1, None)
    items = _specs(v2)
    items = [
        i if i.item_code != "manual" else ItemSpec("manual", i.name, i.unit, Decimal("99"), "self_service")
        for i in items
    ]
    services.update_price_list(price_list=v2, effective_from=dt.date(2012, 7, 1), note="Höjt pris", items=items)
    assert v1.items.get(item_code="manual").price == Decimal("95")
    assert v2.items.get(item_code="manual").price == Decimal("99")
    assert v2.items.get(item_code="manual").surcharge == Decimal("41")
    assert v1.items.count() == v2.items.count() == 7


def test_only_the_newest_version_can_get_a_new_version():
    v1 = price_list_2012()
    services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 3, 1))
    with pytest.raises(ValidationError, match="nyare"):
        services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 4, 1))
    assert PriceList.objects.filter(year=2012).count() == 2


def test_a_new_version_cannot_start_before_the_old_one_or_in_another_year():
    v1 = price_list_2012()
    v2 = services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 6, 1))
    with pytest.raises(ValidationError):
        services.new_price_list_version(price_list=v2, effective_from=dt.date(2012, 5, 1))
    with pytest.raises(ValidationError):
        services.new_price_list_version(price_list=v2, effective_from=dt.date(2013, 1, 1))
    v3 = services.new_price_list_version(price_list=v2, effective_from=dt.date(2012, 9, 1))
    with pytest.raises(ValidationError):
        services.update_price_list(price_list=v3, effective_from=dt.date(2012, 5, 1), items=_specs(v3))
    assert PriceList.objects.get(pk=v3.pk).effective_from == dt.date(2012, 9, 1)


def test_a_second_list_for_a_year_is_refused():
    price_list_2012()
    with pytest.raises(ValidationError):
        services.create_price_list(year=2012, items=[ItemSpec("x", "X", "st", Decimal("1"))])
    assert PriceList.objects.count() == 1


def test_updating_replaces_the_items_exactly():
    price_list = price_list_2012()
    items = [
        ItemSpec("self_service", "Självservice", "lönespec", Decimal("58")),
        ItemSpec("manual", "Manuell", "lönespec", Decimal("95"), "self_service"),
        ItemSpec("invoice_manual", "Manuell faktura", "faktura", Decimal("60")),
    ]
    services.update_price_list(price_list=price_list, effective_from=dt.date(2012, 1, 1), items=items)
    assert sorted(price_list.items.values_list("item_code", flat=True)) == ["invoice_manual", "manual", "self_service"]


def test_item_problems_are_all_found_at_once():
    problems = check_items(
        [
            ItemSpec("Self Service", "", "", Decimal("-1")),
            ItemSpec("manual", "Manuell", "lönespec", Decimal("95.555")),
            ItemSpec("manual", "Manuell igen", "lönespec", Decimal("95")),
            ItemSpec("agresso", "Agresso", "lönespec", Decimal("40"), base_item_code="manual"),
            ItemSpec("girovision", "Giro", "lönespec", Decimal("395"), base_item_code="nothing"),
        ]
    )
    found = {(p.index, p.field) for p in problems}
    assert {
        (0, "item_code"),
        (0, "name"),
        (0, "unit"),
        (0, "price"),
        (1, "price"),
        (2, "item_code"),
        (3, "price"),
        (4, "base_item_code"),
    } == found


def test_base_items_going_round_in_a_circle_are_refused():
    problems = check_items(
        [
            ItemSpec("a", "A", "st", Decimal("10"), base_item_code="b"),
            ItemSpec("b", "B", "st", Decimal("10"), base_item_code="a"),
        ]
    )
    assert any("circle" in p.message or "cirkel" in p.message for p in problems)


def test_the_form_refuses_a_frozen_list():
    from pricing.forms import PriceListForm

    price_list = price_list_2012()
    services.freeze_price_list(price_list=price_list)
    form = PriceListForm(data={"effective_from": "2012-01-01", "note": ""}, price_list=price_list)
    assert not form.is_valid()
    assert "låst" in form.non_field_errors()[0]
