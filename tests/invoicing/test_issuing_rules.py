"""Crediting and reissuing invoices, pinned rule by rule by mutation testing (`make mutation`, module
"invoicing", bench/mutation.md): each test fails when the rule it is named for breaks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from core.models import ClosedPeriod
from invoicing.models import Invoice
from invoicing.services import close, invoices, month
from pricing.models import PriceItem, PriceList
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(month_of_work):
    """March 2012 closed and invoiced with the 2012 list (v1); then a cheaper version in force for
    March, made as one could be before versions had to start after the closed months."""
    close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    v1 = PriceList.objects.get(year=2012, version=1)
    cheap = PriceList.objects.create(year=2012, version=2, effective_from=dt.date(2012, 3, 1))
    for item in v1.items.all():
        PriceItem.objects.create(price_list=cheap, item_code=item.item_code, name=item.name, unit=item.unit, price=1)
    return {**month_of_work, "v1": v1, "cheap": cheap}


def _invoice(agency, period="2012-03"):
    return Invoice.objects.get(agency=agency, period=period, kind=Invoice.Kind.INVOICE, credit_note__isnull=True)


def _credit(invoice, finance):
    return invoices.credit_invoice(invoice=invoice, user=finance, reason="Fel", credit_date=dt.date(2012, 4, 20))


def test_a_credit_note_without_any_reason_is_refused_and_says_why(march, finance):
    original = _invoice(march["a"])
    for reason in (None, ""):
        with translation.override("en"), pytest.raises(invoices.InvoiceError) as refused:
            invoices.credit_invoice(invoice=original, user=finance, reason=reason)
        assert str(refused.value) == "Give the reason for the credit note."
    assert not Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).exists()


def test_crediting_a_credit_note_is_refused_and_says_why(march, finance):
    note = _credit(_invoice(march["a"]), finance)
    with translation.override("en"), pytest.raises(invoices.InvoiceError) as refused:
        invoices.credit_invoice(invoice=note, user=finance, reason="Igen")
    assert str(refused.value) == "A credit note cannot be credited."


def test_a_credit_note_keeps_the_revision_of_the_invoice_it_credits(march, finance):
    _credit(_invoice(march["a"]), finance)
    second = invoices.reissue_invoice(agency=march["a"], period="2012-03", user=finance, reason="Rättad")
    note = _credit(second, finance)
    assert (second.revision, note.revision) == (2, 2)


def test_a_reissue_prices_with_the_replaced_invoices_list_not_the_one_in_force_now(march, finance):
    original = _invoice(march["a"])
    _credit(original, finance)
    again = invoices.reissue_invoice(agency=march["a"], period="2012-03", user=finance)
    assert (again.price_list, again.total) == (march["v1"], original.total)
    assert invoices.reissue_price_list(agency=march["a"], period="2012-03") == march["v1"]


def test_a_reissue_takes_the_list_of_the_agencys_own_invoice_of_that_month(march, finance):
    # Another agency's invoice of the month, and the agency's own invoice of another month, are of a
    # later revision and priced with the cheap list: neither decides the list of the agency's March.
    b = march["b"]
    _credit(_invoice(b), finance)
    invoices.reissue_invoice(agency=b, period="2012-03", user=finance, price_list=march["cheap"])
    factories.add_cases(march["a"], "2012-04", manual=1)
    close.close_month(period="2012-04", invoice_date=dt.date(2012, 5, 10))
    _credit(_invoice(march["a"], "2012-04"), finance)
    invoices.reissue_invoice(agency=march["a"], period="2012-04", user=finance)
    assert _invoice(march["a"], "2012-04").price_list == march["cheap"]
    original = _invoice(march["a"])
    _credit(original, finance)
    again = invoices.reissue_invoice(agency=march["a"], period="2012-03", user=finance)
    assert (again.price_list, again.total) == (march["v1"], original.total)


def test_finance_may_price_a_reissue_with_another_version_of_the_year(march, finance):
    _credit(_invoice(march["a"]), finance)
    chosen = invoices.reissue_invoice(agency=march["a"], period="2012-03", user=finance, price_list=march["cheap"])
    assert (chosen.price_list, chosen.total) == (march["cheap"], Decimal("6.00"))  # 3 + 2 + 1 at 1 kr


def test_a_list_of_another_year_is_refused_for_a_reissue_and_says_so(march, finance):
    _credit(_invoice(march["a"]), finance)
    later = PriceList.objects.create(year=2013, version=1, effective_from=dt.date(2013, 1, 1))
    with translation.override("en"), pytest.raises(invoices.InvoiceError) as refused:
        invoices.reissue_invoice(agency=march["a"], period="2012-03", user=finance, price_list=later)
    assert str(refused.value) == "Price list 2013 v1 is not a version of 2012."
    assert not Invoice.objects.filter(revision=2).exists()


def test_a_reissue_keeps_the_months_specification_its_date_its_user_and_its_reason(march, finance):
    original = _invoice(march["a"])
    _credit(original, finance)
    again = invoices.reissue_invoice(
        agency=march["a"], period="2012-03", user=finance, reason="Rättad", invoice_date=dt.date(2012, 4, 21)
    )
    (expected,) = month.price_month(period="2012-03", agencies=[march["a"]], price_list=march["v1"])
    assert again.specification == expected.specification and again.specification["sources"]
    assert again.specification == original.specification
    assert (again.invoice_date, again.issued_by, again.reason) == (dt.date(2012, 4, 21), finance, "Rättad")


def test_a_reissue_without_a_reason_records_none(march, finance):
    _credit(_invoice(march["a"]), finance)
    assert invoices.reissue_invoice(agency=march["a"], period="2012-03", user=finance).reason == ""


def test_a_month_the_close_did_not_invoice_is_invoiced_as_its_first_revision(march, finance):
    # Work registered late in the closed month for an agency the close had nothing to invoice.
    factories.add_cases(march["idle"], "2012-03", manual=1)
    assert invoices.reissue_price_list(agency=march["idle"], period="2012-03") is None
    first = invoices.reissue_invoice(agency=march["idle"], period="2012-03", user=finance)
    assert (first.revision, first.total) == (1, Decimal("1.00"))  # the list in force: the cheap version


def test_a_reissue_of_a_month_without_work_is_refused_and_says_so(march, finance):
    with translation.override("en"), pytest.raises(invoices.InvoiceError) as refused:
        invoices.reissue_invoice(agency=march["idle"], period="2012-03", user=finance)
    assert str(refused.value) == "There is nothing to invoice for FF03 in 2012-03."
    assert not Invoice.objects.filter(agency=march["idle"]).exists()


def test_a_reissue_for_a_month_not_closed_says_so(month_of_work, finance):
    assert not ClosedPeriod.objects.filter(period="2012-03").exists()
    with translation.override("en"), pytest.raises(invoices.InvoiceError) as refused:
        invoices.reissue_invoice(agency=month_of_work["a"], period="2012-03", user=finance)
    assert str(refused.value) == "2012-03 is not closed yet: the monthly close issues its invoices."


def test_a_credit_note_keeps_which_lines_were_late_work_of_an_earlier_month(march, finance):
    factories.add_cases(march["a"], "2012-03", billing_period="2012-04", manual=2)
    factories.add_cases(march["a"], "2012-04", manual=1)
    close.close_month(period="2012-04", invoice_date=dt.date(2012, 5, 10))
    note = _credit(_invoice(march["a"], "2012-04"), finance)
    lines = sorted((line.quantity, line.late_from_period) for line in note.lines.all())
    assert lines == [(Decimal("-2"), "2012-03"), (Decimal("-1"), "")]


@pytest.mark.django_db(transaction=True)  # outside the test's own transaction
def test_a_number_is_allocated_only_inside_the_issuing_transaction_and_says_so():
    from invoicing.models import InvoiceNumberSeries

    with pytest.raises(RuntimeError) as refused:
        invoices.allocate_number(year=2012)
    assert str(refused.value) == "allocate_number must run inside the issuing transaction"
    assert not InvoiceNumberSeries.objects.filter(year=2012, last_number__gt=0).exists()
