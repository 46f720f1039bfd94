"""Everything that changes pension work: registering cases, the status flow, signal lists."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.billing import billing_period_for_write
from core.documents import clean_note, store_document
from core.periods import period_of
from core.workdays import add_working_days
from customers.models import Agency
from organisation.models import StaffMember
from people.models import Person

from .models import CaseDocument, CaseKind, CaseNote, CaseNumberSeries, PensionCase, SignalItem, StatusChange

Status = PensionCase.Status

# Working days from receipt to the due date when none is given: survivors are not kept waiting.
LEAD_TIME_DAYS = {
    CaseKind.OLD_AGE: 20,
    CaseKind.SURVIVOR: 10,
    CaseKind.INSURANCE: 15,
    CaseKind.OTHER: 20,
}

# The status flow: received → under investigation → decided → paid / closed, with waiting for
# information as a detour; an undecided case can be closed (withdrawn, duplicate) with a reason.
TRANSITIONS = {
    Status.RECEIVED: {Status.INVESTIGATING, Status.WAITING, Status.CLOSED},
    Status.INVESTIGATING: {Status.WAITING, Status.DECIDED, Status.CLOSED},
    Status.WAITING: {Status.INVESTIGATING, Status.DECIDED, Status.CLOSED},
    Status.DECIDED: {Status.PAID, Status.CLOSED},
    Status.PAID: {Status.CLOSED},
    Status.CLOSED: set(),
}


class TransitionError(ValidationError):
    pass


def default_due_on(kind: str, received_on: dt.date) -> dt.date:
    return add_working_days(received_on, LEAD_TIME_DAYS.get(kind, 20))


def allocate_case_number(*, year: int) -> str:
    """The next number of the year's series (PE-2012-00001); call inside the registering transaction."""
    series, _created = CaseNumberSeries.objects.get_or_create(year=year)
    series = CaseNumberSeries.objects.select_for_update().get(pk=series.pk)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return f"PE-{year}-{series.last_number:05d}"


def _check_handler(handler: StaffMember | None, unit) -> None:
    if handler is not None and (handler.unit_id != unit.pk or not handler.active):
        raise ValidationError(
            _("%(name)s is not an active member of %(unit)s.") % {"name": handler.name, "unit": unit}, code="handler"
        )


def _log(case: PensionCase, from_status: str, to_status: str, user, note: str = "") -> None:
    StatusChange.objects.create(
        case=case, from_status=from_status, to_status=to_status, at=timezone.now(), by=user, note=note[:500]
    )


def _with_user(obj, user):
    obj._history_user = user
    return obj


@transaction.atomic
def register_case(
    *,
    kind: str,
    agency: Agency,
    person: Person,
    unit,
    received_on: dt.date,
    user,
    due_on: dt.date | None = None,
    handler: StaffMember | None = None,
    note: str = "",
) -> PensionCase:
    """Register a received case. Without a due date it gets the kind's lead time in working days."""
    if received_on > timezone.localdate():
        raise ValidationError(_("A case cannot be received in the future."), code="future")
    due_on = due_on or default_due_on(kind, received_on)
    if due_on < received_on:
        raise ValidationError(_("The due date cannot be before the day the case was received."), code="due")
    _check_handler(handler, unit)
    case = _with_user(
        PensionCase(
            number=allocate_case_number(year=received_on.year),
            kind=kind,
            agency=agency,
            person=person,
            unit=unit,
            handler=handler,
            received_on=received_on,
            due_on=due_on,
            note=note,
            created_by=user,
        ),
        user,
    )
    case.save()
    _log(case, "", Status.RECEIVED, user)
    return case


def _locked(case: PensionCase) -> PensionCase:
    return PensionCase.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def assign_case(*, case: PensionCase, handler: StaffMember | None, user) -> PensionCase:
    """Give the case to a handler of its unit (or none)."""
    case = _locked(case)
    if case.status == Status.CLOSED:
        raise TransitionError(_("A closed case cannot be reassigned."), code="closed")
    _check_handler(handler, case.unit)
    case.handler = handler
    _with_user(case, user).save(update_fields=["handler"])
    return case


