"""Pricing an agency's month (invoicing.services.month.price_month) as the rules the drafts and the
close rely on: only the agencies asked for, with the price list asked for, the lines in the price
list's order, the fixed monthly amount once on the month's own lines, and a month that cannot be
priced held with its reason while the other agencies are priced."""

import datetime as dt
from decimal import Decimal

import pytest

from invoicing.services.month import price_month
from pricing import services as pricing
from pricing.models import PriceItem
from tests import factories

pytestmark = pytest.mark.django_db
PERIOD = "2012-03"


@pytest.fixture
def price_list(db):
    price_list = factories.price_list_2012()
    _fixed_item(price_list)
    return price_list


def _fixed_item(price_list):
    factories.fixed_monthly_item(price_list)


@pytest.fixture
def agencies(unit):
    return [factories.AgencyFactory(code=code, unit=unit) for code in ("A1", "B1", "C1")]


def _addon_hours(agency, item_code, hours="2.50"):
    agreement = factories.AddonAgreementFactory(agency=agency, item_code=item_code, valid_from=dt.date(2012, 1, 1))
    factories.AddonHoursFactory(agreement=agreement, period=PERIOD, hours=Decimal(hours))


def _codes(month):
    return [(entry.line.item_code, entry.late_from_period) for entry in month.lines]


def test_only_the_agencies_asked_for_are_priced_also_those_with_a_fixed_amount(price_list, agencies):
    a, b, c = agencies
    factories.add_cases(a, PERIOD, self_service=2)
    factories.add_cases(b, PERIOD, self_service=1)
    pricing.set_monthly_amounts(price_list=price_list, item_code="fixed_base", amounts={b: Decimal("100.00")})
    assert [month.agency for month in price_month(period=PERIOD, agencies=[a, c])] == [a]
    assert [month.agency for month in price_month(period=PERIOD, agencies=[b])] == [b]
    assert [month.agency for month in price_month(period=PERIOD)] == [a, b]


def test_a_month_is_priced_with_the_price_list_asked_for(price_list, agencies):
    a, b, _c = agencies
    reissue = pricing.new_price_list_version(price_list=price_list, effective_from=dt.date(2012, 6, 1))
    PriceItem.objects.filter(price_list=price_list, item_code="addon_hour").update(unit="st")
    PriceItem.objects.filter(price_list=reissue, item_code="self_service").update(price=Decimal("60"))
    PriceItem.objects.filter(price_list=reissue, item_code="addon_hour").update(unit=" Timmar ")
    pricing.set_monthly_amounts(price_list=reissue, item_code="fixed_base", amounts={b: Decimal("100.00")})
    factories.add_cases(a, PERIOD, self_service=2)
    _addon_hours(a, "addon_hour")
    in_force = price_month(period=PERIOD)
    assert [(month.agency, bool(month.held_reason)) for month in in_force] == [(a, True)]  # "st" is not hours
    priced = price_month(period=PERIOD, price_list=reissue)
    assert [(month.agency, month.held_reason) for month in priced] == [(a, ""), (b, "")]
    lines = {entry.line.item_code: entry.line for entry in priced[0].lines}
    assert lines["self_service"].unit_price == Decimal("60")
    assert {line.price_list_id for line in lines.values()} == {reissue.pk}
    assert [(line.item_code, line.amount) for line in (entry.line for entry in priced[1].lines)] == [
        ("fixed_base", Decimal("100.00"))
    ]


def test_lines_follow_the_price_lists_order_and_the_fixed_amount_comes_once_with_the_months_own_lines(
    price_list, agencies
):
    a, _b, _c = agencies
    pricing.set_monthly_amounts(price_list=price_list, item_code="fixed_base", amounts={a: Decimal("100.00")})
    factories.add_cases(a, PERIOD, agresso=1, manual=1, self_service=1, girovision=1)
    factories.add_cases(a, "2012-02", billing_period=PERIOD, manual=1, self_service=1)
    factories.decided_pension_case(agency=a)
    _addon_hours(a, "addon_hour")
    (month,) = price_month(period=PERIOD)
    assert _codes(month) == [
        ("self_service", ""),
        ("manual", ""),
        ("agresso", ""),
        ("girovision", ""),
        ("pension_case", ""),
        ("addon_hour", ""),
        ("fixed_base", ""),
        ("self_service", "2012-02"),
        ("manual", "2012-02"),
    ]
    amounts = [entry.line.amount for entry in month.lines]
    assert month.total == sum(amounts[1:], start=amounts[0])


def test_a_month_that_cannot_be_priced_is_held_with_its_reason_and_the_others_are_priced(price_list, agencies):
    a, b, c = agencies
    _addon_hours(a, "pension_case")  # pension cases are priced per case, not per hour
    _addon_hours(b, "coaching")  # an item the price list does not have
    factories.add_cases(c, PERIOD, self_service=3)
    held_a, held_b, priced = price_month(period=PERIOD)
    for month, agency, code in ((held_a, a, "pension_case"), (held_b, b, "coaching")):
        assert (month.agency, month.period, month.lines) == (agency, PERIOD, [])
        assert code in month.held_reason and str(price_list) in month.held_reason
        assert set(month.specification) == {"sources", "cases"} and month.specification["cases"] == []
        assert [(row["item_code"], row["source"]) for row in month.specification["sources"]] == [(code, "addon_hours")]
        assert month.total == 0
    assert (priced.agency, priced.period, priced.held_reason) == (c, PERIOD, "")
    assert priced.specification == {
        "sources": [{"item_code": "self_service", "period": PERIOD, "source": "payslip_file", "quantity": "3"}],
        "cases": [],
    }
    assert [(entry.line.item_code, entry.line.amount) for entry in priced.lines] == [
        ("self_service", 3 * Decimal("58"))
    ]
    assert priced.total == 3 * Decimal("58")
