"""Disputes of invoice lines (issue 16): an agency contact disputes a line of an issued invoice with a
reason; finance answers with a reply or a credit note.

A dispute is a complaint in the customers' register (kind ``dispute``, category invoicing, the
contact as sender), linked to its invoice and line by ``InvoiceDispute``: the link lives here, in
invoicing, because customers is below invoicing and cannot name an invoice."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers import notices
from customers.models import Complaint
from customers.services import handle_complaint, register_complaint

from ..models import Invoice, InvoiceDispute, InvoiceLine
from .invoices import InvoiceError, credit_invoice


@transaction.atomic
def open_dispute(*, invoice: Invoice, line: InvoiceLine | None, reason: str, user) -> InvoiceDispute:
    """Dispute ``line`` of ``invoice`` (or the whole invoice when no line is named). Only an invoice
    that is not credited can be disputed, and a line only once while its dispute is open. Which
    invoices a contact may dispute is the portal's scope."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong with the line.")})
    if invoice.is_credit_note:
        raise ValidationError(_("A credit note cannot be disputed."))
    if line is not None and line.invoice_id != invoice.pk:
        raise ValidationError({"line": _("The line is not on this invoice.")})
    if Invoice.objects.filter(credited_invoice=invoice).exists():
        raise ValidationError(_("Invoice %(number)s is already credited.") % {"number": invoice.number})
    if InvoiceDispute.objects.filter(invoice=invoice, line=line, outcome=InvoiceDispute.Outcome.OPEN).exists():
        raise ValidationError({"line": _("This line is already disputed and waiting for an answer.")})
    complaint = register_complaint(
        agency=invoice.agency,
        kind=Complaint.Kind.DISPUTE,
        category=Complaint.Category.INVOICE,
        received_on=timezone.localdate(),
        description=reason,
        user=user,
        sender=user,
    )
    return InvoiceDispute.objects.create(complaint=complaint, invoice=invoice, line=line)


@transaction.atomic
def answer_dispute(*, dispute: InvoiceDispute, user, answer: str, credit: bool = False) -> InvoiceDispute:
    """Answer an open dispute: with a reply, or with a credit note of the whole invoice (the credit
    service's rule: an invoice is credited once) whose reason is the answer. The complaint is resolved
    with the answer, which the contact reads in the portal."""
    dispute = InvoiceDispute.objects.select_for_update().select_related("complaint", "invoice").get(pk=dispute.pk)
    answer = (answer or "").strip()
    if dispute.outcome != InvoiceDispute.Outcome.OPEN:
        raise ValidationError(_("This dispute is already answered."))
    if not answer:
        raise ValidationError({"answer": _("Write the answer to the agency.")})
    if credit:
        try:
            dispute.credit_note = credit_invoice(invoice=dispute.invoice, user=user, reason=answer)
        except InvoiceError as exc:
            raise ValidationError(str(exc)) from exc
        dispute.outcome = InvoiceDispute.Outcome.CREDITED
    else:
        dispute.outcome = InvoiceDispute.Outcome.REPLIED
    dispute.answered_by, dispute.answered_at = user, timezone.now()
    dispute.save(update_fields=["credit_note", "outcome", "answered_by", "answered_at"])
    handle_complaint(
        complaint=dispute.complaint,
        handler=user,
        status=Complaint.Status.RESOLVED,
        resolution=answer,
        answering_dispute=True,
    )
    notices.dispute_answered(
        dispute.complaint,
        invoice=dispute.invoice,
        credited=dispute.outcome == InvoiceDispute.Outcome.CREDITED,
        user=user,
    )
    return dispute
