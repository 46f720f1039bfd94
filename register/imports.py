"""Importing a file from the tax agency's person register (EPS): one service behind the command
and the upload page.

Columns ``personnummer;name;street_address;postal_code;city;protected_identity`` and optionally
``care_of;deceased_on`` (see the README). Every row is checked first (``core.importing``); then,
in one transaction, each person the centre knows is updated and every change becomes a signal
(``register.services.apply_register_row``). Rows of people the centre does not know are counted
and left out: the register covers the whole city, the centre only its employees.
"""

import datetime as dt
import hashlib
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.csvimport import ImportRejected, RowError
from core.importing import Importer, ImportResult
from people.identity import normalize_personnummer
from people.models import Person

from . import services
from .models import RegisterFile

NAME_MAX = Person._meta.get_field("name").max_length
CARE_OF_MAX = Person._meta.get_field("care_of").max_length
STREET_MAX = Person._meta.get_field("street_address").max_length
CITY_MAX = Person._meta.get_field("city").max_length
POSTAL_CODE = re.compile(r"^(\d{3}) ?(\d{2})$")
PROTECTED_VALUES = {"0": False, "1": True}
EARLIEST_DEATH = dt.date(1900, 1, 1)


def file_sha256(binary) -> str:
    digest = hashlib.sha256()
    binary.seek(0)
    for chunk in iter(lambda: binary.read(1 << 20), b""):
        digest.update(chunk)
    binary.seek(0)
    return digest.hexdigest()


class RegisterImporter(Importer):
    columns = ["personnummer", "name", "street_address", "postal_code", "city", "protected_identity"]
    optional = ["care_of", "deceased_on"]
    empty_message = gettext_lazy("the file has no people")

    def __init__(self, *, received_on: dt.date, deadline: dt.date, sha256: str, user=None, filename=""):
        super().__init__()
        self.received_on, self.deadline, self.sha256 = received_on, deadline, sha256
        self.user, self.filename = user, filename
        self.seen: dict[str, int] = {}

    def check_start(self):
        if self.deadline < self.received_on:
            raise ImportRejected([RowError(1, "", _("the deadline is before the day the file was received"))])
        earlier = RegisterFile.objects.filter(sha256=self.sha256).first()
        if earlier:
            raise ImportRejected(
                [
                    RowError(
                        1,
                        "",
                        _("this file was imported before (received %(date)s); nothing was imported")
                        % {"date": earlier.received_on.isoformat()},
                    )
                ]
            )

    def _text(self, line, row, column, limit) -> str | None:
        value = (row.get(column) or "").strip()
        if len(value) > limit:
            self.errors.add(line, column, _("longer than %d characters") % limit)
            return None
        return value

    def check_row(self, line, row):
        ok = True
        try:
            number = normalize_personnummer(row["personnummer"])
        except ValidationError:
            self.errors.add(line, "personnummer", _("not a valid personal identity number"))
            number, ok = None, False
        name = self._text(line, row, "name", NAME_MAX)
        if name == "":
            self.errors.add(line, "name", _("the name is missing"))
            ok = False
        care_of = self._text(line, row, "care_of", CARE_OF_MAX)
        street = self._text(line, row, "street_address", STREET_MAX)
        city = self._text(line, row, "city", CITY_MAX)
        postal_code = (row.get("postal_code") or "").strip()
        match = POSTAL_CODE.match(postal_code)
        if postal_code and not match:
            self.errors.add(line, "postal_code", _("not a postal code (five digits, e.g. 118 25)"))
            ok = False
        postal_code = f"{match[1]} {match[2]}" if match else ""
        if None in (name, care_of, street, city):
            ok = False
        elif (street or postal_code or city or care_of) and not (street and postal_code and city):
            self.errors.add(
                line, "street_address", _("an address needs street address, postal code and city (or none of them)")
            )
            ok = False
        protected = PROTECTED_VALUES.get((row.get("protected_identity") or "").strip())
        if protected is None:
            self.errors.add(line, "protected_identity", _("must be 1 (protected) or 0"))
            ok = False
        deceased_on = self._deceased_on(line, row.get("deceased_on") or "")
        if deceased_on is False:
            ok = False
        if number and number in self.seen:
            self.errors.add(line, "personnummer", _("the same person is already on row %d") % self.seen[number])
            return None
        if not ok:
            return None
        self.seen[number] = line
        address = (care_of, street, postal_code, city) if street else None
        return services.RegisterRow(
            line=line, personnummer=number, name=name, address=address, protected=protected, died_on=deceased_on
        )

    def _deceased_on(self, line, value):
        value = value.strip()
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.errors.add(line, "deceased_on", _("not a date (YYYY-MM-DD)"))
            return False
        if not EARLIEST_DEATH <= day <= self.received_on:
            self.errors.add(line, "deceased_on", _("the date must be before the day the file was received"))
            return False
        return day

    def write(self) -> ImportResult:
        register_file = services.apply_register_file(
            rows=self.rows,
            received_on=self.received_on,
            deadline=self.deadline,
            sha256=self.sha256,
            filename=self.filename,
            user=self.user,
        )
        signals = register_file.signals.count()
        message = ngettext(
            "The file was read: %(changed)d of %(rows)d people changed, %(signals)d signal to handle.",
            "The file was read: %(changed)d of %(rows)d people changed, %(signals)d signals to handle.",
            signals,
        ) % {"changed": register_file.people_changed, "rows": register_file.rows, "signals": signals}
        details = []
        if register_file.unknown_rows:
            details.append(
                ngettext(
                    "%(count)d row is of a person the centre does not know; it was left out.",
                    "%(count)d rows are of people the centre does not know; they were left out.",
                    register_file.unknown_rows,
                )
                % {"count": register_file.unknown_rows}
            )
        return ImportResult(
            counts={"rows": register_file.rows, "changed": register_file.people_changed, "signals": signals},
            message=message,
            details=details,
            target=register_file,
        )


def import_register_file(
    *, file, received_on: dt.date, deadline: dt.date, user=None, filename: str = ""
) -> ImportResult:
    """Read an EPS file (CSV, see README) and update the people the centre knows, all or nothing."""
    importer = RegisterImporter(
        received_on=received_on, deadline=deadline, sha256=file_sha256(file), user=user, filename=filename
    )
    return importer.run(file)
