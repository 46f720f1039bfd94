"""Disputes of invoice lines: the contact disputes a line in the portal with a reason; the dispute is a
complaint in the register linked to the invoice and line; finance sees the open disputes (a list, and on
the invoice page) and answers with a reply or a credit note; the contact sees the outcome."""

from decimal import Decimal

import pytest
from django.urls import reverse

from customers import notices
from customers.models import AgencyNotice, Complaint
from invoicing.models import Invoice, InvoiceDispute
from invoicing.services import disputes
from tests.factories import AgencyContactAccessFactory, AgencyFactory, issued_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(agency_contact):
    # The 2012 price list: 10 self-service payslips and 2 manual ones.
    return issued_invoice(agency=agency_contact.agency_accesses.get().agency)


def _dispute(client, contact, invoice, line, reason="Vi hade bara en manuell lönespecifikation i mars."):
    client.force_login(contact)
    return client.post(reverse("portal:invoice_dispute", args=[invoice.pk]), {"line": line.pk, "reason": reason})


def test_a_disputed_line_is_a_complaint_linked_to_the_invoice_and_finance_sees_it(
    client, agency_contact, finance, invoice
):
    line = invoice.lines.get(quantity=2)
    response = _dispute(client, agency_contact, invoice, line)
    assert response.status_code == 302
    dispute = InvoiceDispute.objects.get()
    assert (dispute.invoice, dispute.line, dispute.outcome) == (invoice, line, "open")
    complaint = dispute.complaint
    assert complaint.kind == Complaint.Kind.DISPUTE and complaint.category == Complaint.Category.INVOICE
    assert complaint.sender == agency_contact and complaint.agency == invoice.agency
    assert complaint.description == "Vi hade bara en manuell lönespecifikation i mars."
    client.force_login(finance)
    listing = client.get(reverse("invoicing:dispute_list")).content.decode()
    assert invoice.number in listing and "Vi hade bara en manuell" in listing
    page = client.get(reverse("invoicing:invoice_detail", args=[invoice.pk])).content.decode()
    assert "Vi hade bara en manuell" in page and reverse("invoicing:dispute_answer", args=[dispute.pk]) in page


