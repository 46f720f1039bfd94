"""The prices of an invoiced month cannot be changed afterwards (issue 14, item 6).

A new price list version starting on the same day as the frozen one became the list in force for
months already invoiced, and a credit and reissue then re-priced an invoice from 107,745 to 1,453
SEK. A version may only start after every closed month, and a reissue prices with the list of the
invoice it replaces unless finance chooses another (the invoice page names its list).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from invoicing.models import Invoice
from invoicing.services import close
from invoicing.services import invoices as invoice_service
from pricing import services as pricing
from pricing.models import PriceItem, PriceList
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoiced_march(unit, finance):
    v1 = factories.price_list_2012()
    agency = factories.AgencyFactory(code="PRIS", unit=unit)
    factories.add_cases(agency, "2012-03", self_service=10, manual=2)
    (invoice,) = close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    return {"v1": v1, "agency": agency, "invoice": invoice}


@pytest.mark.parametrize("first_day", [dt.date(2012, 1, 1), dt.date(2012, 3, 1), dt.date(2012, 3, 31)])
def test_a_new_version_cannot_start_in_or_before_a_closed_month(invoiced_march, first_day):
    with pytest.raises(ValidationError) as refused:
        pricing.new_price_list_version(price_list=invoiced_march["v1"], effective_from=first_day)
    assert "2012-04-01" in str(refused.value)
    assert PriceList.objects.count() == 1


def test_a_version_after_the_closed_months_is_made_and_cannot_be_moved_back(invoiced_march):
    v2 = pricing.new_price_list_version(price_list=invoiced_march["v1"], effective_from=dt.date(2012, 4, 1))
    items = [
        pricing.ItemSpec(item_code=i.item_code, name=i.name, unit=i.unit, price=i.price, base_item_code="")
        for i in v2.items.all()
    ]
    with pytest.raises(ValidationError):
        pricing.update_price_list(price_list=v2, effective_from=dt.date(2012, 3, 15), items=items)
    assert PriceList.objects.get(pk=v2.pk).effective_from == dt.date(2012, 4, 1)


def test_a_reissue_prices_with_the_replaced_invoices_list(invoiced_march, finance):
    original = invoiced_march["invoice"]
    # A cheaper version in force for March, as one made before the rule could be.
    cheap = PriceList.objects.create(year=2012, version=2, effective_from=dt.date(2012, 3, 1), copied_from_id=None)
    for item in invoiced_march["v1"].items.all():
        PriceItem.objects.create(price_list=cheap, item_code=item.item_code, name=item.name, unit=item.unit, price=1)
    invoice_service.credit_invoice(invoice=original, user=finance, reason="Fel referens")
    again = invoice_service.reissue_invoice(agency=invoiced_march["agency"], period="2012-03", user=finance)
    assert again.total == original.total and again.price_list_id == invoiced_march["v1"].pk

    invoice_service.credit_invoice(invoice=again, user=finance, reason="Nytt pris beslutat")
    chosen = invoice_service.reissue_invoice(
        agency=invoiced_march["agency"], period="2012-03", user=finance, price_list=cheap
    )
    assert chosen.total == Decimal("12.00") and chosen.price_list_id == cheap.pk


def test_the_invoice_page_names_its_price_list(client, finance, invoiced_march):
    client.force_login(finance)
    page = client.get(reverse("invoicing:invoice_detail", args=[invoiced_march["invoice"].pk])).content.decode()
    assert "2012 v1" in page
    assert Invoice.objects.get(pk=invoiced_march["invoice"].pk).price_list_id == invoiced_march["v1"].pk


# --- finance's choice of list, visibly, on the pages ---------------------------------------------


@pytest.fixture
def cheap_version(invoiced_march):
    # A cheaper version of the year, as one made before the rule on start days could be.
    cheap = PriceList.objects.create(year=2012, version=2, effective_from=dt.date(2012, 3, 1))
    for item in invoiced_march["v1"].items.all():
        PriceItem.objects.create(price_list=cheap, item_code=item.item_code, name=item.name, unit=item.unit, price=1)
    return cheap


def test_the_reissue_page_preselects_the_replaced_invoices_list(client, finance, invoiced_march, cheap_version):
    original = invoiced_march["invoice"]
    invoice_service.credit_invoice(invoice=original, user=finance, reason="Fel referens")
    client.force_login(finance)
    response = client.get(reverse("invoicing:invoice_reissue", args=[original.pk]))
    form = response.context["form"]
    assert list(form.fields["price_list"].queryset) == [invoiced_march["v1"], cheap_version]
    assert form["price_list"].value() == invoiced_march["v1"].pk
    page = response.content.decode()
    assert "2012 v1, från" in page and "(prissatte den ersatta fakturan)" in page and "2012 v2, från" in page


def test_a_reissue_from_the_page_keeps_the_list_and_says_so(client, finance, invoiced_march, cheap_version):
    original = invoiced_march["invoice"]
    invoice_service.credit_invoice(invoice=original, user=finance, reason="Fel referens")
    client.force_login(finance)
    response = client.post(reverse("invoicing:invoice_reissue", args=[original.pk]), follow=True)
    new = Invoice.objects.get(agency=invoiced_march["agency"], period="2012-03", revision=2)
    assert new.total == original.total and new.price_list_id == invoiced_march["v1"].pk
    assert new.reason == f"Ersätter {original.number}; prissatt med prislista 2012 v1"
    assert f"Ny faktura {new.number} utfärdad, prissatt med prislista 2012 v1." in response.content.decode()


def test_finance_may_choose_another_version_and_the_invoice_records_it(client, finance, invoiced_march, cheap_version):
    original = invoiced_march["invoice"]
    client.force_login(finance)
    client.post(
        reverse("invoicing:invoice_credit", args=[original.pk]),
        {"reason": "Nytt pris beslutat", "reissue": "on", "price_list": cheap_version.pk},
    )
    new = Invoice.objects.get(agency=invoiced_march["agency"], period="2012-03", revision=2)
    assert new.total == Decimal("12.00") and new.price_list_id == cheap_version.pk
    assert new.reason == f"Ersätter {original.number}; prissatt med prislista 2012 v2, vald i stället för 2012 v1"
    page = client.get(new.get_absolute_url()).content.decode()
    assert "vald i stället för 2012 v1" in page and "2012 v2" in page


def test_a_list_of_another_year_is_refused(client, finance, invoiced_march):
    original = invoiced_march["invoice"]
    invoice_service.credit_invoice(invoice=original, user=finance, reason="Fel referens")
    later = PriceList.objects.create(year=2013, version=1, effective_from=dt.date(2013, 1, 1))
    client.force_login(finance)
    response = client.post(reverse("invoicing:invoice_reissue", args=[original.pk]), {"price_list": later.pk})
    assert response.status_code == 200 and "price_list" in response.context["form"].errors
    assert not Invoice.objects.filter(revision=2).exists()
    with pytest.raises(invoice_service.InvoiceError):
        invoice_service.reissue_invoice(
            agency=invoiced_march["agency"], period="2012-03", user=finance, price_list=later
        )
