"""Issue 26: the rules of the draft-invoice engine that mutation testing showed unpinned: which of
last month's figures a draft compares with (the valid invoice of a closed month, else last month's
draft), late work compared with late work, the line of zero for an item that dropped out, and the
draft of an agency invoiced last month only. Prices are the 2012 list of seed 000."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import ClosedPeriod
from invoicing.services import drafts
from invoicing.services.invoices import credit_invoice, issue_invoice
from invoicing.services.month import price_agency_month
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(price_list, unit):
    return factories.AgencyFactory(code="SDF01", name="Stadsdelsförvaltning Ett", unit=unit)


def _issue(agency, period, quantities, late=None, revision=1):
    lines = price_agency_month(agency=agency, period=period, quantities=quantities, late=late)
    return issue_invoice(agency=agency, period=period, lines=lines, revision=revision)


def _close(*periods):
    for period in periods:
        ClosedPeriod.objects.create(period=period)


def _by_key(draft):
    return {(line.item_code, line.late_from_period): line for line in draft.lines}


def test_last_month_is_its_valid_invoice_not_the_credited_one_its_credit_note_or_another_month(agency):
    _close("2012-02", "2012-03")
    _issue(agency, "2012-02", {"manual": 7})  # the month before: not last month
    credited = _issue(agency, "2012-03", {"manual": 1})
    credit_invoice(invoice=credited, user=None, reason="fel antal")
    _issue(agency, "2012-03", {"manual": 3}, revision=2)  # the valid invoice of March
    factories.add_cases(agency, "2012-04", manual=2)
    draft = drafts.draft_invoice(period="2012-04", agency=agency)
    assert draft.last_issued
    manual = _by_key(draft)[("manual", "")]
    assert (manual.last_quantity, manual.last_amount) == (Decimal("3"), Decimal("285.00"))  # 3 × 95 kr
    assert draft.last_total == Decimal("285.00")
    assert draft.change == Decimal("-95.00")  # 2 × 95 kr against 3 × 95 kr


def test_late_work_is_compared_with_last_months_late_work_and_a_months_own_with_its_own(agency):
    _close("2012-03")
    # March's invoice: 2 of March's own and late work of January (1) and February (4), all manual.
    _issue(agency, "2012-03", {"manual": 2}, late={"2012-01": {"manual": 1}, "2012-02": {"manual": 4}})
    factories.add_cases(agency, "2012-04", manual=3)
    factories.add_cases(agency, "2012-03", billing_period="2012-04", manual=1)
    draft = drafts.draft_invoice(period="2012-04", agency=agency)
    lines = _by_key(draft)
    assert set(lines) == {("manual", ""), ("manual", "2012-03")}
    own, late = lines[("manual", "")], lines[("manual", "2012-03")]
    assert (own.quantity, own.last_quantity, own.last_amount) == (3, 2, Decimal("190.00"))
    assert (late.quantity, late.last_quantity, late.last_amount) == (1, 5, Decimal("475.00"))
    assert draft.last_total == Decimal("665.00")  # 7 × 95 kr: every line of March's invoice


def test_an_item_invoiced_last_month_and_not_this_month_shows_as_a_line_of_zero(agency):
    _close("2012-03")
    _issue(agency, "2012-03", {"manual": 2, "agresso": 1})
    # April has manual work only as late work of March: the month's own manual line dropped too.
    factories.add_cases(agency, "2012-04", self_service=1)
    factories.add_cases(agency, "2012-03", billing_period="2012-04", manual=1)
    draft = drafts.draft_invoice(period="2012-04", agency=agency)
    zero = Decimal("0.00")
    assert [(line.item_code, line.late_from_period) for line in draft.lines] == [
        ("self_service", ""),
        ("manual", "2012-03"),
        ("agresso", ""),
        ("manual", ""),
    ]
    agresso = draft.lines[2]
    assert agresso == drafts.DraftLine(
        "agresso", "agresso", "", zero, zero, zero, None, None, "", Decimal("1"), Decimal("145.00")
    )
    assert (agresso.quantity_change, agresso.amount_change) == (Decimal("-1"), Decimal("-145.00"))
    assert (draft.lines[3].last_quantity, draft.lines[3].quantity_change) == (Decimal("2"), Decimal("-2"))


def test_while_last_month_is_open_a_draft_compares_with_last_months_draft(agency):
    # March is open: its figures are its draft. March has late work of January and February.
    factories.add_cases(agency, "2012-03", self_service=3, manual=2)
    factories.add_cases(agency, "2012-01", billing_period="2012-03", manual=1)
    factories.add_cases(agency, "2012-02", billing_period="2012-03", manual=2)
    factories.add_cases(agency, "2012-04", manual=1)
    factories.add_cases(agency, "2012-03", billing_period="2012-04", manual=1)
    other = factories.AgencyFactory(code="FF02", unit=agency.unit)
    factories.add_cases(other, "2012-03", manual=9)
    factories.add_cases(other, "2012-04", manual=9)
    draft = drafts.draft_invoice(period="2012-04", agency=agency)
    assert draft.period == "2012-04" and not draft.last_issued
    lines = _by_key(draft)
    own, late = lines[("manual", "")], lines[("manual", "2012-03")]
    assert (own.last_quantity, own.last_amount) == (2, Decimal("190.00"))
    assert (late.last_quantity, late.last_amount) == (3, Decimal("285.00"))  # January's 1 and February's 2
    self_service = lines[("self_service", "")]
    assert (self_service.quantity, self_service.last_quantity, self_service.last_amount) == (0, 3, Decimal("174.00"))
    assert draft.last_total == Decimal("649.00")  # 190 + 285 + 174 kr: March's draft, the other agency left out


def test_a_draft_line_carries_the_items_name_and_unit_from_the_price_list(agency):
    factories.add_cases(agency, "2012-04", manual=1)
    [line] = drafts.draft_invoice(period="2012-04", agency=agency).lines
    assert (line.name, line.unit, line.unit_price, line.amount) == (
        "Manuell rapportering",
        "lönespec",
        Decimal("95.00"),
        Decimal("95.00"),
    )


def test_an_agency_invoiced_last_month_and_not_this_month_gets_a_draft_of_its_dropped_lines(agency, client, finance):
    _close("2012-03")
    _issue(agency, "2012-03", {"agresso": 1})
    draft = drafts.draft_invoice(period="2012-04", agency=agency)
    assert (draft.period, draft.last_issued, draft.specification) == ("2012-04", True, {})
    assert [(line.item_code, line.quantity, line.last_amount) for line in draft.lines] == [
        ("agresso", 0, Decimal("145.00"))
    ]
    assert (draft.total, draft.change) == (0, Decimal("-145.00"))
    client.force_login(finance)
    response = client.get(reverse("invoicing:draft_detail", args=["2012-04", agency.pk]))
    assert response.status_code == 200 and "data-draft-lines" in response.content.decode()


def test_an_agency_with_nothing_this_month_or_last_has_no_draft(agency):
    assert drafts.draft_invoice(period="2012-04", agency=agency) is None
