"""Price-list rules pinned at their limits, so that a change to any of them is noticed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pricing import services
from pricing.models import PriceItem, PriceList
from pricing.services import ItemSpec, check_items
from tests.factories import price_list_2012

pytestmark = pytest.mark.django_db


def _problems(**fields):
    values = {"item_code": "manual", "name": "Manuell", "unit": "lönespec", "price": Decimal("95"), **fields}
    return {(p.index, p.field) for p in check_items([ItemSpec(**values)])}


def test_a_well_formed_item_has_no_problems():
    assert _problems() == set()
    assert _problems(price=Decimal("0")) == set()
    assert _problems(price=Decimal("999999999999.99")) == set()


@pytest.mark.parametrize(
    ("field", "longest"), [("item_code", "a" * 40), ("name", "n" * 200), ("unit", "u" * 40), ("note", "x" * 200)]
)
def test_each_text_has_a_longest_allowed_length(field, longest):
    assert _problems(**{field: longest}) == set()
    assert _problems(**{field: longest + "a"}) == {(0, field)}


def test_a_price_above_twelve_digits_is_refused():
    assert _problems(price=Decimal("1000000000000.00")) == {(0, "price")}


def test_an_item_may_cost_as_much_as_its_base_item_but_not_less():
    base = ItemSpec("self_service", "Självservice", "lönespec", Decimal("58"))
    same = ItemSpec("manual", "Manuell", "lönespec", Decimal("58"), base_item_code="self_service")
    less = ItemSpec("manual", "Manuell", "lönespec", Decimal("57.99"), base_item_code="self_service")
    assert check_items([base, same]) == []
    assert [(p.index, p.field) for p in check_items([base, less])] == [(1, "price")]


def test_a_list_with_a_bad_item_is_not_saved():
    price_list = price_list_2012()
    items = [ItemSpec(i.item_code, i.name, i.unit, i.price) for i in price_list.items.all()]
    items[0] = ItemSpec(items[0].item_code, items[0].name, items[0].unit, Decimal("-5"))
    with pytest.raises(ValidationError):
        services.update_price_list(price_list=price_list, effective_from=dt.date(2012, 2, 1), note="Ny", items=items)
    assert PriceList.objects.get(pk=price_list.pk).effective_from == dt.date(2012, 1, 1)
    assert not PriceItem.objects.filter(price_list=price_list, price__lt=0).exists()


def test_an_edit_of_the_first_day_and_the_note_is_kept():
    price_list = price_list_2012()
    items = [
        ItemSpec(i.item_code, i.name, i.unit, i.price, i.base_item.item_code if i.base_item_id else "", i.note)
        for i in price_list.items.select_related("base_item")
    ]
    services.update_price_list(
        price_list=price_list, effective_from=dt.date(2012, 2, 1), note="Från februari", items=items
    )
    stored = PriceList.objects.get(pk=price_list.pk)
    assert (stored.effective_from, stored.note) == (dt.date(2012, 2, 1), "Från februari")
