"""The life of a payroll case registered from a received document.

received → registered → completed; received/registered → returned (cover letter) →
back where it was when the completed document arrives; any open status → cancelled.
Every change of status is kept in StatusChange with who and when.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.billing import billing_period_for_write
from core.documents import check_document, store_document
from customers import notices
from customers.selectors import agencies_for
from people.identity import can_see_protected, normalize_personnummer
from people.models import ProtectedIdentityAccess
from people.services import upsert_person
from webhooks import services as webhooks

from .. import clock, selectors
from ..models import (
    MANUAL_CHANNELS,
    CaseDocument,
    CaseNote,
    CaseReturn,
    Channel,
    MissingItem,
    PayrollCase,
    StatusChange,
)
from . import letters

Status = PayrollCase.Status
APPROVE_PERMISSION = "payroll.approve_urgent_payout"


def _record(case: PayrollCase, *, from_status: str, user, note: str = "") -> StatusChange:
    return StatusChange.objects.create(
        case=case, from_status=from_status, to_status=case.status, changed_by=user, note=note
    )


def _locked(case: PayrollCase) -> PayrollCase:
    """The case re-read under a row lock, so two handlers cannot move it at once."""
    return PayrollCase.objects.select_for_update().get(pk=case.pk)


def _require_status(case: PayrollCase, allowed, action: str) -> None:
    if case.status not in allowed:
        raise ValidationError(
            _("A case that is %(status)s cannot be %(action)s.")
            % {"status": case.get_status_display().lower(), "action": action}
        )


def _not_in_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def register_case(
    *,
    user,
    agency,
    period: str,
    personnummer: str,
    name: str,
    document_type: str,
    received_on: dt.date,
    channel: str,
    payslip_id: str = "",
    note: str = "",
    document=None,
) -> PayrollCase:
    """Register a case from a document that has arrived, for one of the user's agencies.

    The employee is found by personal identity number (or created); the lead time is
    copied from the agency's service agreement; a document after the period's deadline
    is flagged late; the case is invoiced in the first open billing period. ``document``, an
    uploaded scan, is attached to the case (checked first, so a bad file registers nothing).
    """
    if document:
        check_document(document)
    if not agencies_for(user).filter(pk=agency.pk).exists():
        raise PermissionDenied
    if channel not in MANUAL_CHANNELS:
        raise ValidationError({"channel": _("Machine-processed payslips come only through the monthly import.")})
    _not_in_future(received_on, "received_on")
    number = normalize_personnummer(personnummer)
    payslip_id = (payslip_id or "").strip()
    if payslip_id and PayrollCase.objects.filter(agency=agency, period=period, payslip_id=payslip_id).exists():
        raise ValidationError({"payslip_id": _("This payslip id is already registered for the agency and period.")})
    person = upsert_person(personnummer=number, name=name)
    # The case's own copy of the name: as typed, else as the user's own cases know it (see known_name).
    employee_name = (name or "").strip() or selectors.known_name(user, person)
    lead_time = clock.lead_time_for(agency, period)
    try:
        with transaction.atomic():
            case = PayrollCase.objects.create(
                agency=agency,
                period=period,
                payslip_id=payslip_id,
                person=person,
                employee_name=employee_name,
                channel=channel,
                source=PayrollCase.Source.MANUAL,
                status=Status.RECEIVED,
                received_on=received_on,
                handler=user,
                registered_by=user,
                billing_period=billing_period_for_write(period),
                document_type=document_type,
                note=note.strip(),
                lead_time_days=lead_time,
                is_late=clock.is_late(period, received_on),
                due_on=clock.due_date(period=period, received_on=received_on, lead_time_days=lead_time),
            )
    except IntegrityError as exc:  # a colleague registered the same payslip id a moment ago
        raise ValidationError(
            {"payslip_id": _("This payslip id is already registered for the agency and period.")}
        ) from exc
    _record(case, from_status="", user=user, note=_("Document received"))
    if person.protected_identity and not can_see_protected(user):
        # The case is masked for the user who registered it, which tells them the number is protected:
        # unavoidable, so at least in the log of protected identities, where probes show.
        ProtectedIdentityAccess.objects.create(
            user=user, person=person, context=f"payroll case registered {case.reference}"
        )
    if document:
        store_document(CaseDocument, case=case, user=user, upload=document, folder="payroll")
    return case


@transaction.atomic
def mark_registered(*, case: PayrollCase, user) -> PayrollCase:
    """The document has been entered in the payroll system."""
    case = _locked(case)
    _require_status(case, [Status.RECEIVED], _("registered"))
    case.status = Status.REGISTERED
    case.save(update_fields=["status"])
    _record(case, from_status=Status.RECEIVED, user=user)
    return case


@transaction.atomic
def assign_case(*, case: PayrollCase, user) -> PayrollCase:
    """The user takes over an open case as its handler."""
    case = _locked(case)
    _require_status(case, PayrollCase.OPEN_STATUSES, _("taken over"))
    if case.handler_id != user.pk:
        case.handler = user
        case._history_user = user  # the audit trail's "who", also outside a request
        case.save(update_fields=["handler"])
    return case


@transaction.atomic
def return_case(
    *,
    case: PayrollCase,
    user,
    missing: list[str],
    details: str = "",
    reply_by: dt.date | None = None,
    returned_on: dt.date | None = None,
) -> CaseReturn:
    """Send an incomplete document back to the agency; the lead-time clock stops.

    At least one missing item is required ("other" needs a description). An approval
    of an urgent payout is withdrawn: the completed document must be approved again.
    The completed document is due by the next document deadline unless a date is given.
    """
    case = _locked(case)
    _require_status(case, [Status.RECEIVED, Status.REGISTERED], _("returned"))
    valid = set(MissingItem.values)
    missing = [code for code in dict.fromkeys(missing) if code in valid]
    if not missing:
        raise ValidationError({"missing": _("Choose what is missing from the document.")})
    if MissingItem.OTHER in missing and not details.strip():
        raise ValidationError({"details": _("Describe what else is missing.")})
    returned_on = returned_on or timezone.localdate()
    _not_in_future(returned_on, "returned_on")
    if returned_on < case.received_on:
        raise ValidationError({"returned_on": _("A document cannot be returned before it was received.")})
    reply_by = reply_by or clock.next_deadline_after(returned_on)
    if reply_by < returned_on:
        raise ValidationError({"reply_by": _("The date for the completed document cannot be before today.")})
    previous = case.status
    case_return = CaseReturn.objects.create(
        case=case,
        returned_on=returned_on,
        returned_by=user,
        missing=missing,
        details=details.strip(),
        reply_by=reply_by,
        status_before=previous,
    )
    case_return.letter = letters.letter_snapshot(case_return=case_return)
    case_return.save(update_fields=["letter"])
    case.status = Status.RETURNED
    case.clock_stopped_on = returned_on
    note = ", ".join(case_return.missing_labels)
    if case.approved_by_id:
        case.approved_by = None
        case.approved_at = None
        note += " — " + _("the approval of the urgent payout was withdrawn")
    case.save(update_fields=["status", "clock_stopped_on", "approved_by", "approved_at"])
    _record(case, from_status=previous, user=user, note=note)
    webhooks.emit(
        "case.returned",
        {
            "id": case.pk,
            "reference": case.reference,
            "agency": case.agency.code,
            "period": case.period,
            "missing": case_return.missing,
            "reply_by": case_return.reply_by,
        },
        permission="payroll.view_payrollcase",
        agency_id=case.agency_id,
    )
    notices.case_returned(case_return)
    return case_return


@transaction.atomic
def record_document_arrived(*, case: PayrollCase, user, arrived_on: dt.date | None = None) -> PayrollCase:
    """The completed document is back: the clock starts again and the case goes on
    from the status it had when it was returned. The working days it was away are
    added to the due date; a completed document after the period's deadline is late."""
    case = _locked(case)
    _require_status(case, [Status.RETURNED], _("resumed"))
    case_return = case.returns.filter(document_arrived_on__isnull=True).order_by("-id").first()
    arrived_on = arrived_on or timezone.localdate()
    _not_in_future(arrived_on, "arrived_on")
    if arrived_on < case_return.returned_on:
        raise ValidationError({"arrived_on": _("The completed document cannot arrive before it was returned.")})
    paused = clock.paused_between(
        period=case.period, received_on=case.received_on, returned_on=case_return.returned_on, arrived_on=arrived_on
    )
    case_return.document_arrived_on = arrived_on
    case_return.arrival_recorded_by = user
    case_return.paused_days = paused
    case_return.save(update_fields=["document_arrived_on", "arrival_recorded_by", "paused_days"])
    case.status = case_return.status_before
    case.paused_days += paused
    case.clock_stopped_on = None
    case.is_late = case.is_late or clock.is_late(case.period, arrived_on)
    case.due_on = clock.due_date(
        period=case.period,
        received_on=case.received_on,
        lead_time_days=case.lead_time_days,
        paused_days=case.paused_days,
    )
    case.save(update_fields=["status", "paused_days", "clock_stopped_on", "is_late", "due_on"])
    _record(
        case,
        from_status=Status.RETURNED,
        user=user,
        note=_("Completed document arrived %(date)s") % {"date": arrived_on.isoformat()},
    )
    return case


