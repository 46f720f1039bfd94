"""Importing a provider's signal list (KPA, AFA, …): one service behind the command and the upload page.

Columns ``personnummer;agency;signal;event_date`` and optionally ``name;due_date;note`` (see the
README). Every row is checked first (``core.importing``); the list and its items are then written
in one transaction. An item is due by its own ``due_date`` or the list's deadline.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.importing import Importer, ImportResult
from customers.models import Agency
from people.identity import normalize_personnummer
from people.models import Person
from people.services import upsert_people

from .models import Provider, SignalItem, SignalList

# A signal's event lies within a lifetime before the list and a little after it (a coming retirement).
EVENT_DATE_BEFORE, EVENT_DATE_AFTER = dt.timedelta(days=100 * 366), dt.timedelta(days=10 * 366)
PERSON_NAME_MAX = Person._meta.get_field("name").max_length


def _parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat((value or "").strip())


class SignalListImporter(Importer):
    columns = ["personnummer", "agency", "signal", "event_date"]
    optional = ["name", "due_date", "note"]
    empty_message = gettext_lazy("the file has no signals")

    def __init__(self, *, provider, name, unit, received_on, deadline, user=None, filename=""):
        super().__init__()
        self.list_fields = {
            "provider": provider,
            "name": name,
            "unit": unit,
            "received_on": received_on,
            "deadline": deadline,
            "source_filename": filename[:255],
            "imported_by": user,
        }
        self.user = user
        self.received_on, self.deadline = received_on, deadline
        self.agencies = {a.code.lower(): a for a in Agency.objects.all()}
        self.signals = set(SignalItem.Signal.values)
        self.seen: dict[tuple[str, str, dt.date], int] = {}

    def check_start(self):
        if self.list_fields["provider"] not in Provider.values:
            self.errors.add(1, "", _("unknown provider %(provider)s") % {"provider": self.list_fields["provider"]})
        if self.deadline < self.received_on:
            self.errors.add(1, "", _("the list's deadline is before the day it was received"))
            self.errors.raise_if_any()

    def check_row(self, line, row):
        ok = True
        try:
            number = normalize_personnummer(row["personnummer"])
        except ValidationError:
            self.errors.add(line, "personnummer", _("not a valid personal identity number"))
            ok = False
        agency = self.agencies.get(row["agency"].lower())
        if agency is None:
            self.errors.add(line, "agency", _("no agency has the code %(code)s") % {"code": row["agency"][:40]})
            ok = False
        signal = row["signal"].lower()
        if signal not in self.signals:
            codes = ", ".join(sorted(self.signals))
            self.errors.add(line, "signal", _("unknown signal; use one of %(codes)s") % {"codes": codes})
            ok = False
        event_date = self._event_date(line, row["event_date"])
        if len(row.get("name") or "") > PERSON_NAME_MAX:
            self.errors.add(line, "name", _("the name is longer than %d characters") % PERSON_NAME_MAX)
            ok = False
        due_on = self._due_on(line, row.get("due_date"))
        if not ok or event_date is None or due_on is None:
            return None
        key = (number, signal, event_date)
        if key in self.seen:
            message = _("the same signal for this person is already on row %d") % self.seen[key]
            self.errors.add(line, "personnummer", message)
            return None
        self.seen[key] = line
        return (line, number, row.get("name") or "", agency, signal, event_date, due_on, row.get("note") or "")

    def _event_date(self, line, value) -> dt.date | None:
        try:
            event_date = _parse_date(value)
        except ValueError:
            self.errors.add(line, "event_date", _("not a date (YYYY-MM-DD)"))
            return None
        if not self.received_on - EVENT_DATE_BEFORE <= event_date <= self.received_on + EVENT_DATE_AFTER:
            self.errors.add(line, "event_date", _("the date is too far from the day the list was received"))
            return None
        return event_date

    def _due_on(self, line, value) -> dt.date | None:
        if not value:
            return self.deadline
        try:
            due_on = _parse_date(value)
        except ValueError:
            self.errors.add(line, "due_date", _("not a date (YYYY-MM-DD)"))
            return None
        if not self.received_on <= due_on <= self.deadline:
            self.errors.add(
                line,
                "due_date",
                _("must be between the day the list was received and its deadline (%(from)s – %(to)s)")
                % {"from": self.received_on.isoformat(), "to": self.deadline.isoformat()},
            )
            return None
        return due_on

    def write(self) -> ImportResult:
        signal_list = SignalList(**self.list_fields)
        signal_list._history_user = self.user
        signal_list.save()
        names: dict[str, str] = {}
        for _line, number, person_name, *_rest in self.rows:
            names.setdefault(number, person_name)  # the first row's name, as for one person
        known = set(Person.objects.filter(personnummer__in=list(names)).values_list("personnummer", flat=True))
        people = upsert_people(names)
        created = len(set(people) - known)
        SignalItem.objects.bulk_create(
            [
                SignalItem(
                    signal_list=signal_list,
                    row=line,
                    agency=agency,
                    person=people[number],
                    signal=signal,
                    event_date=event_date,
                    due_on=due_on,
                    note=note[:500],
                )
                for line, number, _name, agency, signal, event_date, due_on, note in self.rows
            ]
        )
        count = len(self.rows)
        return ImportResult(
            counts={"signals": count, "people_created": created},
            message=ngettext(
                "The signal list was imported with %(count)d signal.",
                "The signal list was imported with %(count)d signals.",
                count,
            )
            % {"count": count},
            target=signal_list,
        )


def import_signal_list(
    *, file, provider: str, name: str, unit, received_on: dt.date, deadline: dt.date, user=None, filename: str = ""
) -> ImportResult:
    """Read a provider's signal list (CSV, see README) and store it with its items, all or nothing."""
    importer = SignalListImporter(
        provider=provider,
        name=name,
        unit=unit,
        received_on=received_on,
        deadline=deadline,
        user=user,
        filename=filename,
    )
    return importer.run(file)
