"""Reads of customers shared by every app. Object access is scoped here, by the user's unit,
so that a forgotten filter in a view cannot show another unit's agencies."""

from django.db.models import QuerySet

from .models import Agency, Unit

VIEW_ALL_UNITS = "customers.view_all_units"


def units_for(user) -> QuerySet[Unit]:
    """The units whose work ``user`` may see: all of them with view_all_units, else their own."""
    if user.has_perm(VIEW_ALL_UNITS):
        return Unit.objects.all()
    ids = set(Unit.objects.filter(manager=user).values_list("id", flat=True))
    staff = getattr(user, "staff_member", None)
    if staff is not None:
        ids.add(staff.unit_id)
    return Unit.objects.filter(id__in=ids)


def agencies_for(user) -> QuerySet[Agency]:
    """The agencies ``user`` may see (their unit's, or all with view_all_units)."""
    if user.has_perm(VIEW_ALL_UNITS):
        return Agency.objects.all()
    return Agency.objects.filter(unit__in=units_for(user))