@transaction.atomic
def update_case(*, case: PensionCase, user, **fields) -> PensionCase:
    """Correct a case's kind, agency, due date or note."""
    case = _locked(case)
    for name in ("kind", "agency", "due_on", "note"):
        if name in fields:
            setattr(case, name, fields[name])
    if case.due_on < case.received_on:
        raise ValidationError(_("The due date cannot be before the day the case was received."), code="due")
    _with_user(case, user).save()
    return case


def _move(case: PensionCase, to_status: str, user, note: str) -> str:
    if to_status not in TRANSITIONS[case.status]:
        raise TransitionError(
            _("A case that is %(from)s cannot be moved to %(to)s.")
            % {"from": case.get_status_display().lower(), "to": Status(to_status).label.lower()},
            code="transition",
        )
    from_status = case.status
    case.status = to_status
    return from_status


@transaction.atomic
def start_investigation(*, case: PensionCase, user, note: str = "") -> PensionCase:
    """Received or waiting → under investigation; the one who starts it takes the case when it has no handler."""
    case = _locked(case)
    from_status = _move(case, Status.INVESTIGATING, user, note)
    case.waiting_for = ""
    staff = getattr(user, "staff_member", None)
    if case.handler_id is None and staff is not None and staff.unit_id == case.unit_id:
        case.handler = staff
    _with_user(case, user).save()
    _log(case, from_status, case.status, user, note)
    return case


@transaction.atomic
def wait_for_information(*, case: PensionCase, waiting_for: str, user, note: str = "") -> PensionCase:
    """Put the case on hold until the agency or the person sends what is missing (say what in the note)."""
    if waiting_for not in PensionCase.WaitingFor.values:
        raise ValidationError(_("Say whom the case is waiting for."), code="waiting_for")
    if not note.strip():
        raise ValidationError(_("Say what information is missing."), code="note")
    case = _locked(case)
    from_status = _move(case, Status.WAITING, user, note)
    case.waiting_for = waiting_for
    _with_user(case, user).save()
    _log(case, from_status, case.status, user, note)
    return case


@transaction.atomic
def decide_case(
    *,
    case: PensionCase,
    decision: str,
    decided_on: dt.date,
    user,
    benefit_start: dt.date | None = None,
    note: str = "",
) -> PensionCase:
    """Record the decision. A granted benefit needs its start date. The decision is invoiced in the
    month of the decision date, or in the next open billing period when that month is closed."""
    if decision not in PensionCase.Decision.values:
        raise ValidationError(_("Choose granted or rejected."), code="decision")
    case = _locked(case)
    if decided_on > timezone.localdate():
        raise ValidationError(_("The decision date cannot be in the future."), code="decided_on")
    if decided_on < case.received_on:
        raise ValidationError(_("The decision date cannot be before the case was received."), code="decided_on")
    if decision == PensionCase.Decision.GRANTED and benefit_start is None:
        raise ValidationError(_("A granted benefit needs its start date."), code="benefit_start")
    from_status = _move(case, Status.DECIDED, user, note)
    case.decision = decision
    case.decided_on = decided_on
    case.benefit_start = benefit_start if decision == PensionCase.Decision.GRANTED else None
    case.waiting_for = ""
    case.billing_period = billing_period_for_write(period_of(decided_on))
    _with_user(case, user).save()
    _log(case, from_status, case.status, user, note)
    return case


@transaction.atomic
def mark_paid(*, case: PensionCase, paid_on: dt.date, user, note: str = "") -> PensionCase:
    case = _locked(case)
    if case.decision != PensionCase.Decision.GRANTED:
        raise TransitionError(_("Only a granted benefit can be paid."), code="not_granted")
    if case.decided_on and paid_on < case.decided_on:
        raise ValidationError(_("The payment cannot be before the decision."), code="paid_on")
    if paid_on > timezone.localdate():
        raise ValidationError(_("The payment date cannot be in the future."), code="paid_on")
    from_status = _move(case, Status.PAID, user, note)
    case.paid_on = paid_on
    _with_user(case, user).save()
    _log(case, from_status, case.status, user, note)
    return case


