"""Pricing a month for the close (``invoicing.services.month.price_month``): what is the same for every
agency is read once, and the rules an agency is held by stay as they were (issue 23: the close of 330
agencies)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from invoicing.services.month import price_month
from tests import factories

pytestmark = pytest.mark.django_db

PER_INVOICE = 11  # queries; 15 before the close read the list, the hours, the freeze and the series once


def _agencies_with_work(unit, count: int, *, start: int = 0):
    agencies = []
    for n in range(start, start + count):
        agency = factories.AgencyFactory(code=f"A{n:02d}", unit=unit)
        factories.add_cases(agency, "2012-03", self_service=2)
        agencies.append(agency)
    return agencies


def _queries_of_price_month() -> int:
    with CaptureQueriesContext(connection) as queries:
        price_month(period="2012-03")
    return len(queries)


def test_pricing_the_month_reads_the_list_in_force_and_the_add_on_hours_once_not_per_agency(unit):
    factories.price_list_2012()
    _agencies_with_work(unit, 2)
    two = _queries_of_price_month()
    _agencies_with_work(unit, 4, start=2)
    six = _queries_of_price_month()
    # Each further agency costs its price items and its fixed monthly amounts, nothing more: no
    # reading of the list in force, nor of the month's add-on hours, once an agency.
    assert (six - two) / 4 <= 2


def test_a_month_without_a_price_list_holds_every_agency_with_the_reason(unit):
    a, b = _agencies_with_work(unit, 2)
    with translation.override("en"):
        months = price_month(period="2012-03")
    assert [month.agency for month in months] == [a, b]
    assert all(month.lines == [] for month in months)
    assert {month.held_reason for month in months} == {"There is no price list in force for 2012-03."}
    assert [month.specification["sources"][0]["quantity"] for month in months] == ["2", "2"]


def test_one_agencys_add_on_at_a_payslip_item_holds_it_and_prices_the_others(unit):
    factories.price_list_2012()
    good, bad = _agencies_with_work(unit, 2)
    factories.AddonHoursFactory(agreement__agency=good, agreement__item_code="addon_hour", hours=Decimal("1.5"))
    factories.AddonHoursFactory(agreement__agency=bad, agreement__item_code="self_service", hours=Decimal("8"))
    months = {month.agency: month for month in price_month(period="2012-03")}
    assert months[bad].lines == [] and "self_service" in months[bad].held_reason
    assert months[good].held_reason == ""
    assert {entry.line.item_code: entry.line.quantity for entry in months[good].lines} == {
        "self_service": Decimal("2"),
        "addon_hour": Decimal("1.5"),
    }


def _queries_of_the_close() -> int:
    from invoicing.services.close import close_month

    with CaptureQueriesContext(connection) as queries:
        issued = close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    assert issued
    return len(queries)


def test_each_further_invoice_of_the_close_reads_no_list_and_no_series_row_again(unit):
    from django.db import transaction

    factories.price_list_2012()
    _agencies_with_work(unit, 2)
    with transaction.atomic():
        two = _queries_of_the_close()
        transaction.set_rollback(True)
    _agencies_with_work(unit, 4, start=2)
    six = _queries_of_the_close()
    # An invoice: its price items and fixed amounts, its number (an UPDATE and its read), its rows,
    # the agency's notice; the list in force, the add-on hours, the freeze and the series are not
    # looked up again for it.
    assert (six - two) / 4 <= PER_INVOICE
