"""Who sees which units: every page, export and report scopes its reads through ``units_for``."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Unit, UnitLoan

VIEW_ALL_UNITS = "organisation.view_all_units"


def units_for(user) -> QuerySet[Unit]:
    """The units whose work ``user`` may see: all of them with view_all_units, else their own."""
    if user.has_perm(VIEW_ALL_UNITS):
        return Unit.objects.all()
    ids = set(Unit.objects.filter(manager=user).values_list("id", flat=True))
    staff = getattr(user, "staff_member", None)
    if staff is not None:
        ids.add(staff.unit_id)
        ids.update(lent_to_unit_ids(staff))
    return Unit.objects.filter(id__in=ids)


def active_loans(*, day=None) -> QuerySet[UnitLoan]:
    """Loans in force on ``day`` (today): started, and neither ended nor ended early."""
    day = day or timezone.localdate()
    return UnitLoan.objects.filter(starts_on__lte=day).filter(
        Q(ended_early_on__isnull=True, ends_on__gte=day) | Q(ended_early_on__gte=day)
    )


def lent_to_unit_ids(staff, *, day=None) -> set[int]:
    """The units ``staff`` is lent to on ``day``: they work on those units' cases too, until the loan ends."""
    return set(active_loans(day=day).filter(staff_member=staff).values_list("to_unit_id", flat=True))


def scoped_unit_ids(user) -> list[int] | None:
    """None for users who see the whole service; else the ids of their units."""
    if user.has_perm(VIEW_ALL_UNITS):
        return None
    return list(units_for(user).values_list("id", flat=True))


class UnitLookup:
    """Units as every import and command names them: by code or by name, ignoring case (a code
    wins when it is also another unit's name). One rule, so a unit one import made by its name is
    found by the next import under that name."""

    def __init__(self, units=None):
        self._units: dict[str, Unit] = {}
        for unit in Unit.objects.all() if units is None else units:
            self.add(unit)

    def add(self, unit: Unit) -> None:
        self._units.setdefault(unit.name.casefold(), unit)
        self._units[unit.code.casefold()] = unit

    def find(self, value: str) -> Unit | None:
        return self._units.get((value or "").strip().casefold())

    def codes(self) -> set[str]:
        return {unit.code for unit in self._units.values()}
