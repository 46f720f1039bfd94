"""The fixed monthly amount per agency: a kind of price-list item that the close invoices every month."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from invoicing import documents, peppol
from invoicing.models import CloseJob, Invoice
from invoicing.services import close, invoices
from invoicing.services.month import price_month
from pricing import services as pricing
from pricing.models import AgencyMonthlyAmount, PriceItem
from tests import factories
from tests.invoicing.conftest import assert_valid_einvoice

# A fixed base as in a price model of seed 001: SDF07's share of a yearly fixed price, per month.
BASE = Decimal("35583.33")


@pytest.fixture
def price_list(db):
    price_list = factories.price_list_2012()
    factories.fixed_monthly_item(price_list)
    return price_list


@pytest.fixture
def agency(unit):
    return factories.einvoice_agency(unit)


@pytest.fixture
def with_base(price_list, agency):
    pricing.set_monthly_amounts(price_list=price_list, item_code="fixed_base", amounts={agency: BASE})
    return price_list


def _close(period="2012-03"):
    job = CloseJob.objects.create(period=period, trigger="test")
    return close.run_close_job(job.pk)


def test_fixed_monthly_amount_is_a_line_of_one_month_after_the_per_unit_lines(with_base, agency):
    lines = pricing.price_lines(agency=agency, period="2012-03", quantities={"self_service": 120, "manual": 4})
    assert [(line.item_code, line.quantity, line.unit_price, line.amount) for line in lines] == [
        ("self_service", Decimal("120"), Decimal("58.00"), Decimal("6960.00")),
        ("manual", Decimal("4"), Decimal("95.00"), Decimal("380.00")),
        ("fixed_base", Decimal("1"), BASE, BASE),
    ]
    assert pricing.total(lines) == Decimal("42923.33")
    assert lines[-1].unit == "månad" and lines[-1].base_price is None


def test_late_work_carries_no_second_fixed_amount(with_base, agency):
    lines = pricing.price_lines(agency=agency, period="2012-03", quantities={"manual": 2}, fixed_monthly=False)
    assert [line.item_code for line in lines] == ["manual"]


def test_another_agency_without_an_amount_pays_no_fixed_line(with_base):
    other = factories.AgencyFactory(code="FF02")
    lines = pricing.price_lines(agency=other, period="2012-03", quantities={"self_service": 10})
    assert [line.item_code for line in lines] == ["self_service"]


def test_a_fixed_monthly_item_is_never_priced_by_quantity(with_base, agency):
    with pytest.raises(pricing.UnknownPriceItem):
        pricing.price_lines(agency=agency, period="2012-03", quantities={"fixed_base": 3})


def test_close_invoices_the_fixed_amount_also_in_a_month_without_work(with_base, agency):
    busy = factories.AgencyFactory(code="FF02")
    factories.add_cases(busy, "2012-03", self_service=3)
    job = _close()
    assert job.state == CloseJob.State.DONE, job.error
    invoice = Invoice.objects.get(agency=agency)
    assert [(line.item_code, line.quantity, line.amount) for line in invoice.lines.all()] == [
        ("fixed_base", Decimal("1.00"), BASE)
    ]
    assert invoice.total == BASE
    assert Invoice.objects.get(agency=busy).total == Decimal("174.00")
    assert with_base.items.get(item_code="fixed_base").price_list.pk == invoice.price_list_id


def test_close_puts_the_fixed_amount_after_the_months_work_and_not_on_late_work(with_base, agency):
    factories.add_cases(agency, "2012-03", self_service=3, manual=2)
    factories.add_cases(agency, "2012-02", billing_period="2012-03", agresso=1)
    _close()
    invoice = Invoice.objects.get(agency=agency)
    rows = [(line.item_code, line.late_from_period, line.amount) for line in invoice.lines.order_by("position")]
    assert rows == [
        ("self_service", "", Decimal("174.00")),
        ("manual", "", Decimal("190.00")),
        ("fixed_base", "", BASE),
        ("agresso", "2012-02", Decimal("145.00")),
    ]
    assert invoice.total == Decimal("174.00") + Decimal("190.00") + BASE + Decimal("145.00")


def test_an_agency_that_has_ended_gets_no_fixed_amount(with_base, agency):
    agency.active_to = dt.date(2012, 2, 29)
    agency.save()
    assert [month.agency for month in price_month(period="2012-03")] == []


def test_credit_and_reissue_carry_the_fixed_line(with_base, agency, finance):
    _close()
    invoice = Invoice.objects.get(agency=agency)
    note = invoices.credit_invoice(invoice=invoice, user=finance, reason="Fel avtal")
    assert note.total == -BASE
    assert [(line.quantity, line.amount) for line in note.lines.all()] == [(Decimal("-1.00"), -BASE)]
    again = invoices.reissue_invoice(agency=agency, period="2012-03", user=finance, reason="Rättad")
    assert again.revision == 2 and again.total == BASE


def test_erp_file_and_pdf_carry_the_fixed_line(with_base, agency):
    _close()
    invoice = Invoice.objects.get(agency=agency)
    csv = documents.erp_csv(Invoice.objects.filter(pk=invoice.pk)).decode("utf-8")
    assert "fixed_base,Fast månadsavgift,1,månad,35583.33,35583.33" in csv
    assert documents.invoice_pdf(invoice).startswith(b"%PDF")


def test_the_fixed_line_is_a_valid_peppol_line_counted_in_months(with_base, agency, peppol_validator):
    factories.add_cases(agency, "2012-03", self_service=3)
    _close()
    invoice = Invoice.objects.get(agency=agency)
    xml = peppol.einvoice_xml(invoice)
    assert_valid_einvoice(peppol_validator, xml, peppol.filename(invoice))
    ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
    quantities = etree.fromstring(xml).findall(".//cbc:InvoicedQuantity", ns)
    assert [(q.text, q.get("unitCode")) for q in quantities] == [("3", "H87"), ("1", "MON")]


def test_a_new_version_copies_the_agency_amounts_and_a_frozen_list_refuses_changes(with_base, agency):
    pricing.freeze_price_list(price_list=with_base)
    with pytest.raises(pricing.PriceListFrozen):
        pricing.set_monthly_amounts(price_list=with_base, item_code="fixed_base", amounts={agency: Decimal("1")})
    copy = pricing.new_price_list_version(price_list=with_base, effective_from=dt.date(2012, 7, 1))
    row = AgencyMonthlyAmount.objects.get(item__price_list=copy)
    assert (row.agency, row.amount, row.item.kind) == (agency, BASE, PriceItem.Kind.FIXED_MONTHLY)


def test_amounts_are_checked(with_base, agency):
    with pytest.raises(ValidationError):
        pricing.set_monthly_amounts(price_list=with_base, item_code="fixed_base", amounts={agency: Decimal("-5")})
    with pytest.raises(ValidationError):
        pricing.set_monthly_amounts(price_list=with_base, item_code="manual", amounts={agency: Decimal("5")})
    assert AgencyMonthlyAmount.objects.get().amount == BASE
