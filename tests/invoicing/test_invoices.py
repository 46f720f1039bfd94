"""Issued invoices never change; corrections are credit notes and a new invoice."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from invoicing.models import CloseJob, ImmutableInvoiceError, Invoice, InvoiceLine
from invoicing.services import close, invoices


@pytest.fixture
def issued(month_of_work):
    job = CloseJob.objects.create(period="2012-03")
    close.run_close_job(job.pk)
    return Invoice.objects.get(agency=month_of_work["a"])


def test_an_issued_invoice_cannot_be_changed_or_deleted(issued):
    issued.total = Decimal("1.00")
    with pytest.raises(ImmutableInvoiceError):
        issued.save()
    with pytest.raises(ImmutableInvoiceError):
        issued.delete()
    with pytest.raises(ImmutableInvoiceError):
        Invoice.objects.filter(pk=issued.pk).update(total=Decimal("1.00"))
    with pytest.raises(ImmutableInvoiceError):
        Invoice.objects.filter(pk=issued.pk).delete()
    line = issued.lines.first()
    line.amount = Decimal("0.00")
    with pytest.raises(ImmutableInvoiceError):
        line.save()
    with pytest.raises(ImmutableInvoiceError):
        InvoiceLine.objects.filter(invoice=issued).update(amount=0)
    assert Invoice.objects.get(pk=issued.pk).total == Decimal("509.00")


def test_a_credit_note_credits_the_original_in_full(issued, finance):
    note = invoices.credit_invoice(invoice=issued, user=finance, reason="Fel kanal för två lönespecifikationer")
    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert note.credited_invoice == issued
    assert note.total == Decimal("-509.00")
    assert sum(line.amount for line in note.lines.all()) == Decimal("-509.00")
    assert {line.item_code: line.quantity for line in note.lines.all()} == {
        "self_service": Decimal("-3"),
        "manual": Decimal("-2"),
        "agresso": Decimal("-1"),
    }
    # Next number of the same series, and the original is now credited (but unchanged).
    year = timezone.localdate().year
    assert note.number == f"{year}-00001" and note.invoice_date == timezone.localdate()
    issued.refresh_from_db()
    assert issued.is_credited and issued.total == Decimal("509.00")


def test_an_invoice_is_credited_only_once(issued, finance):
    invoices.credit_invoice(invoice=issued, user=finance, reason="Fel")
    with pytest.raises(invoices.InvoiceError, match="redan krediterad"):
        invoices.credit_invoice(invoice=issued, user=finance, reason="Igen")


def test_a_credit_note_needs_a_reason(issued, finance):
    with pytest.raises(invoices.InvoiceError):
        invoices.credit_invoice(invoice=issued, user=finance, reason="  ")
    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).count() == 0


def test_a_credit_note_cannot_be_credited(issued, finance):
    note = invoices.credit_invoice(invoice=issued, user=finance, reason="Fel")
    with pytest.raises(invoices.InvoiceError):
        invoices.credit_invoice(invoice=note, user=finance, reason="Fel")


def test_reinvoice_after_credit_issues_the_next_revision(issued, finance, month_of_work):
    from tests import factories

    invoices.credit_invoice(invoice=issued, user=finance, reason="Saknade ärenden")
    # A case was registered late in the already-closed month's billing period (e.g. corrected).
    factories.add_cases(month_of_work["a"], "2012-03", self_service=1)
    new = invoices.reissue_invoice(agency=month_of_work["a"], period="2012-03", user=finance, reason="Rättad")
    assert new.revision == 2 and new.kind == Invoice.Kind.INVOICE
    assert new.total == Decimal("567.00")
    assert new.number == f"{timezone.localdate().year}-00002"  # after the credit note, same series


def test_reinvoice_is_refused_while_the_invoice_is_valid(issued, finance, month_of_work):
    with pytest.raises(invoices.InvoiceError, match="kreditera den först"):
        invoices.reissue_invoice(agency=month_of_work["a"], period="2012-03", user=finance)


def test_reinvoice_is_refused_for_an_open_month(month_of_work, finance):
    with pytest.raises(invoices.InvoiceError, match="inte stängd"):
        invoices.reissue_invoice(agency=month_of_work["a"], period="2012-05", user=finance)


@pytest.mark.postgres
def test_the_database_refuses_to_change_an_issued_invoice(issued):
    from django.db import DatabaseError

    for sql in (
        "UPDATE invoicing_invoice SET total = 1 WHERE id = %s",
        "DELETE FROM invoicing_invoiceline WHERE invoice_id = %s",
        "DELETE FROM invoicing_invoice WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="cannot be changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [issued.pk])
    assert Invoice.objects.get(pk=issued.pk).total == Decimal("509.00")
