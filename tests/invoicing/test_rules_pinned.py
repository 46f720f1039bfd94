"""Invoicing rules pinned one by one, so that a change to any of them is noticed."""

import datetime as dt
from decimal import Decimal

import pytest

from customers.models import Agency
from invoicing.models import CloseJob, Invoice
from invoicing.services import close, invoices, month
from pricing.models import PriceList
from tests import factories


def _close(period):
    job = close.run_close_job(CloseJob.objects.create(period=period, trigger="test").pk)
    assert job.state == CloseJob.State.DONE, job.error


def test_issuing_an_invoice_freezes_the_price_lists_that_priced_it_and_no_other(month_of_work, price_list):
    next_year = factories.price_list_2012(year=2013)
    agency = month_of_work["a"]
    lines = month.price_agency_month(agency=agency, period="2012-03", quantities={"self_service": 2})
    invoice = invoices.issue_invoice(agency=agency, period="2012-03", lines=lines, invoice_date=dt.date(2012, 4, 10))
    assert invoice.price_list == price_list
    assert PriceList.objects.get(pk=price_list.pk).frozen_at is not None
    assert PriceList.objects.get(pk=next_year.pk).frozen_at is None


def test_a_frozen_list_keeps_the_time_of_its_first_freeze(month_of_work, price_list):
    _close("2012-03")
    first = PriceList.objects.get(pk=price_list.pk).frozen_at
    factories.add_cases(month_of_work["a"], "2012-04", manual=1)
    _close("2012-04")
    assert PriceList.objects.get(pk=price_list.pk).frozen_at == first


def test_a_credit_note_copies_the_buyer_of_the_original_not_the_agency_as_it_is_now(month_of_work, finance):
    _close("2012-03")
    original = Invoice.objects.get(agency=month_of_work["a"])
    Agency.objects.filter(pk=month_of_work["a"].pk).update(
        name="Nytt namn", address="Ny gata 1", billing_reference="REF-NY"
    )
    note = invoices.credit_invoice(invoice=original, user=finance, reason="Fel kanal")
    buyer = (note.agency_code, note.agency_name, note.agency_address, note.billing_reference)
    assert buyer == (original.agency_code, "Stadsdelsförvaltning Ett", original.agency_address, "REF-1001")


def test_a_reissue_prices_its_own_month_with_its_late_work(month_of_work, finance):
    agency = month_of_work["a"]
    _close("2012-03")
    factories.add_cases(agency, "2012-03", billing_period="2012-04", manual=2)
    factories.add_cases(agency, "2012-04", manual=1)
    _close("2012-04")
    factories.add_cases(agency, "2012-05", agresso=4)  # the open month's work stays out
    april = Invoice.objects.get(agency=agency, period="2012-04")
    invoices.credit_invoice(invoice=april, user=finance, reason="Fel")
    again = invoices.reissue_invoice(agency=agency, period="2012-04", user=finance, reason="Rättad")
    lines = sorted((line.item_code, line.quantity, line.late_from_period) for line in again.lines.all())
    assert lines == [("manual", Decimal("1"), ""), ("manual", Decimal("2"), "2012-03")]
    assert (again.period, again.total) == ("2012-04", Decimal("285.00"))


def test_a_month_is_never_priced_by_another_years_list(price_list):
    from pricing import services as pricing

    assert pricing.price_list_in_force("2012-12") == price_list
    with pytest.raises(pricing.NoPriceList):
        pricing.price_list_in_force("2013-01")  # the 2012 prices do not run on into a year without a list