def test_finance_answers_with_a_reply_and_the_contact_reads_it(client, agency_contact, finance, invoice):
    _dispute(client, agency_contact, invoice, invoice.lines.first())
    dispute = InvoiceDispute.objects.get()
    client.force_login(finance)
    response = client.post(
        reverse("invoicing:dispute_answer", args=[dispute.pk]),
        {"answer": "Två manuella specifikationer registrerades (ärende 2012-03-0004).", "outcome": "reply"},
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.outcome == "replied" and dispute.credit_note is None and dispute.answered_by == finance
    assert dispute.complaint.status == Complaint.Status.RESOLVED
    assert not Invoice.objects.filter(credited_invoice=invoice).exists()
    assert (
        reverse("invoicing:dispute_answer", args=[dispute.pk])
        not in client.get(reverse("invoicing:dispute_list")).content.decode()
    )
    client.force_login(agency_contact)
    page = client.get(reverse("portal:invoice_detail", args=[invoice.pk])).content.decode()
    assert "Två manuella specifikationer registrerades" in page and "Besvarad" in page


def test_finance_answers_with_a_credit_note_and_the_contact_sees_it(client, agency_contact, finance, invoice):
    _dispute(client, agency_contact, invoice, invoice.lines.first())
    dispute = InvoiceDispute.objects.get()
    client.force_login(finance)
    client.post(
        reverse("invoicing:dispute_answer", args=[dispute.pk]),
        {"answer": "Fel antal: fakturan krediteras och en ny ställs ut.", "outcome": "credit"},
    )
    dispute.refresh_from_db()
    note = dispute.credit_note
    assert dispute.outcome == "credited" and note.credited_invoice == invoice
    assert note.total == -invoice.total and note.total < Decimal("0")
    assert note.reason == "Fel antal: fakturan krediteras och en ny ställs ut."
    client.force_login(agency_contact)
    page = client.get(reverse("portal:invoice_detail", args=[invoice.pk])).content.decode()
    assert note.number in page and reverse("portal:invoice_detail", args=[note.pk]) in page
    # A credited invoice is not disputed again.
    assert reverse("portal:invoice_dispute", args=[invoice.pk]) not in page
    again = _dispute(client, agency_contact, invoice, invoice.lines.first())
    assert again.status_code == 200 and InvoiceDispute.objects.count() == 1


def test_a_dispute_without_a_reason_or_twice_for_the_same_line_is_refused(client, agency_contact, invoice):
    line = invoice.lines.first()
    assert _dispute(client, agency_contact, invoice, line, reason="   ").status_code == 200
    assert not InvoiceDispute.objects.exists() and not Complaint.objects.exists()
    _dispute(client, agency_contact, invoice, line)
    assert _dispute(client, agency_contact, invoice, line, reason="Igen").status_code == 200
    assert InvoiceDispute.objects.count() == 1


def test_another_agencys_invoice_cannot_be_disputed(client, agency_contact, unit):
    other = issued_invoice(agency=AgencyFactory(unit=unit))
    response = _dispute(client, agency_contact, other, other.lines.first())
    assert response.status_code == 404 and not InvoiceDispute.objects.exists()


def test_an_answered_dispute_is_not_answered_twice(agency_contact, finance, invoice):
    dispute = disputes.open_dispute(invoice=invoice, line=invoice.lines.first(), reason="Fel", user=agency_contact)
    disputes.answer_dispute(dispute=dispute, user=finance, answer="Rätt belopp.")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        disputes.answer_dispute(dispute=dispute, user=finance, answer="Kreditera", credit=True)
    assert not Invoice.objects.filter(credited_invoice=invoice).exists()


def test_a_line_of_another_invoice_is_refused(agency_contact, invoice):
    from django.core.exceptions import ValidationError

    colleague_invoice = issued_invoice(agency=AgencyContactAccessFactory(user=agency_contact).agency)
    with pytest.raises(ValidationError):
        disputes.open_dispute(invoice=invoice, line=colleague_invoice.lines.first(), reason="Fel", user=agency_contact)


def test_the_contact_is_mailed_once_when_finance_answers_and_the_mail_names_no_person(
    agency_contact, finance, invoice, django_capture_on_commit_callbacks
):
    agency_contact.email = "anna.lindqvist@stad.example.se"
    agency_contact.save()
    dispute = disputes.open_dispute(
        invoice=invoice, line=invoice.lines.first(), reason="Fel antal", user=agency_contact
    )
    with django_capture_on_commit_callbacks(execute=True):
        disputes.answer_dispute(
            dispute=dispute, user=finance, answer="Kreditfaktura för Sara Skyddad 19121212-1212.", credit=True
        )
    notice = AgencyNotice.objects.get(kind=AgencyNotice.Kind.DISPUTE_ANSWERED)
    assert notice.recipients == ["anna.lindqvist@stad.example.se"] and notice.created_by == finance
    assert notice.subject == f"Er invändning mot faktura {invoice.number} är besvarad"
    assert "med en kreditfaktura" in notice.body and "/portal/" in notice.body
    assert "Sara Skyddad" not in notice.body and "1212" not in notice.body  # the answer stays in the portal
    assert notices.dispute_answered(dispute.complaint, invoice=invoice, credited=True, user=finance) == notice


def test_a_dispute_is_not_answered_from_the_complaints_register(client, agency_contact, unit_manager, invoice):
    dispute = disputes.open_dispute(invoice=invoice, line=invoice.lines.first(), reason="Fel", user=agency_contact)
    complaint = dispute.complaint
    from django.core.exceptions import ValidationError

    from customers.services import handle_complaint

    with pytest.raises(ValidationError):
        handle_complaint(complaint=complaint, status=Complaint.Status.RESOLVED, resolution="Löst")
    client.force_login(unit_manager)
    page = client.get(reverse("customers:complaint_detail", args=[complaint.pk])).content.decode()
    assert reverse("customers:complaint_handle", args=[complaint.pk]) not in page
    assert "besvaras av ekonomi från fakturan" in page
    response = client.post(
        reverse("customers:complaint_handle", args=[complaint.pk]), {"status": "resolved", "resolution": "Löst"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    dispute.refresh_from_db()
    assert complaint.status == Complaint.Status.OPEN and dispute.outcome == InvoiceDispute.Outcome.OPEN
