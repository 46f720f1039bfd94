"""The SIE writer, pinned rule by rule by mutation testing (`make mutation`,
bench/mutation.md): each test fails when the rule it is named for breaks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from invoicing import sie
from invoicing.models import Invoice
from invoicing.services import invoices
from invoicing.services.month import LineInput
from pricing.services import price_lines
from tests import factories

pytestmark = pytest.mark.django_db


def _issue(agency, day, **quantities):
    lines = price_lines(agency=agency, period="2012-03", quantities=quantities)
    return invoices.issue_invoice(
        agency=agency, period="2012-03", lines=[LineInput(x) for x in lines], invoice_date=day
    )


@pytest.fixture
def month(unit, other_unit, finance):
    a = factories.AgencyFactory(
        code="SDF07", name='Söder "malm" förvaltning', unit=unit, responsibility_code="1460", activity_code="1100"
    )
    b = factories.AgencyFactory(
        code="ÅRS", name="Årsta förvaltning", unit=other_unit, responsibility_code="1470", activity_code="1200"
    )
    factories.price_list_2012()
    first = _issue(a, dt.date(2012, 4, 2), self_service=12, pension_case=3, addon_hour=Decimal("1.5"))
    second = _issue(b, dt.date(2012, 4, 3), manual=7, agresso=2)
    note = invoices.credit_invoice(invoice=second, user=finance, reason="Fel antal", credit_date=dt.date(2012, 4, 5))
    return {"documents": [first, second, note]}


def test_the_sie_file_is_exactly_the_months_vouchers_in_cp437(month):
    today = timezone.localdate().strftime("%Y%m%d")
    first, second, note = month["documents"]
    data = sie.sie_file(Invoice.objects.filter(period="2012-03"), period="2012-03")
    expected = [
        "#FLAGGA 0",
        '#PROGRAM "Lönservice" 0.1.0',
        "#FORMAT PC8",
        f"#GEN {today}",
        "#SIETYP 4",
        '#FNAMN "Serviceförvaltningen, Lön och pension"',
        "#ORGNR 212000-0142",
        "#VALUTA SEK",
        '#DIM 1 "Ansvar"',
        '#DIM 20 "Verksamhet"',
        '#KONTO 3611 "Intäkter lön och pension, internt"',
        '#KONTO 3612 "Intäkter pensionsärenden, internt"',
        '#KONTO 3613 "Intäkter tilläggstjänster, internt"',
        '#KONTO 7611 "Köp av lön- och pensionstjänster, internt"',
        '#OBJEKT 1 "1460" "Söder \\"malm\\" förvaltning"',
        '#OBJEKT 1 "1470" "Årsta förvaltning"',
        '#OBJEKT 20 "1100" "1100"',
        '#OBJEKT 20 "1200" "1200"',
        f'#VER "F" "" 20120402 "Faktura {first.number} SDF07 2012-03" {today}',
        "{",
        '   #TRANS 7611 {1 "1460" 20 "1100"} 4881.00',
        "   #TRANS 3611 {} -696.00",
        "   #TRANS 3612 {} -3600.00",
        "   #TRANS 3613 {} -585.00",
        "}",
        f'#VER "F" "" 20120403 "Faktura {second.number} ÅRS 2012-03" {today}',
        "{",
        '   #TRANS 7611 {1 "1470" 20 "1200"} 955.00',
        "   #TRANS 3611 {} -955.00",
        "}",
        f'#VER "F" "" 20120405 "Kreditfaktura {note.number} ÅRS 2012-03" {today}',
        "{",
        '   #TRANS 7611 {1 "1470" 20 "1200"} -955.00',
        "   #TRANS 3611 {} 955.00",
        "}",
    ]
    assert data == ("\r\n".join(expected) + "\r\n").encode("cp437")


def test_a_buyer_without_coding_gets_no_objects_and_its_own_account_when_it_has_one(unit, settings):
    factories.price_list_2012()
    plain = factories.AgencyFactory(code="P1", unit=unit, responsibility_code="", activity_code="", account_code="7690")
    invoice = _issue(plain, dt.date(2012, 4, 2), manual=1)
    rows = sie.voucher_rows(invoice, list(invoice.lines.all()))
    assert rows == [("7690", {}, Decimal("95.00")), ("3611", {}, Decimal("-95.00"))]
    data = sie.sie_file(Invoice.objects.filter(pk=invoice.pk), period="2012-03").decode("cp437")
    assert '#KONTO 7690 "Köp av lön- och pensionstjänster, internt"' in data
    assert "#OBJEKT" not in data and "   #TRANS 7690 {} 95.00" in data


def test_an_item_with_an_account_of_its_own_but_no_name_is_named_as_revenue(unit, settings):
    settings.SIE_REVENUE_ACCOUNTS = {"manual": "3615"}
    factories.price_list_2012()
    invoice = _issue(factories.AgencyFactory(code="P2", unit=unit), dt.date(2012, 4, 2), manual=1, pension_case=1)
    data = sie.sie_file(Invoice.objects.filter(pk=invoice.pk), period="2012-03").decode("cp437")
    assert '#KONTO 3615 "Intäkter lön och pension, internt"' in data
    assert '#KONTO 3611 "Intäkter lön och pension, internt"' in data  # pension_case: no own account now


def test_a_file_read_back_gives_its_labels_vouchers_and_rows():
    data = (
        '#FLAGGA 0\r\n#PROGRAM "Lönservice" 0.1.0\r\n#FLAGGA 1\r\n'
        '#VER "F" "" 20120402 "Faktura 2012-00001 SDF07 2012-03" 20120402\r\n{\r\n'
        '   #TRANS 7611 {1 "1460" 20 "1100"} 95.00\r\n   #TRANS 3611 {} -95.00\r\n}\r\n'
        "#TRANS 9999 {} 1.00\r\n\r\n"
        '#VER "G" "" 20120403 "Kreditfaktura utan nummer" 20120403\r\n{\r\n   #TRANS 3611 {} 5.00\r\n}\r\n'
    ).encode("cp437")
    parsed = sie.parse(data)
    assert parsed.labels["#FLAGGA"] == ["0"] and parsed.labels["#PROGRAM"] == ["Lönservice", "0.1.0"]
    first, second = parsed.vouchers
    assert (first.series, first.date, first.text, first.number) == (
        "F",
        "20120402",
        "Faktura 2012-00001 SDF07 2012-03",
        "2012-00001",
    )
    assert first.rows == [("7611", {"1": "1460", "20": "1100"}, Decimal("95.00")), ("3611", {}, Decimal("-95.00"))]
    assert first.balance == Decimal("0.00") and str(first.balance) == "0.00"
    assert (second.series, second.number, second.balance) == ("G", "", Decimal("5.00"))


def test_amounts_are_written_to_the_ore():
    assert sie._amount(Decimal("5")) == "5.00" and sie._amount(Decimal("-1.5")) == "-1.50"
    assert sie._quote('a "b" \\ c') == '"a \\"b\\" \\\\ c"'


def test_a_voucher_books_the_coding_copied_onto_the_invoice_not_the_agencys_later_coding(unit):
    from customers.models import Agency

    factories.price_list_2012()
    agency = factories.AgencyFactory(code="P3", unit=unit, responsibility_code="1460", activity_code="1100")
    invoice = _issue(agency, dt.date(2012, 4, 2), manual=1)
    Agency.objects.filter(pk=agency.pk).update(responsibility_code="9999", activity_code="9900")
    invoice = Invoice.objects.select_related("agency").get(pk=invoice.pk)
    assert sie.voucher_rows(invoice, list(invoice.lines.all()))[0][1] == {"1": "1460", "20": "1100"}
    Agency.objects.filter(pk=agency.pk).update(responsibility_code="", activity_code="")
    invoice = Invoice.objects.select_related("agency").get(pk=invoice.pk)
    assert sie.voucher_rows(invoice, list(invoice.lines.all()))[0][1] == {"1": "1460", "20": "1100"}


def test_the_file_lists_the_documents_by_year_then_number(unit):
    factories.price_list_2012()
    agency = factories.AgencyFactory(code="P4", unit=unit)
    first = _issue(agency, dt.date(2012, 4, 2), manual=1)
    lines = [LineInput(x) for x in price_lines(agency=agency, period="2012-03", quantities={"manual": 2})]
    next_year = invoices.issue_invoice(
        agency=agency, period="2012-03", lines=lines, invoice_date=dt.date(2013, 1, 2), revision=2
    )
    lines = [LineInput(x) for x in price_lines(agency=agency, period="2012-03", quantities={"manual": 3})]
    second = invoices.issue_invoice(
        agency=agency, period="2012-03", lines=lines, invoice_date=dt.date(2012, 4, 3), revision=3
    )
    parsed = sie.parse(sie.sie_file(Invoice.objects.filter(agency=agency), period="2012-03"))
    assert [v.number for v in parsed.vouchers] == [first.number, second.number, next_year.number]
    assert [first.number, second.number, next_year.number] == ["2012-00001", "2012-00002", "2013-00001"]


def test_reading_a_file_skips_braces_and_rows_outside_a_voucher():
    data = '#TRANS 1 {} 1.00\r\n#FLAGGA 0\r\n#VER "F" "" 20120402 "x" 20120402\r\n{\r\n}\r\n'.encode("cp437")
    parsed = sie.parse(data)
    assert list(parsed.labels) == ["#TRANS", "#FLAGGA", "#VER"]
    assert parsed.vouchers[0].rows == [] and str(parsed.vouchers[0].balance) == "0.00"


def test_an_object_list_with_a_dimension_but_no_object_is_refused():
    with pytest.raises(ValueError):
        sie.parse('#VER "F" "" 20120402 "x" 20120402\r\n{\r\n   #TRANS 7611 {1} 1.00\r\n}\r\n'.encode("cp437"))


def test_a_character_that_cp437_lacks_is_written_as_a_question_mark(unit):
    factories.price_list_2012()
    agency = factories.AgencyFactory(code="P5", name="Förvaltning € Œ", unit=unit, responsibility_code="1490")
    _issue(agency, dt.date(2012, 4, 2), manual=1)
    data = sie.sie_file(Invoice.objects.filter(agency=agency), period="2012-03")
    assert '#OBJEKT 1 "1490" "Förvaltning ? ?"'.encode("cp437") in data