@transaction.atomic
def answer_return(*, case_return: CaseReturn, user, upload) -> CaseDocument:
    """The agency's answer to a returned document, uploaded by its contact in the portal: the file is
    kept with the case (core.documents: PDF or image, size and type checked), the completed document
    is recorded as arrived today (the case goes back to the handler's queue, its clock restarts, as
    when a handler records the arrival) and a note on the case tells the handler. Which returns a
    contact may answer is the portal's scope (portal.selectors); a return already answered is refused."""
    case_return = CaseReturn.objects.select_for_update().select_related("case").get(pk=case_return.pk)
    if not case_return.is_waiting:
        raise ValidationError({"document": _("This returned document is already answered.")})
    case = case_return.case
    document = store_document(CaseDocument, case=case, user=user, upload=upload, folder="payroll")
    record_document_arrived(case=case, user=user)
    CaseNote.objects.create(
        case=case,
        author=user,
        text=_("The agency uploaded the completed document in the portal (%(name)s).") % {"name": document.name},
    )
    notices.answer_received(case_return, handler=case.handler, document_id=document.pk, user=user)
    return document


@transaction.atomic
def approve_urgent_payout(*, case: PayrollCase, user) -> PayrollCase:
    """A second person approves an urgent payout (Girovision) before it can be completed:
    someone with the approval permission who neither registered nor handles the case."""
    if not user.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied
    case = _locked(case)
    if case.channel != Channel.GIROVISION:
        raise ValidationError(_("Only urgent payouts (Girovision) need approval."))
    _require_status(case, [Status.RECEIVED, Status.REGISTERED], _("approved"))
    if case.approved_by_id:
        raise ValidationError(_("The urgent payout is already approved."))
    if user.pk in (case.registered_by_id, case.handler_id):
        raise ValidationError(
            _("An urgent payout must be approved by a second person, not by the one who registered or handles it.")
        )
    case.approved_by = user
    case.approved_at = timezone.now()
    case.save(update_fields=["approved_by", "approved_at"])
    StatusChange.objects.create(
        case=case, from_status=case.status, to_status=case.status, changed_by=user, note=_("Urgent payout approved")
    )
    return case


