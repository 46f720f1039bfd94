"""Writing the person register's changes: people updated, signals made and handled.

The rules of a file's row (``apply_register_file``), for a person the centre knows:

- **Name**: the register's name replaces the one on record (the register is the source of names).
- **Address**: replaced when the row has one; a row without an address leaves it as it is (the
  register gives no address for many protected people).
- **Protected identity**: set or removed as the register says. This is the one place besides an
  administrator that removes it: the register decides. Setting it masks the person on every page at
  once, because every page masks by the person's own flag (``people.identity``).
- **Death**: the day is recorded; every open payroll and pension case of the person is flagged,
  an urgent payout (Girovision) or a granted pension not yet paid as a payment not yet made.

Each change is a ``PersonSignal`` for every unit with work for the person (the units of the
agencies of their payroll cases and the units handling their pension cases; none when there is
no such work), due by the file's deadline.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workdays import add_working_days
from payroll.models import Channel, PayrollCase
from pensions.models import PensionCase
from people.models import Person

from .models import FlaggedWork, PersonSignal, RegisterFile

# Working days from receipt a file's changes are due in unless the importer says otherwise.
DEFAULT_LEAD_DAYS = 5


@dataclass(frozen=True)
class RegisterRow:
    line: int
    personnummer: str
    name: str
    address: tuple[str, str, str, str] | None  # care of, street, postal code, city
    protected: bool
    died_on: dt.date | None


def default_deadline(received_on: dt.date) -> dt.date:
    return add_working_days(received_on, DEFAULT_LEAD_DAYS)


def _units_by_person(person_ids) -> dict[int, set[int]]:
    units: dict[int, set[int]] = defaultdict(set)
    payroll = PayrollCase.objects.filter(person_id__in=person_ids).values_list("person_id", "agency__unit_id")
    pension = PensionCase.objects.filter(person_id__in=person_ids).values_list("person_id", "unit_id")
    for person_id, unit_id in [*payroll.distinct(), *pension.distinct()]:
        units[person_id].add(unit_id)
    return units


def _changes(person: Person, row: RegisterRow) -> list[tuple[str, str, str]]:
    """(kind, before, after) of what the row changes; the person is changed in place."""
    changes = []
    if row.name != person.name:
        changes.append((PersonSignal.Kind.NAME, person.name, row.name))
        person.name = row.name
    if row.address is not None:
        before = person.address
        person.care_of, person.street_address, person.postal_code, person.city = row.address
        if person.address != before:
            changes.append((PersonSignal.Kind.ADDRESS, before, person.address))
    if row.protected != person.protected_identity:
        kind = PersonSignal.Kind.PROTECTION_ADDED if row.protected else PersonSignal.Kind.PROTECTION_REMOVED
        changes.append((kind, "", ""))
        person.protected_identity = row.protected
    if row.died_on and row.died_on != person.died_on:
        before = person.died_on.isoformat() if person.died_on else ""
        changes.append((PersonSignal.Kind.DEATH, before, row.died_on.isoformat()))
        person.died_on = row.died_on
    return changes


def _flag_work(person: Person, death_signals: dict[int | None, PersonSignal]) -> list[FlaggedWork]:
    """The death's flags on the person's open cases, each on the signal of the case's unit."""

    def signal_for(unit_id):
        return death_signals.get(unit_id) or next(iter(death_signals.values()))

    flags = []
    payroll = PayrollCase.objects.filter(person=person, status__in=PayrollCase.OPEN_STATUSES).select_related("agency")
    for case in payroll.order_by("id"):
        reason = FlaggedWork.Reason.UNPAID if case.channel == Channel.GIROVISION else FlaggedWork.Reason.OPEN_CASE
        flags.append(FlaggedWork(signal=signal_for(case.agency.unit_id), reason=reason, payroll_case=case))
    pension = PensionCase.objects.filter(person=person, status__in=PensionCase.UNFINISHED_STATUSES)
    for case in pension.order_by("id"):
        unpaid = case.status == PensionCase.Status.DECIDED and case.decision == PensionCase.Decision.GRANTED
        reason = FlaggedWork.Reason.UNPAID if unpaid else FlaggedWork.Reason.OPEN_CASE
        flags.append(FlaggedWork(signal=signal_for(case.unit_id), reason=reason, pension_case=case))
    return flags


@transaction.atomic
def apply_register_file(
    *, rows: list[RegisterRow], received_on: dt.date, deadline: dt.date, sha256: str, filename: str = "", user=None
) -> RegisterFile:
    """Store the file, update the people it names that the centre knows, and signal every change."""
    register_file = RegisterFile.objects.create(
        received_on=received_on,
        deadline=deadline,
        sha256=sha256,
        source_filename=filename[:255],
        imported_by=user,
        rows=len(rows),
    )
    people = {p.personnummer: p for p in Person.objects.filter(personnummer__in=[r.personnummer for r in rows])}
    units = _units_by_person([p.pk for p in people.values()])
    signals, deaths, changed = [], [], 0
    for row in rows:
        person = people.get(row.personnummer)
        if person is None:
            register_file.unknown_rows += 1
            continue
        was_protected = person.protected_identity
        changes = _changes(person, row)
        if not changes:
            continue
        changed += 1
        person._history_user = user
        person.save()
        protected = was_protected or person.protected_identity
        death_signals = {}
        for unit_id in sorted(units.get(person.pk) or {None}, key=lambda u: u or 0):
            for kind, before, after in changes:
                signal = PersonSignal(
                    register_file=register_file,
                    row=row.line,
                    person=person,
                    unit_id=unit_id,
                    kind=kind,
                    old_value=before[:400],
                    new_value=after[:400],
                    protected=protected,
                    due_on=deadline,
                )
                signal._history_user = user
                signal.save()
                signals.append(signal)
                if kind == PersonSignal.Kind.DEATH:
                    death_signals[unit_id] = signal
        if death_signals:
            deaths.extend(_flag_work(person, death_signals))
    FlaggedWork.objects.bulk_create(deaths)
    register_file.people_changed = changed
    register_file.save(update_fields=["unknown_rows", "people_changed"])
    return register_file


@transaction.atomic
def handle_signal(*, signal: PersonSignal, user, note: str = "") -> PersonSignal:
    signal = PersonSignal.objects.select_for_update().get(pk=signal.pk)
    if not signal.is_open:
        raise ValidationError(_("The signal is already handled."))
    signal.status = PersonSignal.Status.HANDLED
    signal.handled_on = timezone.localdate()
    signal.handled_by = user
    signal.note = (note or "").strip()[:500]
    signal._history_user = user
    signal.save()
    return signal


@transaction.atomic
def reopen_signal(*, signal: PersonSignal, user) -> PersonSignal:
    signal = PersonSignal.objects.select_for_update().get(pk=signal.pk)
    if signal.is_open:
        raise ValidationError(_("The signal is open."))
    signal.status = PersonSignal.Status.OPEN
    signal.handled_on = None
    signal.handled_by = None
    signal._history_user = user
    signal.save()
    return signal
