"""E-mails to agencies: a returned document and an issued invoice or credit note.

Each notice is recorded first (``AgencyNotice``, one per trigger: a second call for the same return
or invoice finds the first and sends nothing), queued when the transaction that made it commits,
and sent by the Celery task ``customers.tasks.send_notice`` through Django's e-mail framework (SMTP in
production). A send that fails is marked failed with its error and retried by the task; a notice
already sent is never sent again. Mails name the case number and what is missing, never a person:
no personal identity number, no employee name (the cover letter, which has them, is behind the
portal's login: the mail links to it)."""

import logging
from contextlib import suppress

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.jobs import QueueUnavailable, enqueue

from .models import Agency, AgencyNotice

log = logging.getLogger(__name__)


def recipients(agency: Agency) -> list[str]:
    """The agency's functional mailbox and its portal contacts' addresses (else its primary contact's)."""
    addresses = [agency.functional_mailbox] if agency.functional_mailbox else []
    addresses += [a.user.email for a in agency.contact_accesses.select_related("user") if a.user.email]
    if not addresses:
        primary = agency.contacts.filter(is_primary=True).exclude(email="").first()
        addresses = [primary.email] if primary else []
    return sorted(set(addresses))


def _portal_url(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def record(
    *,
    agency: Agency,
    kind: str,
    key: str,
    subject: str,
    body: str,
    to: list[str] | None = None,
    created_by=None,
) -> AgencyNotice | None:
    """Record the notice for ``key`` (once) and queue it when the transaction commits; None when the
    agency has no address (logged, nothing to send). ``created_by`` is whoever made it go."""
    existing = AgencyNotice.objects.filter(key=key).first()
    if existing is not None:
        return existing
    to = recipients(agency) if to is None else sorted(set(filter(None, to)))
    if not to:
        log.warning("no e-mail address for agency %s: %s not sent", agency.code, key)
        return None
    notice = AgencyNotice.objects.create(
        agency=agency, kind=kind, key=key, recipients=to, subject=subject, body=body, created_by=created_by
    )
    transaction.on_commit(lambda: queue(notice))
    return notice


def queue(notice: AgencyNotice) -> None:
    from .tasks import send_notice

    with suppress(QueueUnavailable):  # marked failed with the reason, sent again by resend()
        enqueue(send_notice, notice.pk, job=notice)


def resend(notice: AgencyNotice) -> None:
    """Queue a failed notice again (a notice already sent is left alone by deliver)."""
    if notice.status == AgencyNotice.Status.FAILED:
        queue(notice)


def case_returned(case_return) -> AgencyNotice | None:
    """The notice of a returned document: the case number, what is missing, by when, and the link."""
    case = case_return.case
    with override(settings.LANGUAGE_CODE):
        subject = _("Returned document %(ref)s: completion needed by %(date)s") % {
            "ref": case.reference,
            "date": case_return.reply_by.isoformat(),
        }
        body = _(
            "The payroll service centre has returned the document of case %(ref)s (%(period)s) to %(agency)s.\n\n"
            "Missing: %(missing)s\n\n"
            "Please send the completed document by %(date)s. The cover letter and the upload of the answer "
            "are in the agencies' portal: %(url)s\n"
        ) % {
            "ref": case.reference,
            "period": case.period,
            "agency": case.agency.name,
            "missing": ", ".join(case_return.missing_labels),
            "date": case_return.reply_by.isoformat(),
            "url": _portal_url(reverse("portal:return_list")),
        }
    return record(
        agency=case.agency,
        kind=AgencyNotice.Kind.CASE_RETURNED,
        key=f"case_return:{case_return.pk}",
        subject=subject,
        body=body,
        created_by=case_return.returned_by,
    )


def invoice_issued(invoice) -> AgencyNotice | None:
    """The notice of an issued invoice or credit note: number, period, total, due date and the link."""
    with override(settings.LANGUAGE_CODE):
        kind = _("Credit note") if invoice.is_credit_note else _("Invoice")
        subject = _("%(kind)s %(number)s for %(period)s") % {
            "kind": kind,
            "number": invoice.number,
            "period": invoice.period,
        }
        body = _(
            "%(kind)s %(number)s for %(period)s to %(agency)s is issued: %(total)s SEK, due %(due)s.\n"
            "The PDF, its specification and the e-invoice are in the agencies' portal: %(url)s\n"
        ) % {
            "kind": kind,
            "number": invoice.number,
            "period": invoice.period,
            "agency": invoice.agency_name,
            "total": invoice.total,
            "due": invoice.due_date.isoformat(),
            "url": _portal_url(reverse("portal:invoice_detail", args=[invoice.pk])),
        }
    return record(
        agency=invoice.agency,
        kind=AgencyNotice.Kind.INVOICE_ISSUED,
        key=f"invoice:{invoice.pk}",
        subject=subject,
        body=body,
        created_by=invoice.issued_by,
    )


def answer_received(case_return, *, handler, document_id: int, user=None) -> AgencyNotice | None:
    """Tell the case's handler that the agency answered a returned document in the portal."""
    case = case_return.case
    with override(settings.LANGUAGE_CODE):
        subject = _("Completed document for %(ref)s uploaded by %(agency)s") % {
            "ref": case.reference,
            "agency": case.agency.code,
        }
        body = _(
            "%(agency)s uploaded the completed document for case %(ref)s in the portal. The case is back "
            "in your queue: %(url)s\n"
        ) % {
            "agency": case.agency.name,
            "ref": case.reference,
            "url": _portal_url(reverse("payroll:case_detail", args=[case.pk])),
        }
    return record(
        agency=case.agency,
        kind=AgencyNotice.Kind.ANSWER_RECEIVED,
        key=f"answer:{document_id}",
        subject=subject,
        body=body,
        to=[handler.email] if handler is not None else [],
        created_by=user,
    )


def dispute_answered(complaint, *, invoice, credited: bool, user) -> AgencyNotice | None:
    """Tell the contact who disputed a line of ``invoice`` that finance has answered, and how (a reply
    or a credit note). The answer itself is read in the portal, behind its login."""
    with override(settings.LANGUAGE_CODE):
        outcome = _("a credit note") if credited else _("a reply")
        subject = _("Your dispute of invoice %(number)s is answered") % {"number": invoice.number}
        body = _(
            "The payroll service centre has answered your dispute of invoice %(number)s (%(period)s) with "
            "%(outcome)s. The answer is in the agencies' portal: %(url)s\n"
        ) % {
            "number": invoice.number,
            "period": invoice.period,
            "outcome": outcome,
            "url": _portal_url(reverse("portal:invoice_detail", args=[invoice.pk])),
        }
    sender = complaint.sender
    return record(
        agency=complaint.agency,
        kind=AgencyNotice.Kind.DISPUTE_ANSWERED,
        key=f"dispute_answered:{complaint.pk}",
        subject=subject,
        body=body,
        to=[sender.email] if sender is not None and sender.email else None,
        created_by=user,
    )


def return_reminder(agency: Agency, *, month: str, deadline, returns: list[tuple[str, list[str], object]]):
    """The reminder before the 8th to an agency with returned documents outstanding: each case number,
    what is missing and its due date (never a person), once per agency and month."""
    with override(settings.LANGUAGE_CODE):
        subject = _("Reminder: %(n)s returned documents to complete before %(date)s") % {
            "n": len(returns),
            "date": deadline.isoformat(),
        }
        lines = "\n".join(
            _("- %(ref)s: %(missing)s (due %(due)s)")
            % {"ref": ref, "missing": ", ".join(missing), "due": due.isoformat()}
            for ref, missing, due in returns
        )
        body = _(
            "%(agency)s has returned documents from the payroll service centre that are not yet completed. "
            "Documents for this month's pay must reach us by %(date)s.\n\n%(lines)s\n\n"
            "The cover letters and the upload of the answers are in the agencies' portal: %(url)s\n"
        ) % {
            "agency": agency.name,
            "date": deadline.isoformat(),
            "lines": lines,
            "url": _portal_url(reverse("portal:return_list")),
        }
    return record(
        agency=agency,
        kind=AgencyNotice.Kind.REMINDER,
        key=f"reminder:{agency.pk}:{month}",
        subject=subject,
        body=body,
    )


def deliver(notice_id: int) -> AgencyNotice:
    """Send the notice unless it was sent already; a failure is recorded and raised (the task retries)."""
    with transaction.atomic():
        notice = AgencyNotice.objects.select_for_update().get(pk=notice_id)
        if notice.status == AgencyNotice.Status.SENT:
            return notice
        notice.attempts += 1
        try:
            EmailMessage(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, notice.recipients).send()
        except Exception as exc:
            notice.status, notice.error = AgencyNotice.Status.FAILED, str(exc)[:1000]
            notice.save(update_fields=["status", "error", "attempts"])
            failed = exc
        else:
            notice.status, notice.error, notice.sent_at = AgencyNotice.Status.SENT, "", timezone.now()
            notice.save(update_fields=["status", "error", "attempts", "sent_at"])
            return notice
    raise failed