@transaction.atomic
def complete_case(*, case: PayrollCase, user, completed_on: dt.date | None = None) -> PayrollCase:
    """The payment is done. Urgent payouts need their approval first. The case is
    invoiced in the first open billing period (a case completed after its period was
    closed goes on the next invoice), and its lead time used is kept for the reports."""
    case = _locked(case)
    _require_status(case, [Status.REGISTERED], _("completed"))
    if case.needs_approval:
        raise ValidationError(_("A second person must approve the urgent payout before it is completed."))
    completed_on = completed_on or timezone.localdate()
    case.status = Status.COMPLETED
    case.closed_on = completed_on
    case.billing_period = billing_period_for_write(case.period)
    measured = clock.case_clock(case, today=completed_on)
    case.working_days_used = measured.used if measured else None
    case.save(update_fields=["status", "closed_on", "billing_period", "working_days_used"])
    _record(case, from_status=Status.REGISTERED, user=user)
    return case


@transaction.atomic
def cancel_case(*, case: PayrollCase, user, reason: str) -> PayrollCase:
    """An open case is cancelled; the reason is required and kept."""
    case = _locked(case)
    _require_status(case, PayrollCase.OPEN_STATUSES, _("cancelled"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling the case.")})
    previous = case.status
    today = timezone.localdate()
    if previous == Status.RETURNED:
        open_return = case.returns.filter(document_arrived_on__isnull=True).first()
        if open_return:
            case.paused_days += clock.paused_between(
                period=case.period, received_on=case.received_on, returned_on=open_return.returned_on, arrived_on=today
            )
    case.status = Status.CANCELLED
    case.cancel_reason = reason
    case.closed_on = today
    case.clock_stopped_on = None
    case.save(update_fields=["status", "cancel_reason", "closed_on", "clock_stopped_on", "paused_days"])
    _record(case, from_status=previous, user=user, note=reason)
    return case
