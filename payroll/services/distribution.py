"""Work distribution: a unit manager assigns or reassigns open cases to the unit's handlers (or to
one lent to the unit), many at once. Each change is in the case's audit trail with who made it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..selectors import cases_for

DISTRIBUTE = "payroll.distribute_cases"
CHANGE = "payroll.change_payrollcase"


@transaction.atomic
def assign_cases(*, case_ids, handler, user) -> int:
    """Give the open cases ``case_ids`` (of the user's units) to ``handler`` (None: nobody); returns how
    many changed. The handler must be a case handler who may see every one of those cases."""
    if not user.has_perm(DISTRIBUTE):
        raise PermissionDenied
    ids = sorted({int(pk) for pk in case_ids})
    if not ids:
        raise ValidationError(_("Choose the cases to assign."))
    cases = list(cases_for(user).filter(pk__in=ids).select_for_update().order_by("pk"))
    if len(cases) != len(ids):
        raise ValidationError(_("Some of the chosen cases are not your unit's."))
    if any(not case.is_open for case in cases):
        raise ValidationError(_("Only open cases can be assigned."))
    if handler is not None:
        if not handler.is_active or not handler.has_perm(CHANGE):
            raise ValidationError(_("%(name)s does not handle payroll cases.") % {"name": handler.get_username()})
        reachable = set(cases_for(handler).filter(pk__in=ids).values_list("pk", flat=True))
        if reachable != set(ids):
            raise ValidationError(
                _("%(name)s does not work with the agencies of all the chosen cases.")
                % {"name": handler.get_full_name() or handler.get_username()}
            )
    changed = 0
    for case in cases:
        if case.handler_id != (handler.pk if handler else None):
            case.handler = handler
            case._history_user = user
            case.save(update_fields=["handler"])
            changed += 1
    return changed
