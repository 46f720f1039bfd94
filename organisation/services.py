"""Lending a staff member to another unit for a period (seeds 2009, 2025: redistributing work
between units). The decision is the lending unit's manager's; it is kept with who decided and when
(and in the audit trail), and units_for gives the staff member the other unit's work for the loan's
days only."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import StaffMember, Unit, UnitLoan
from .selectors import VIEW_ALL_UNITS

LEND = "organisation.add_unitloan"
END = "organisation.change_unitloan"


def _may_decide_for(user, staff: StaffMember) -> bool:
    return user.has_perm(VIEW_ALL_UNITS) or Unit.objects.filter(pk=staff.unit_id, manager=user).exists()


@transaction.atomic
def lend_staff(*, staff_member: StaffMember, to_unit: Unit, starts_on: dt.date, ends_on: dt.date, user, reason=""):
    """Lend ``staff_member`` (of the user's own unit) to ``to_unit`` from ``starts_on`` to ``ends_on``."""
    if not user.has_perm(LEND) or not _may_decide_for(user, staff_member):
        raise PermissionDenied
    if to_unit.pk == staff_member.unit_id:
        raise ValidationError({"to_unit": _("The staff member already works in that unit.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The loan cannot end before it starts.")})
    if ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("The loan would already be over.")})
    StaffMember.objects.select_for_update().get(pk=staff_member.pk)  # one decision at a time per person
    overlapping = UnitLoan.objects.filter(staff_member=staff_member, starts_on__lte=ends_on).exclude(
        ended_early_on__isnull=False, ended_early_on__lt=starts_on
    )
    overlapping = [loan for loan in overlapping if loan.last_day >= starts_on]
    if overlapping:
        raise ValidationError(_("%(name)s is already lent during those days.") % {"name": staff_member.name})
    loan = UnitLoan(
        staff_member=staff_member,
        to_unit=to_unit,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=(reason or "").strip(),
        decided_by=user,
    )
    loan._history_user = user
    loan.save()
    return loan


@transaction.atomic
def end_loan(*, loan: UnitLoan, user) -> UnitLoan:
    """End a loan now: from today the staff member no longer works on the other unit's cases."""
    if not user.has_perm(END) or not _may_decide_for(user, loan.staff_member):
        raise PermissionDenied
    loan = UnitLoan.objects.select_for_update().get(pk=loan.pk)
    today = timezone.localdate()
    if loan.last_day < today:
        raise ValidationError(_("The loan is already over."))
    # Its last day is yesterday; a loan that has not begun is called off and never gives any access.
    loan.ended_early_on = max(today, loan.starts_on) - dt.timedelta(days=1)
    loan._history_user = user
    loan.save(update_fields=["ended_early_on"])
    return loan
