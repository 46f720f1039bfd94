"""The page that edits each agency's fixed monthly amount of a price-list version."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pricing import services
from pricing.models import AgencyMonthlyAmount
from tests import factories

pytestmark = pytest.mark.django_db

# SDF07's share of a yearly fixed price, per month (a price model of seed 001).
BASE = Decimal("35583.33")


@pytest.fixture
def price_list():
    price_list = factories.price_list_2012()
    factories.fixed_monthly_item(price_list)
    return price_list


@pytest.fixture
def agencies(unit):
    return {
        "SDF07": factories.AgencyFactory(code="SDF07", name="Södermalms stadsdelsförvaltning", unit=unit),
        "FF02": factories.AgencyFactory(code="FF02", name="Fastighetskontoret", unit=unit),
        # Left before 2012: not a customer during the list's year.
        "OLD01": factories.AgencyFactory(code="OLD01", unit=unit, active_to=dt.date(2010, 12, 31)),
    }


def _url(price_list, code="fixed_base"):
    return reverse("pricing:monthly_amounts_edit", args=[price_list.pk, code])


def _amounts(price_list):
    return dict(AgencyMonthlyAmount.objects.filter(item__price_list=price_list).values_list("agency__code", "amount"))


def test_the_price_list_page_links_each_fixed_item_to_its_amounts(client, administrator, price_list, agencies):
    client.force_login(administrator)
    text = client.get(reverse("pricing:pricelist_detail", args=[price_list.pk])).content.decode()
    assert _url(price_list) in text
    assert _url(price_list, "self_service") not in text


def test_administrator_sets_every_agencys_amount_in_one_form(client, administrator, price_list, agencies):
    services.set_monthly_amounts(
        price_list=price_list, item_code="fixed_base", amounts={agencies["FF02"]: Decimal("1000.00")}
    )
    client.force_login(administrator)
    page = client.get(_url(price_list))
    assert page.status_code == 200
    assert [agency.code for agency, _field in page.context["form"].rows()] == ["FF02", "SDF07"]
    assert page.context["form"][f"agency_{agencies['FF02'].pk}"].value() == Decimal("1000.00")
    response = client.post(
        _url(price_list),
        {f"agency_{agencies['SDF07'].pk}": "35 583,33", f"agency_{agencies['FF02'].pk}": ""},
    )
    assert response.status_code == 302
    assert _amounts(price_list) == {"SDF07": BASE}
    detail = client.get(reverse("pricing:pricelist_detail", args=[price_list.pk])).content.decode()
    assert "35\xa0583,33" in detail


def test_a_negative_or_unreadable_amount_is_refused_and_nothing_is_saved(client, administrator, price_list, agencies):
    client.force_login(administrator)
    sdf, ff = agencies["SDF07"].pk, agencies["FF02"].pk
    response = client.post(_url(price_list), {f"agency_{sdf}": "-1", f"agency_{ff}": "12,345"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[f"agency_{sdf}"] and form.errors[f"agency_{ff}"]
    assert _amounts(price_list) == {}


def test_a_frozen_list_shows_the_amounts_and_refuses_a_change(client, administrator, price_list, agencies):
    services.set_monthly_amounts(price_list=price_list, item_code="fixed_base", amounts={agencies["SDF07"]: BASE})
    services.freeze_price_list(price_list=price_list)
    client.force_login(administrator)
    page = client.get(_url(price_list))
    assert page.status_code == 200
    assert "2012 v1 är låst" in " ".join(str(m) for m in page.context["messages"])
    response = client.post(_url(price_list), {f"agency_{agencies['SDF07'].pk}": "1,00"})
    assert response.status_code == 400
    assert "är låst" in response.context["form"].non_field_errors()[0]
    assert _amounts(price_list) == {"SDF07": BASE}


def test_a_per_unit_item_has_no_amounts_page(client, administrator, price_list):
    client.force_login(administrator)
    assert client.get(_url(price_list, "self_service")).status_code == 404


def test_finance_reads_the_amounts_but_cannot_change_them(client, finance, price_list, agencies):
    services.set_monthly_amounts(price_list=price_list, item_code="fixed_base", amounts={agencies["SDF07"]: BASE})
    client.force_login(finance)
    text = client.get(reverse("pricing:pricelist_detail", args=[price_list.pk])).content.decode()
    assert "SDF07" in text and _url(price_list) not in text
    assert client.post(_url(price_list), {f"agency_{agencies['SDF07'].pk}": "0"}).status_code == 403
    assert _amounts(price_list) == {"SDF07": BASE}
