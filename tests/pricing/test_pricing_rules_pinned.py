"""The pricing engine's rules that its mutation run (bench/mutation.md, issue #26) found unpinned: the item
checks' problems and messages, the refusals' wording, the agency amounts' bounds, the decision of a draft,
the fixed monthly lines and the copy of a version. Each test fails when the rule it is named for breaks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import ClosedPeriod
from pricing import services
from pricing.models import AgencyMonthlyAmount, PriceItem, PriceList
from pricing.services import ItemProblem, ItemSpec
from tests import factories

pytestmark = pytest.mark.django_db

FIXED = PriceItem.Kind.FIXED_MONTHLY


def _fixed_item(price_list, code="fixed_base"):
    return factories.PriceItemFactory(
        price_list=price_list, item_code=code, name="Fast månadsavgift", unit="månad", price="0", kind=FIXED
    )


# --- check_items -----------------------------------------------------------------------------


def test_every_problem_of_an_item_list_is_named_by_its_position_field_and_message():
    items = [
        ItemSpec("Bad Code", "Namn", "st", Decimal("1.00")),
        ItemSpec("twice", "Namn", "st", Decimal("1.00")),
        ItemSpec("twice", "   ", " ", Decimal("1.00")),
        ItemSpec("long", "n" * 201, "u" * 41, Decimal("1.00"), note="x" * 201),
        ItemSpec("kind", "Namn", "st", Decimal("1.00"), kind="yearly"),
        ItemSpec("fixed", "Namn", "månad", Decimal("1.00"), base_item_code="twice", kind=FIXED),
        ItemSpec("nan", "Namn", "st", Decimal("NaN")),
        ItemSpec("negative", "Namn", "st", Decimal("-1.00")),
        ItemSpec("ore", "Namn", "st", Decimal("1.005")),
        ItemSpec("self", "Namn", "st", Decimal("1.00"), base_item_code="self"),
        ItemSpec("orphan", "Namn", "st", Decimal("1.00"), base_item_code="nowhere"),
        ItemSpec("cheap", "Namn", "st", Decimal("1.00"), base_item_code="dear"),
        ItemSpec("dear", "Namn", "st", Decimal("2.00")),
    ]
    with translation.override("en"):
        problems = services.check_items(items)
    assert problems == [
        ItemProblem(0, "item_code", "use lower-case letters, digits, - and _ (at most 40)"),
        ItemProblem(2, "item_code", "twice appears twice"),
        ItemProblem(2, "name", "a name is required"),
        ItemProblem(2, "unit", "a unit is required (payslip, hour, case, ...)"),
        ItemProblem(3, "name", "at most 200 characters"),
        ItemProblem(3, "unit", "at most 40 characters"),
        ItemProblem(3, "note", "at most 200 characters"),
        ItemProblem(4, "kind", "not a kind of item"),
        ItemProblem(5, "base_item_code", "a fixed monthly item includes no base item"),
        ItemProblem(6, "price", "not a price"),
        ItemProblem(7, "price", "a price cannot be negative"),
        ItemProblem(8, "price", "at most two decimals and 12 digits"),
        ItemProblem(9, "base_item_code", "an item cannot include itself"),
        ItemProblem(10, "base_item_code", "nowhere is not an item of this price list"),
        ItemProblem(11, "price", "the price is lower than the included base item dear (2.00)"),
    ]


def test_an_item_leading_into_a_circle_of_base_items_is_refused_with_the_circle():
    items = [
        ItemSpec("lead", "Namn", "st", Decimal("3.00"), base_item_code="ring_a"),
        ItemSpec("ring_a", "Namn", "st", Decimal("3.00"), base_item_code="ring_b"),
        ItemSpec("ring_b", "Namn", "st", Decimal("3.00"), base_item_code="ring_a"),
    ]
    with translation.override("en"):
        problems = services.check_items(items)
    assert problems == [ItemProblem(i, "base_item_code", "the base items go round in a circle") for i in range(3)]


def test_a_refused_item_list_names_each_item_by_its_code_or_its_position():
    items = [
        ItemSpec("manual", "Manuell", "st", Decimal("-5.00")),
        ItemSpec("", "Utan kod", "st", Decimal("1.00")),
    ]
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.create_price_list(year=2012, items=items)
    assert refused.value.messages == [
        "manual, price: a price cannot be negative",
        "#2, item_code: use lower-case letters, digits, - and _ (at most 40)",
    ]


# --- first day and closed months -------------------------------------------------------------


def test_a_first_day_outside_the_lists_year_is_refused_on_the_first_day():
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.create_price_list(year=2012, effective_from=dt.date(2013, 1, 1), items=[])
    assert refused.value.message_dict == {"effective_from": ["The first day must be in 2012."]}


def test_a_list_cannot_start_on_the_last_day_of_a_closed_month_and_the_refusal_gives_the_first_day_allowed():
    ClosedPeriod.objects.create(period="2012-02")
    ClosedPeriod.objects.create(period="2012-03")
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.create_price_list(year=2012, effective_from=dt.date(2012, 3, 31), items=[])
    assert refused.value.message_dict == {
        "effective_from": [
            "2012-03 is closed and invoiced: a price list version can start on 2012-04-01 at the earliest."
        ]
    }
    price_list = services.create_price_list(year=2012, effective_from=dt.date(2012, 4, 1), items=[], note="April")
    assert (price_list.version, price_list.effective_from, price_list.note) == (1, dt.date(2012, 4, 1), "April")


# --- decide, draft, freeze -------------------------------------------------------------------


def test_deciding_a_draft_records_when_and_by_whom_in_the_database(administrator):
    draft = factories.PriceListFactory(year=2012, decided=False)
    before = dt.datetime.now(dt.UTC)
    services.decide_price_list(price_list=draft, user=administrator)
    stored = PriceList.objects.get(pk=draft.pk)
    assert stored.decided is True
    assert stored.decided_by == administrator
    assert stored.decided_at is not None and stored.decided_at >= before - dt.timedelta(seconds=1)


def test_a_decided_list_cannot_be_decided_again_and_the_refusal_names_it(administrator):
    price_list = factories.PriceListFactory(year=2012, version=2)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.decide_price_list(price_list=price_list, user=administrator)
    assert refused.value.messages == ["2012 v2 is already decided."]


def test_a_draft_starting_in_a_closed_month_cannot_be_decided(administrator):
    ClosedPeriod.objects.create(period="2012-05")
    draft = factories.PriceListFactory(year=2012, effective_from=dt.date(2012, 5, 31), decided=False)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.decide_price_list(price_list=draft, user=administrator)
    assert "effective_from" in refused.value.message_dict
    assert PriceList.objects.get(pk=draft.pk).decided is False


def test_making_a_decided_list_a_draft_forgets_the_decision_in_the_database(administrator):
    price_list = factories.PriceListFactory(year=2012, decided=False)
    services.decide_price_list(price_list=price_list, user=administrator)
    services.mark_as_draft(price_list=price_list)
    stored = PriceList.objects.get(pk=price_list.pk)
    assert (stored.decided, stored.decided_at, stored.decided_by) == (False, None, None)


def test_a_frozen_list_cannot_be_made_a_draft():
    price_list = factories.PriceListFactory(year=2012)
    services.freeze_price_list(price_list=price_list)
    with pytest.raises(services.PriceListFrozen):
        services.mark_as_draft(price_list=price_list)
    assert PriceList.objects.get(pk=price_list.pk).decided is True


def test_a_draft_cannot_be_frozen_and_the_refusal_names_it():
    draft = factories.PriceListFactory(year=2012, version=3, decided=False)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.freeze_price_list(price_list=draft)
    assert refused.value.messages == ["2012 v3 is a draft: record the decision before it can be frozen."]
    assert PriceList.objects.get(pk=draft.pk).frozen_at is None


def test_a_draft_is_never_the_list_in_force():
    factories.PriceListFactory(year=2012, version=1)
    factories.PriceListFactory(year=2012, version=2, effective_from=dt.date(2012, 7, 1), decided=False)
    assert services.price_list_in_force("2012-08").version == 1


def test_the_versions_a_reissue_may_use_are_the_years_decided_ones_oldest_first():
    two = factories.PriceListFactory(year=2012, version=2, effective_from=dt.date(2012, 6, 1))
    one = factories.PriceListFactory(year=2012, version=1)
    factories.PriceListFactory(year=2012, version=3, effective_from=dt.date(2012, 9, 1), decided=False)
    factories.PriceListFactory(year=2011, version=1)
    assert list(services.versions_of_year("2012-10")) == [one, two]


# --- agency amounts --------------------------------------------------------------------------


def test_a_per_unit_item_takes_no_monthly_amounts_and_the_refusal_names_item_and_list(unit):
    price_list = factories.price_list_2012()
    agency = factories.AgencyFactory(unit=unit)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.set_monthly_amounts(price_list=price_list, item_code="manual", amounts={agency: Decimal("1.00")})
    assert refused.value.messages == ["manual is not a fixed monthly item of 2012 v1."]


def test_another_versions_fixed_item_does_not_make_the_code_fixed_in_this_list(unit):
    _fixed_item(factories.PriceListFactory(year=2011))
    price_list = factories.PriceListFactory(year=2012)
    agency = factories.AgencyFactory(unit=unit)
    with pytest.raises(ValidationError):
        services.set_monthly_amounts(price_list=price_list, item_code="fixed_base", amounts={agency: Decimal("1.00")})
    assert not AgencyMonthlyAmount.objects.exists()


@pytest.mark.parametrize("amount", [Decimal("-0.01"), Decimal("12.345"), Decimal("1000000000000.00"), 100])
def test_a_monthly_amount_that_is_not_sek_in_ore_within_the_limit_is_refused_with_the_agency(unit, amount):
    price_list = factories.PriceListFactory(year=2012)
    _fixed_item(price_list)
    agency = factories.AgencyFactory(unit=unit, name="Fastighetskontoret")
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.set_monthly_amounts(price_list=price_list, item_code="fixed_base", amounts={agency: amount})
    assert refused.value.messages == [
        f"{agency}: the amount per month must be SEK, not negative, with at most two decimals."
    ]
    assert not AgencyMonthlyAmount.objects.exists()


def test_a_monthly_amount_may_be_zero_under_a_krona_or_the_largest_price(unit):
    price_list = factories.PriceListFactory(year=2012)
    _fixed_item(price_list)
    amounts = {
        factories.AgencyFactory(unit=unit): Decimal("0.00"),
        factories.AgencyFactory(unit=unit): Decimal("0.50"),
        factories.AgencyFactory(unit=unit): services.MAX_PRICE,
    }
    services.set_monthly_amounts(price_list=price_list, item_code="fixed_base", amounts=amounts)
    stored = dict(AgencyMonthlyAmount.objects.values_list("agency", "amount"))
    assert stored == {agency.pk: amount for agency, amount in amounts.items()}


# --- fixed monthly lines and who pays them ---------------------------------------------------


def test_the_fixed_monthly_line_is_one_month_of_the_agencys_own_amount_in_this_list(unit):
    price_list = factories.PriceListFactory(year=2012)
    item = _fixed_item(price_list)
    other_list = factories.PriceListFactory(year=2012, version=2, effective_from=dt.date(2012, 12, 1))
    other_item = _fixed_item(other_list)
    agency, other, nothing = (factories.AgencyFactory(unit=unit) for _ in range(3))
    # The two charged rows' ids are two apart and the two agencies' one: no row id stands in for an agency's.
    AgencyMonthlyAmount.objects.create(item=other_item, agency=agency, amount=Decimal("900.00"))
    AgencyMonthlyAmount.objects.create(item=item, agency=other, amount=Decimal("700.00"))
    AgencyMonthlyAmount.objects.create(item=other_item, agency=nothing, amount=Decimal("800.00"))
    AgencyMonthlyAmount.objects.create(item=item, agency=agency, amount=Decimal("0.50"))
    AgencyMonthlyAmount.objects.create(item=item, agency=nothing, amount=Decimal("0.00"))
    row_ids = set(AgencyMonthlyAmount.objects.filter(item=item, amount__gt=0).values_list("pk", flat=True))
    assert row_ids != {agency.pk, other.pk}
    lines = services.price_lines(agency=agency, period="2012-03", quantities={}, price_list=price_list)
    assert lines == [
        services.PricedLine(
            item_code="fixed_base",
            name="Fast månadsavgift",
            unit="månad",
            quantity=Decimal(1),
            unit_price=Decimal("0.50"),
            amount=Decimal("0.50"),
            base_price=None,
            surcharge=None,
            price_list_id=price_list.pk,
        )
    ]
    assert services.price_lines(agency=nothing, period="2012-03", quantities={}, price_list=price_list) == []
    # An agency charged only by another version (nothing) or charged zero is not charged by this one.
    assert services.agencies_with_fixed_monthly(price_list) == {agency.pk, other.pk}


def test_a_fixed_monthly_item_is_never_priced_by_quantity():
    price_list = factories.price_list_2012()
    _fixed_item(price_list)
    with pytest.raises(services.UnknownPriceItem):
        services.price_lines(agency=None, period="2012-03", quantities={"fixed_base": 1}, fixed_monthly=False)


# --- writing items and versions --------------------------------------------------------------


def test_an_edit_that_changes_every_field_of_an_item_is_saved():
    price_list = services.create_price_list(
        year=2012, items=[ItemSpec("lisa_tid", "Lön via Lisa Tid", "lönespec", Decimal("58.00"))]
    )
    services.update_price_list(
        price_list=price_list,
        effective_from=dt.date(2012, 1, 1),
        items=[ItemSpec("lisa_tid", "Tid", "månad", Decimal("60.00"), note="ny", kind=FIXED)],
    )
    item = PriceItem.objects.get(price_list=price_list, item_code="lisa_tid")
    assert (item.name, item.unit, item.price, item.note, item.kind) == ("Tid", "månad", Decimal("60.00"), "ny", FIXED)


def test_an_item_that_is_no_longer_fixed_monthly_loses_its_agency_amounts(unit):
    price_list = services.create_price_list(
        year=2012, items=[ItemSpec("fixed_base", "Fast", "månad", Decimal("0.00"), kind=FIXED)]
    )
    agency = factories.AgencyFactory(unit=unit)
    services.set_monthly_amounts(price_list=price_list, item_code="fixed_base", amounts={agency: Decimal("10.00")})
    services.update_price_list(
        price_list=price_list,
        effective_from=dt.date(2012, 1, 1),
        items=[ItemSpec("fixed_base", "Fast", "månad", Decimal("0.00"))],
    )
    assert not AgencyMonthlyAmount.objects.exists()


def test_a_new_version_keeps_the_fixed_items_and_every_agencys_amount(unit):
    price_list = factories.PriceListFactory(year=2012)
    item = _fixed_item(price_list)
    first, second = factories.AgencyFactory(unit=unit), factories.AgencyFactory(unit=unit)
    AgencyMonthlyAmount.objects.create(item=item, agency=first, amount=Decimal("100.00"))
    AgencyMonthlyAmount.objects.create(item=item, agency=second, amount=Decimal("250.50"))
    copy = services.new_price_list_version(price_list=price_list, effective_from=dt.date(2012, 6, 1))
    assert copy.items.get(item_code="fixed_base").kind == FIXED
    copied = AgencyMonthlyAmount.objects.filter(item__price_list=copy)
    assert {(row.item.item_code, row.agency_id, row.amount) for row in copied} == {
        ("fixed_base", first.pk, Decimal("100.00")),
        ("fixed_base", second.pk, Decimal("250.50")),
    }
    # The old version keeps its own amounts.
    assert AgencyMonthlyAmount.objects.filter(item=item).count() == 2