@transaction.atomic
def close_case(*, case: PensionCase, user, note: str = "", closed_on: dt.date | None = None) -> PensionCase:
    """Close a finished case; closing one that was never decided (withdrawn, duplicate) needs a reason."""
    case = _locked(case)
    if not case.decision and not note.strip():
        raise ValidationError(_("Say why the case is closed without a decision."), code="note")
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.received_on:
        raise ValidationError(_("A case cannot be closed before it was received."), code="closed_on")
    from_status = _move(case, Status.CLOSED, user, note)
    case.closed_on = closed_on
    case.waiting_for = ""
    _with_user(case, user).save()
    _log(case, from_status, case.status, user, note)
    return case


# --- Signal lists (their import: pensions/imports.py) -------------------------------------------


def _staff_of(user) -> StaffMember | None:
    return getattr(user, "staff_member", None)


@transaction.atomic
def handle_signal(*, item: SignalItem, user, note: str = "") -> SignalItem:
    """Mark a signal handled without a case (e.g. already known, nothing to do)."""
    item = SignalItem.objects.select_for_update().get(pk=item.pk)
    if item.status != SignalItem.Status.OPEN:
        raise TransitionError(_("The signal has already been dealt with."), code="done")
    item.status = SignalItem.Status.HANDLED
    item.handled_on = timezone.localdate()
    item.handled_by = _staff_of(user)
    if note.strip():
        item.note = note.strip()[:500]
    _with_user(item, user).save()
    return item


@transaction.atomic
def reopen_signal(*, item: SignalItem, user) -> SignalItem:
    """Undo 'handled' on a signal marked by mistake (a signal that opened a case stays with its case)."""
    item = SignalItem.objects.select_for_update().get(pk=item.pk)
    if item.status != SignalItem.Status.HANDLED:
        raise TransitionError(_("Only a handled signal can be reopened."), code="not_handled")
    item.status = SignalItem.Status.OPEN
    item.handled_on = None
    item.handled_by = None
    _with_user(item, user).save()
    return item


@transaction.atomic
def open_case_from_signal(
    *, item: SignalItem, user, kind: str | None = None, handler: StaffMember | None = None
) -> PensionCase:
    """Turn a signal into a pension case received with the list and due by the signal's due date."""
    item = SignalItem.objects.select_for_update().select_related("signal_list").get(pk=item.pk)
    if item.status != SignalItem.Status.OPEN:
        raise TransitionError(_("The signal has already been dealt with."), code="done")
    signal_list = item.signal_list
    staff = _staff_of(user)
    if handler is None and staff is not None and staff.unit_id == signal_list.unit_id:
        handler = staff
    case = register_case(
        kind=kind or SignalItem.CASE_KIND[item.signal],
        agency=item.agency,
        person=item.person,
        unit=signal_list.unit,
        received_on=signal_list.received_on,
        due_on=item.due_on,
        handler=handler,
        note=_("From the signal list %(list)s, row %(row)s.") % {"list": signal_list, "row": item.row},
        user=user,
    )
    item.status = SignalItem.Status.CASE
    item.case = case
    item.handled_on = timezone.localdate()
    item.handled_by = staff
    _with_user(item, user).save()
    return case


# --- documents and notes --------------------------------------------------------------------------


def attach_document(*, case: PensionCase, user, upload) -> CaseDocument:
    """A document kept with the pension case (PDF or image, checked by core.documents)."""
    if not user.has_perm("pensions.change_pensioncase"):
        raise PermissionDenied
    return store_document(CaseDocument, case=case, user=user, upload=upload, folder="pensions")


def add_note(*, case: PensionCase, user, text: str) -> CaseNote:
    """An internal note on the pension case, with who wrote it and when."""
    if not user.has_perm("pensions.change_pensioncase"):
        raise PermissionDenied
    return CaseNote.objects.create(case=case, author=user, text=clean_note(text))
