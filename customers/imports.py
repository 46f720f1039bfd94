"""Importing the agency register from a CSV file: one service behind the command and the upload page.

File: ``code;name;kind;unit`` (``;`` or ``,``; UTF-8 with or without BOM). ``kind`` is
``district`` or ``specialist``; ``unit`` is a unit's code or name, and a unit that does not
exist is created. An agency whose code exists is updated. The whole file is checked first and
nothing is written if any row is wrong.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.csvimport import ErrorCollector, ImportRejected, RowError, check_row_shape, read_rows

from . import services
from .models import Agency, Unit

COLUMNS = ["code", "name", "kind", "unit"]
CODE_RE = re.compile(r"^[A-Z0-9ÅÄÖ_-]{1,20}$")


@dataclass
class AgencyImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def summary(self) -> str:
        text = _("%(rows)s agencies read: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
            "rows": self.rows,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }
        if self.units_created:
            text += " " + ngettext("New unit: %(units)s.", "New units: %(units)s.", len(self.units_created)) % {
                "units": ", ".join(self.units_created)
            }
        return text


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str
    kind: str
    unit: str


def _find_unit(value: str, units: list[Unit]) -> Unit | None:
    wanted = value.casefold()
    for unit in units:
        if unit.code.casefold() == wanted or unit.name.casefold() == wanted:
            return unit
    return None


def _new_unit_code(value: str) -> str:
    return slugify(value)[:20]


def import_agencies(file) -> AgencyImportResult:
    """Create or update the agencies in ``file``; all or nothing (raises ImportRejected with every error)."""
    errors = ErrorCollector()
    rows: list[_Row] = []
    first_line_of: dict[str, int] = {}
    kinds = {k.value for k in Agency.Kind}
    units = list(Unit.objects.all())
    new_units: dict[str, str] = {}  # code -> name
    for line, row in read_rows(file, required=COLUMNS):
        if not check_row_shape(line, row, errors):
            continue
        ok = True
        code = row["code"].upper()
        if not code:
            errors.add(line, "code", _("the code is missing"))
            ok = False
        elif not CODE_RE.match(code):
            errors.add(line, "code", _("%(code)s: use at most 20 letters, digits, - and _") % {"code": code})
            ok = False
        elif code in first_line_of:
            errors.add(
                line,
                "code",
                _("%(code)s appears twice in the file (first on row %(row)s)")
                % {"code": code, "row": first_line_of[code]},
            )
            ok = False
        else:
            first_line_of[code] = line
        if not row["name"]:
            errors.add(line, "name", _("the name is missing"))
            ok = False
        elif len(row["name"]) > 200:
            errors.add(line, "name", _("the name is longer than 200 characters"))
            ok = False
        kind = row["kind"].lower()
        if kind not in kinds:
            errors.add(
                line,
                "kind",
                _("unknown kind %(kind)s: use district or specialist") % {"kind": row["kind"] or '""'},
            )
            ok = False
        unit_value = row["unit"]
        if not unit_value:
            errors.add(line, "unit", _("the unit is missing"))
            ok = False
        elif len(unit_value) > 100:
            errors.add(line, "unit", _("the unit is longer than 100 characters"))
            ok = False
        elif _find_unit(unit_value, units) is None:
            new_code = _new_unit_code(unit_value)
            taken = {u.code for u in units} | set(new_units)
            if not new_code:
                errors.add(line, "unit", _("%(unit)s cannot be used as a unit name") % {"unit": unit_value})
                ok = False
            elif new_code in taken and new_units.get(new_code, "").casefold() != unit_value.casefold():
                errors.add(
                    line,
                    "unit",
                    _("%(unit)s is too like the existing unit %(code)s; use its code")
                    % {"unit": unit_value, "code": new_code},
                )
                ok = False
            else:
                new_units.setdefault(new_code, unit_value)
        if ok:
            rows.append(_Row(line, code, row["name"], kind, unit_value))
    if not errors and not rows:
        errors.add(2, "", _("The file has a header but no agencies."))
    errors.errors.sort(key=lambda e: e.row)  # stable: a row's errors keep their column order
    errors.raise_if_any()
    return _write(rows, new_units)


@transaction.atomic
def _write(rows: list[_Row], new_units: dict[str, str]) -> AgencyImportResult:
    result = AgencyImportResult()
    for code, name in new_units.items():
        Unit.objects.create(code=code, name=name)
        result.units_created.append(name)
    units = list(Unit.objects.all())
    existing = {a.code: a for a in Agency.objects.filter(code__in=[r.code for r in rows])}
    for row in rows:
        unit = _find_unit(row.unit, units)
        fields = {"name": row.name, "kind": row.kind, "unit": unit}
        agency = existing.get(row.code)
        try:
            if agency is None:
                services.save_agency(code=row.code, **fields)
                result.created.append(row.code)
            elif any(getattr(agency, k) != v for k, v in fields.items()):
                services.save_agency(agency=agency, **fields)
                result.updated.append(row.code)
            else:
                result.unchanged.append(row.code)
        except ValidationError as exc:  # the model's own rules; rolls the whole file back
            problems = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            raise ImportRejected(
                [RowError(row.line, column, " ".join(msgs)) for column, msgs in problems.items()]
            ) from exc
    return result
