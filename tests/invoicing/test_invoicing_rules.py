"""Invoicing, numbering and the close's quantities, pinned rule by rule by mutation testing (`make mutation`,
bench/mutation.md): each test fails when the rule it is named for breaks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from invoicing.models import Invoice, InvoiceNumberSeries
from invoicing.services import invoices
from invoicing.services.month import LineInput
from pricing import services as pricing
from tests import factories

pytestmark = pytest.mark.django_db

APRIL_2ND = dt.date(2012, 4, 2)


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(
        code="SDF01",
        name="Stadsdelsförvaltning Ett",
        unit=unit,
        address="Box 7, 163 07 Spånga",
        billing_reference="REF-1001",
        responsibility_code="1410",
        account_code="7611",
        counterpart_code="1410",
    )


@pytest.fixture
def price_list(db):
    return factories.price_list_2012()


def _lines(agency, late_from_period="", **quantities):
    priced = pricing.price_lines(agency=agency, period="2012-03", quantities=quantities)
    return [LineInput(line, late_from_period=late_from_period) for line in priced]


def _issue(agency, **kwargs):
    lines = kwargs.pop("lines", None) or _lines(agency, self_service=3, manual=2, agresso=1)
    return invoices.issue_invoice(agency=agency, period="2012-03", lines=lines, invoice_date=APRIL_2ND, **kwargs)


def test_an_invoice_keeps_copies_of_the_agency_as_issued(agency, price_list, finance):
    invoice = _issue(agency, user=finance, reason="the close", specification={"sources": []})
    assert (invoice.kind, invoice.number, invoice.series_year, invoice.sequence) == ("invoice", "2012-00001", 2012, 1)
    assert (invoice.agency, invoice.unit_id, invoice.period, invoice.revision) == (agency, agency.unit_id, "2012-03", 1)
    assert (invoice.invoice_date, invoice.due_date) == (APRIL_2ND, dt.date(2012, 5, 2))  # 30 days to pay
    assert (invoice.agency_code, invoice.agency_name) == ("SDF01", "Stadsdelsförvaltning Ett")
    assert (invoice.agency_address, invoice.billing_reference) == ("Box 7, 163 07 Spånga", "REF-1001")
    assert (invoice.agency_org_number, invoice.agency_endpoint, invoice.buyer_reference) == (
        "212000-0142",
        "0007:2120000142",
        "REF-1001; ansvar 1410",
    )
    assert (invoice.responsibility_code, invoice.activity_code) == ("1410", "1100")
    assert (invoice.account_code, invoice.counterpart_code) == ("7611", "1410")
    assert invoice.total == Decimal("509.00")  # 3 × 58 + 2 × 95 + 145
    assert (invoice.price_list, invoice.issued_by, invoice.reason) == (price_list, finance, "the close")
    assert invoice.specification == {"sources": []}
    assert invoice.close_job is None


def test_an_invoice_keeps_every_lines_price_as_issued_in_order(agency, price_list):
    invoice = _issue(agency, lines=_lines(agency, late_from_period="2012-02", self_service=3, manual=2))
    lines = list(invoice.lines.order_by("position"))
    assert [(line.position, line.item_code, line.quantity) for line in lines] == [
        (1, "self_service", 3),
        (2, "manual", 2),
    ]
    manual = lines[1]
    assert (manual.name, manual.unit, manual.unit_price, manual.amount) == (
        "Manuell rapportering",
        "lönespec",
        Decimal("95.00"),
        Decimal("190.00"),
    )
    assert (manual.base_price, manual.surcharge, manual.late_from_period) == (
        Decimal("58.00"),
        Decimal("37.00"),
        "2012-02",
    )


def test_lines_of_quantity_zero_are_left_off_and_nothing_to_invoice_uses_no_number(agency, price_list):
    priced = _lines(agency, self_service=3, manual=2)
    zero = LineInput(pricing.PricedLine(**{**priced[1].line.__dict__, "quantity": Decimal("0")}))
    assert invoices.issue_invoice(agency=agency, period="2012-03", lines=[zero], invoice_date=APRIL_2ND) is None
    assert not InvoiceNumberSeries.objects.filter(year=2012, last_number__gt=0).exists()
    invoice = _issue(agency, lines=[priced[0], zero])
    assert invoice.number == "2012-00001"
    assert [line.item_code for line in invoice.lines.all()] == ["self_service"]


def test_numbers_run_per_year_of_the_invoice_date(agency, price_list):
    first = _issue(agency)
    other_year = invoices.issue_invoice(
        agency=agency,
        period="2012-03",
        lines=_lines(agency, manual=1),
        invoice_date=dt.date(2013, 1, 2),
        revision=2,
    )
    second = _issue(agency, revision=3)
    assert [first.number, second.number, other_year.number] == ["2012-00001", "2012-00002", "2013-00001"]
    assert (other_year.series_year, other_year.sequence) == (2013, 1)


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_the_issuing_transaction():
    with pytest.raises(RuntimeError):
        invoices.allocate_number(year=2012)
    with transaction.atomic():
        assert invoices.allocate_number(year=2012) == (1, "2012-00001")
        assert invoices.allocate_number(year=2012) == (2, "2012-00002")


def test_the_invoice_names_the_lowest_price_list_that_priced_it(agency, price_list):
    newer = pricing.new_price_list_version(price_list=price_list, effective_from=dt.date(2012, 3, 1))
    priced_old = pricing.price_lines(
        agency=agency, period="2012-03", quantities={"self_service": 1}, price_list=price_list
    )
    old_lines = [LineInput(line) for line in priced_old]
    priced = pricing.price_lines(agency=agency, period="2012-03", quantities={"manual": 1}, price_list=newer)
    new_lines = [LineInput(line) for line in priced]
    invoice = _issue(agency, lines=new_lines + old_lines)
    assert invoice.price_list == price_list
    price_list.refresh_from_db()
    newer.refresh_from_db()
    assert price_list.frozen_at and newer.frozen_at


def test_issuing_announces_the_invoice_to_webhooks_and_the_agency(agency, price_list, monkeypatch):
    sent, noticed = [], []
    monkeypatch.setattr(invoices.webhooks, "emit", lambda event, data, **kw: sent.append((event, data, kw)))
    monkeypatch.setattr(invoices.notices, "invoice_issued", noticed.append)
    invoice = _issue(agency)
    note = invoices.credit_invoice(invoice=invoice, user=None, reason="wrong", credit_date=dt.date(2012, 4, 3))
    assert sent[0] == (
        "invoice.issued",
        {
            "id": invoice.pk,
            "number": "2012-00001",
            "kind": "invoice",
            "agency": "SDF01",
            "period": "2012-03",
            "total": "509.00",
            "credits_invoice": None,
        },
        {"permission": "invoicing.view_invoice", "agency_id": agency.pk},
    )
    assert sent[1][1]["credits_invoice"] == "2012-00001" and sent[1][1]["kind"] == "credit_note"
    assert sent[1][1]["total"] == "-509.00"
    assert noticed == [invoice, note]


def test_a_credit_note_copies_the_original_and_is_due_on_its_own_date(agency, price_list, finance):
    invoice = _issue(agency, specification={"sources": [{"item_code": "manual", "quantity": "2"}], "note": "x"})
    note = invoices.credit_invoice(
        invoice=invoice, user=finance, reason="  wrong month  ", credit_date=dt.date(2012, 4, 3)
    )
    assert (note.number, note.series_year, note.sequence) == ("2012-00002", 2012, 2)
    assert (note.invoice_date, note.due_date) == (dt.date(2012, 4, 3), dt.date(2012, 4, 3))
    assert (note.agency, note.unit, note.period, note.revision) == (agency, invoice.unit, "2012-03", 1)
    for name in ("agency_code", "agency_name", "agency_address", "billing_reference", *Invoice.BUYER_FIELDS):
        assert getattr(note, name) == getattr(invoice, name), name
    assert (note.price_list, note.issued_by, note.reason) == (price_list, finance, "wrong month")
    assert note.specification == {"sources": [{"item_code": "manual", "quantity": "-2"}], "note": "x"}
    original = {line.position: line for line in invoice.lines.all()}
    for line in note.lines.all():
        same = original[line.position]
        assert (line.item_code, line.name, line.unit) == (same.item_code, same.name, same.unit)
        assert (line.quantity, line.amount) == (-same.quantity, -same.amount)
        assert (line.unit_price, line.base_price, line.surcharge) == (same.unit_price, same.base_price, same.surcharge)
        assert line.late_from_period == same.late_from_period


def test_a_reason_of_only_spaces_is_no_reason(agency, price_list, finance):
    invoice = _issue(agency)
    with pytest.raises(invoices.InvoiceError):
        invoices.credit_invoice(invoice=invoice, user=finance, reason="   ")
