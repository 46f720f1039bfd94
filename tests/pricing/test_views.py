"""Price-list pages: reading, creating, changing, freezing and new versions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pricing import services
from pricing.models import PriceItem, PriceList
from tests.factories import price_list_2012

pytestmark = pytest.mark.django_db


def _formset_data(items, extra=3):
    data = {"form-TOTAL_FORMS": len(items) + extra, "form-INITIAL_FORMS": len(items)}
    for i, item in enumerate(items):
        for key, value in item.items():
            data[f"form-{i}-{key}"] = value
    return data


def _items(price_list):
    return [
        {
            "item_code": i.item_code,
            "name": i.name,
            "unit": i.unit,
            "price": str(i.price).replace(".", ","),
            "base_item_code": i.base_item.item_code if i.base_item_id else "",
            "note": i.note,
        }
        for i in price_list.items.select_related("base_item").order_by("id")
    ]


def test_finance_reads_the_list_with_total_price_and_breakdown(client, finance):
    price_list = price_list_2012()
    client.force_login(finance)
    assert price_list.pk in [r.record.pk for r in client.get(reverse("pricing:pricelist_list")).context["table"].rows]
    text = client.get(reverse("pricing:pricelist_detail", args=[price_list.pk])).content.decode()
    assert "395,00" in text and "+ 300,00" in text and "+ 37,00" in text
    assert reverse("pricing:pricelist_edit", args=[price_list.pk]) not in text


def test_case_handlers_do_not_see_price_lists(client, case_handler):
    price_list = price_list_2012()
    client.force_login(case_handler)
    assert client.get(reverse("pricing:pricelist_detail", args=[price_list.pk])).status_code == 403


def test_administrator_creates_a_new_years_list_from_the_last_one(client, administrator):
    previous = price_list_2012()
    client.force_login(administrator)
    form = client.get(reverse("pricing:pricelist_create"))
    assert form.context["form"].initial["year"] == 2013
    assert len(form.context["formset"].initial) == 7
    items = _items(previous)
    items[0]["price"] = "60"
    response = client.post(reverse("pricing:pricelist_create"), {"year": 2013, "note": "", **_formset_data(items)})
    created = PriceList.objects.get(year=2013)
    assert response["Location"] == reverse("pricing:pricelist_detail", args=[created.pk])
    assert created.items.get(item_code="self_service").price == Decimal("60")
    assert created.items.get(item_code="manual").surcharge == Decimal("35")
    assert created.effective_from == dt.date(2013, 1, 1) and created.created_by == administrator


def test_item_errors_are_shown_on_their_rows_and_nothing_is_saved(client, administrator):
    client.force_login(administrator)
    items = [
        {"item_code": "self_service", "name": "Självservice", "unit": "lönespec", "price": "58"},
        {"item_code": "manual", "name": "Manuell", "unit": "lönespec", "price": "40", "base_item_code": "self_service"},
        {"item_code": "girovision", "name": "", "unit": "lönespec", "price": "395", "base_item_code": "nothing"},
    ]
    response = client.post(reverse("pricing:pricelist_create"), {"year": 2013, **_formset_data(items)})
    assert response.status_code == 400
    formset = response.context["formset"]
    assert "price" in formset.forms[1].errors
    assert {"name", "base_item_code"} <= set(formset.forms[2].errors)
    assert "lägre än den ingående basposten" in response.content.decode()
    assert not PriceList.objects.filter(year=2013).exists()


def test_changing_an_open_list(client, administrator):
    price_list = price_list_2012()
    client.force_login(administrator)
    items = _items(price_list)
    items[-1]["price"] = "1500"
    items[-1]["note"] = "Demovärde"
    data = {"effective_from": "2012-01-01", "note": "Nämndbeslut", **_formset_data(items)}
    data["form-1-DELETE"] = "on"  # remove lisa_tid
    response = client.post(reverse("pricing:pricelist_edit", args=[price_list.pk]), data)
    assert response.status_code == 302
    assert PriceItem.objects.get(price_list=price_list, item_code="pension_case").price == Decimal("1500")
    assert not price_list.items.filter(item_code="lisa_tid").exists()


def test_a_frozen_list_cannot_be_changed_and_editing_leads_to_a_new_version(client, administrator):
    price_list = price_list_2012()
    services.freeze_price_list(price_list=price_list)
    client.force_login(administrator)
    items = _items(price_list)
    items[0]["price"] = "1"
    response = client.post(
        reverse("pricing:pricelist_edit", args=[price_list.pk]),
        {"effective_from": "2012-01-01", **_formset_data(items)},
    )
    assert response["Location"] == reverse("pricing:pricelist_new_version", args=[price_list.pk])
    assert price_list.items.get(item_code="self_service").price == Decimal("58")
    response = client.post(
        reverse("pricing:pricelist_new_version", args=[price_list.pk]), {"effective_from": "2012-07-01"}
    )
    v2 = PriceList.objects.get(year=2012, version=2)
    assert response["Location"] == reverse("pricing:pricelist_edit", args=[v2.pk])
    assert v2.items.count() == 7 and v2.copied_from == price_list
    detail = client.get(reverse("pricing:pricelist_detail", args=[price_list.pk])).content.decode()
    assert "Det finns en nyare version" in detail


def test_a_new_version_cannot_start_before_the_frozen_one(client, administrator):
    price_list = price_list_2012()
    services.freeze_price_list(price_list=price_list)
    client.force_login(administrator)
    response = client.post(
        reverse("pricing:pricelist_new_version", args=[price_list.pk]), {"effective_from": "2011-12-01"}
    )
    assert response.status_code == 200 and response.context["form"].errors["effective_from"]
    assert PriceList.objects.count() == 1


def test_freezing_from_the_page(client, administrator):
    price_list = price_list_2012()
    client.force_login(administrator)
    client.post(reverse("pricing:pricelist_freeze", args=[price_list.pk]))
    assert PriceList.objects.get(pk=price_list.pk).is_frozen


def test_frozen_lists_are_read_only_in_the_admin(client, administrator):
    price_list = price_list_2012()
    services.freeze_price_list(price_list=price_list)
    client.force_login(administrator)
    url = reverse("admin:pricing_pricelist_change", args=[price_list.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(url, {"year": 2012, "version": 1, "effective_from": "2012-05-01", "note": "x"})
    assert PriceList.objects.get(pk=price_list.pk).effective_from == dt.date(2012, 1, 1)
    item = price_list.items.get(item_code="manual")
    client.post(
        reverse("admin:pricing_priceitem_change", args=[item.pk]),
        {"price_list": price_list.pk, "item_code": "manual", "name": "x", "unit": "st", "price": "1"},
    )
    assert PriceItem.objects.get(pk=item.pk).price == Decimal("95")
    assert (
        client.post(reverse("admin:pricing_pricelist_delete", args=[price_list.pk]), {"post": "yes"}).status_code == 403
    )
    assert PriceList.objects.filter(pk=price_list.pk).exists()


def test_open_lists_can_be_changed_in_the_admin(client, administrator):
    price_list = price_list_2012()
    client.force_login(administrator)
    page = client.get(reverse("admin:pricing_pricelist_change", args=[price_list.pk]))
    assert 'name="_save"' in page.content.decode()
