"""Deviations (avvikelser): handlers register the centre's own errors; unit managers follow them up
(the correction, the corrective action, the status). Each change is in the audit trail."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.selectors import agencies_for

from ..models import Deviation
from ..selectors import cases_for

REGISTER = "payroll.add_deviation"
FOLLOW_UP = "payroll.follow_up_deviation"

FIELDS = ("kind", "cause", "description", "correction", "corrected_on", "corrective_action")


def _check(*, user, agency, case, occurred_on, corrected_on, status=None) -> None:
    if not agencies_for(user).filter(pk=agency.pk).exists():
        raise ValidationError({"agency": _("The agency is not one of your unit's.")})
    if case is not None:
        if not cases_for(user).filter(pk=case.pk).exists():
            raise ValidationError({"case": _("The case is not one of your unit's.")})
        if case.agency_id != agency.pk:
            raise ValidationError({"case": _("The case belongs to another agency.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    if corrected_on is not None and corrected_on > timezone.localdate():
        raise ValidationError({"corrected_on": _("The date cannot be in the future.")})
    if corrected_on is not None and corrected_on < occurred_on:
        raise ValidationError({"corrected_on": _("The correction cannot be before the deviation.")})
    if status in (Deviation.Status.CORRECTED, Deviation.Status.CLOSED) and corrected_on is None:
        raise ValidationError({"corrected_on": _("Say when the error was corrected.")})


@transaction.atomic
def register_deviation(*, user, agency, occurred_on, kind, cause, description, case=None, **details) -> Deviation:
    """A handler registers an error of the centre's own, on one of their unit's agencies (and, if given,
    on one of that agency's cases). It starts as registered; corrected when a correction date is given."""
    if not user.has_perm(REGISTER):
        raise PermissionDenied
    corrected_on = details.get("corrected_on")
    _check(user=user, agency=agency, case=case, occurred_on=occurred_on, corrected_on=corrected_on)
    return Deviation.objects.create(
        agency=agency,
        case=case,
        occurred_on=occurred_on,
        kind=kind,
        cause=cause,
        description=description,
        correction=details.get("correction", ""),
        corrected_on=corrected_on,
        corrective_action=details.get("corrective_action", ""),
        status=Deviation.Status.CORRECTED if corrected_on else Deviation.Status.OPEN,
        registered_by=user,
    )


@transaction.atomic
def update_deviation(*, deviation, user, **changes) -> Deviation:
    """The unit manager follows up a deviation of the unit's: correction, corrective action, status.
    Closed needs the correction's date and the corrective action."""
    if not user.has_perm(FOLLOW_UP):
        raise PermissionDenied
    deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
    agency = changes.get("agency", deviation.agency)
    case = changes.get("case", deviation.case)
    occurred_on = changes.get("occurred_on", deviation.occurred_on)
    corrected_on = changes.get("corrected_on", deviation.corrected_on)
    status = changes.get("status", deviation.status)
    _check(user=user, agency=agency, case=case, occurred_on=occurred_on, corrected_on=corrected_on, status=status)
    action = changes.get("corrective_action", deviation.corrective_action)
    if status == Deviation.Status.CLOSED and not action.strip():
        raise ValidationError({"corrective_action": _("A deviation is closed with its corrective action.")})
    for field in ("agency", "case", "occurred_on", "status", *FIELDS):
        if field in changes:
            setattr(deviation, field, changes[field])
    deviation.save()
    return deviation
