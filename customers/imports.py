"""Importing the agency register from a CSV file: one service behind the command and the upload page.

File: ``code;name;kind;unit`` (``;`` or ``,``; UTF-8 with or without BOM). ``kind`` is
``district`` or ``specialist``; ``unit`` is a unit's code or name (``organisation.selectors.
UnitLookup``, as in every import), and a unit that does not exist is created with that name. An
agency whose code exists is updated. The whole file is checked first and nothing is written if any
row is wrong.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.csvimport import ImportRejected, RowError
from core.importing import Importer, ImportResult
from organisation.models import Unit
from organisation.selectors import UnitLookup

from . import services
from .models import Agency

CODE_RE = re.compile(r"^[A-Z0-9ÅÄÖ_-]{1,20}$")


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str
    kind: str
    unit: str


class AgencyImporter(Importer):
    columns = ["code", "name", "kind", "unit"]
    empty_message = gettext_lazy("The file has a header but no agencies.")

    def __init__(self):
        super().__init__()
        self.kinds = {k.value for k in Agency.Kind}
        self.units = UnitLookup()
        self.new_units: dict[str, str] = {}  # code -> name
        self.first_line_of: dict[str, int] = {}

    def check_row(self, line, row):
        ok = self._check_code(line, row["code"].upper())
        if not row["name"]:
            ok = self._error(line, "name", _("the name is missing"))
        elif len(row["name"]) > 200:
            ok = self._error(line, "name", _("the name is longer than 200 characters"))
        kind = row["kind"].lower()
        if kind not in self.kinds:
            message = _("unknown kind %(kind)s: use district or specialist") % {"kind": row["kind"] or '""'}
            ok = self._error(line, "kind", message)
        ok = self._check_unit(line, row["unit"]) and ok
        return _Row(line, row["code"].upper(), row["name"], kind, row["unit"]) if ok else None

    def _error(self, line, column, message) -> bool:
        self.errors.add(line, column, message)
        return False

    def _check_code(self, line, code) -> bool:
        if not code:
            return self._error(line, "code", _("the code is missing"))
        if not CODE_RE.match(code):
            return self._error(line, "code", _("%(code)s: use at most 20 letters, digits, - and _") % {"code": code})
        if code in self.first_line_of:
            message = _("%(code)s appears twice in the file (first on row %(row)s)") % {
                "code": code,
                "row": self.first_line_of[code],
            }
            return self._error(line, "code", message)
        self.first_line_of[code] = line
        return True

    def _check_unit(self, line, value) -> bool:
        if not value:
            return self._error(line, "unit", _("the unit is missing"))
        if len(value) > 100:
            return self._error(line, "unit", _("the unit is longer than 100 characters"))
        if self.units.find(value) is not None:
            return True
        new_code = slugify(value)[:20]
        if not new_code:
            return self._error(line, "unit", _("%(unit)s cannot be used as a unit name") % {"unit": value})
        taken = self.units.codes() | set(self.new_units)
        if new_code in taken and self.new_units.get(new_code, "").casefold() != value.casefold():
            message = _("%(unit)s is too like the existing unit %(code)s; use its code") % {
                "unit": value,
                "code": new_code,
            }
            return self._error(line, "unit", message)
        self.new_units.setdefault(new_code, value)
        return True

    def write(self) -> ImportResult:
        created, updated, unchanged, units_created = [], [], [], []
        for code, name in self.new_units.items():
            self.units.add(Unit.objects.create(code=code, name=name))
            units_created.append(name)
        existing = {a.code: a for a in Agency.objects.filter(code__in=[r.code for r in self.rows])}
        for row in self.rows:
            fields = {"name": row.name, "kind": row.kind, "unit": self.units.find(row.unit)}
            agency = existing.get(row.code)
            try:
                if agency is None:
                    services.save_agency(code=row.code, **fields)
                    created.append(row.code)
                elif any(getattr(agency, k) != v for k, v in fields.items()):
                    services.save_agency(agency=agency, **fields)
                    updated.append(row.code)
                else:
                    unchanged.append(row.code)
            except ValidationError as exc:  # the model's own rules; rolls the whole file back
                problems = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                raise ImportRejected(
                    [RowError(row.line, column, " ".join(msgs)) for column, msgs in problems.items()]
                ) from exc
        return _result(created, updated, unchanged, units_created)


def _result(created, updated, unchanged, units_created) -> ImportResult:
    counts = {
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(unchanged),
        "units_created": len(units_created),
    }
    rows = len(created) + len(updated) + len(unchanged)
    message = ngettext(
        "%(rows)s agency read: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.",
        "%(rows)s agencies read: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.",
        rows,
    ) % {"rows": rows, **counts}
    if units_created:
        message += " " + ngettext("New unit: %(units)s.", "New units: %(units)s.", len(units_created)) % {
            "units": ", ".join(units_created)
        }
    details = []
    if created:
        details.append(_("New: %(codes)s") % {"codes": ", ".join(created)})
    if updated:
        details.append(_("Updated: %(codes)s") % {"codes": ", ".join(updated)})
    return ImportResult(counts=counts, message=message, details=details)


def import_agencies(file) -> ImportResult:
    """Create or update the agencies in ``file``; all or nothing (a refused result lists every error)."""
    return AgencyImporter().run(file)
