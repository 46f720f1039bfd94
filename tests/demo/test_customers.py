"""The demo organisation of 2012 (seed 000) and its price lists: complete, exact and idempotent."""

from decimal import Decimal

import pytest
from django.apps import apps

from customers.models import Agency, AgencyContact, ServiceAgreement
from customers.selectors import complaints_summary, customer_meetings
from demo import customers as customers_demo
from demo import pricing as pricing_demo
from demo import users as demo
from organisation.models import Unit
from pricing.models import PriceItem, PriceList
from pricing.services import price_lines, total

pytestmark = pytest.mark.django_db


def _load():
    customers_demo.load_organisation()
    users = demo.load_users()
    customers_demo.load(users=users)
    pricing_demo.load(users=users)


def _counts():
    return {
        m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in ("customers", "pricing")
    }


def test_the_2012_organisation_has_33_agencies_over_two_units():
    _load()
    assert Agency.objects.count() == 33
    assert Agency.objects.filter(kind="district").count() == 14
    assert Agency.objects.filter(kind="specialist").count() == 19
    assert set(Unit.objects.values_list("code", flat=True)) >= {"lon1", "lon2"}
    assert {Agency.objects.filter(unit__code=c).count() for c in ("lon1", "lon2")} == {16, 17}
    assert Unit.objects.get(code="lon2").teams.filter(name="Pensionsteam").exists()


def test_every_agency_has_a_2012_agreement_with_document_a_primary_contact_and_billing_details():
    _load()
    for agency in Agency.objects.all():
        agreement = ServiceAgreement.objects.get(agency=agency, year=2012)
        assert agreement.interface_document.read(5) == b"%PDF-"
        assert AgencyContact.objects.filter(agency=agency, is_primary=True).count() == 1
        assert agency.functional_mailbox.endswith("@example.se") and agency.billing_reference and agency.address


def test_meetings_and_complaints_give_the_pages_something_to_show():
    _load()
    meetings = customer_meetings(year=2012)
    assert meetings.total == 59 and not meetings.target_met
    assert len(meetings.below_target) == 7
    summary = complaints_summary(year=2012)
    assert summary.received == 10 and summary.still_open == 4


def test_the_2012_price_list_is_the_seeds():
    _load()
    price_list = PriceList.objects.get(year=2012)
    prices = dict(price_list.items.values_list("item_code", "price"))
    assert prices == {
        "self_service": Decimal("58.00"),
        "lisa_tid": Decimal("58.00"),
        "manual": Decimal("95.00"),
        "agresso": Decimal("145.00"),
        "girovision": Decimal("395.00"),
        "addon_hour": Decimal("390.00"),
        "pension_case": Decimal("1200.00"),
    }
    surcharges = {i.item_code: i.surcharge for i in price_list.items.filter(base_item__isnull=False)}
    assert surcharges == {"manual": Decimal("37"), "agresso": Decimal("50"), "girovision": Decimal("300")}
    # The demo's pension price is a price-list item like any other: illustrative in its note, not
    # in the name that invoices print (issue 15 item 7).
    pension = PriceItem.objects.get(price_list=price_list, item_code="pension_case")
    assert pension.name == "Pensionsärende" and "Demovärde" in pension.note
    lines = price_lines(
        agency=Agency.objects.first(), period="2012-03", quantities={"self_service": 12, "manual": 3, "girovision": 1}
    )
    assert total(lines) == Decimal("1376.00")
    # next year's list (the demo year is 2012 here): made up, and says so
    assert "DEMOVÄRDEN" in PriceList.objects.get(year=2013).note
    names = " ".join(PriceItem.objects.values_list("name", flat=True))
    assert "demo" not in names.lower()
    agency = Agency.objects.get(code="RK")
    assert (agency.account_code, agency.responsibility_code) == ("6420", "1410")


def test_loading_twice_changes_nothing_even_after_the_list_was_frozen():
    _load()
    before = _counts()
    from pricing.services import freeze_price_list

    freeze_price_list(price_list=PriceList.objects.get(year=2012))
    history = _counts()
    _load()
    assert _counts() == history
    assert {k: v for k, v in history.items() if "Historical" not in k} == {
        k: v for k, v in before.items() if "Historical" not in k
    }
