"""The staffing imports: FTE per month, unit and category, and the phone service's monthly figures.

Both follow ``core.importing``: every row checked, then one transaction; a month in the file
replaces what was entered for it. Units are named by code or name (``UnitLookup``, as everywhere).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.csvimport import parse_decimal
from core.importing import Importer, ImportResult
from core.periods import parse_period
from organisation.selectors import UnitLookup

from .models import Category
from .services import MAX_FTE, PHONE_COLUMNS, PHONE_COUNTS, MonthChanges, phone_problems, save_phone, write_month


def _period_ok(importer: Importer, line: int, value: str) -> bool:
    try:
        parse_period(value)
    except ValidationError:
        importer.errors.add(line, "period", _("not a month as YYYY-MM"))
        return False
    return True


def _result(changes: MonthChanges) -> ImportResult:
    counts = {
        "created": changes.created,
        "updated": changes.updated,
        "deleted": changes.deleted,
        "unchanged": changes.unchanged,
    }
    message = _(
        "Imported %(months)s: %(created)d new, %(updated)d changed, %(deleted)d removed, %(unchanged)d unchanged."
    ) % {"months": ", ".join(changes.periods), **counts}
    return ImportResult(counts=counts, message=message, target=changes.periods)


class FteImporter(Importer):
    columns = ["period", "unit", "category", "fte"]
    empty_message = gettext_lazy("the file has no rows")

    def __init__(self, *, user=None):
        super().__init__()
        self.user = user
        self.units = UnitLookup()
        self.months: dict[str, dict[tuple[int, str], Decimal]] = {}

    def check_row(self, line, row):
        ok = _period_ok(self, line, row["period"])
        unit = self.units.find(row["unit"])
        if unit is None:
            self.errors.add(line, "unit", _("no unit has the code or name %(unit)s") % {"unit": row["unit"][:40]})
            ok = False
        category = row["category"].lower()
        if category not in Category.values:
            codes = ", ".join(Category.values)
            self.errors.add(line, "category", _("unknown category; use one of %(codes)s") % {"codes": codes})
            ok = False
        try:
            fte = parse_decimal(row["fte"], places=2)
        except ValueError:
            self.errors.add(line, "fte", _("not a number with at most two decimals"))
            ok = False
        else:
            if fte < 0:
                self.errors.add(line, "fte", _("cannot be negative"))
                ok = False
        if not ok:
            return None
        # Rows of one month, unit and category are summed (one row per person or team is fine).
        month = self.months.setdefault(row["period"], {})
        key = (unit.pk, category)
        month[key] = month.get(key, Decimal("0.00")) + fte
        if month[key] > MAX_FTE:
            self.errors.add(line, "fte", _("the month's sum for the unit and category is too large"))
        return None  # kept in self.months

    def write(self) -> ImportResult:
        changes = MonthChanges()
        for period in sorted(self.months):
            changes.add(write_month(period=period, values=self.months[period], units=None, user=self.user))
        return _result(changes)


def import_fte(*, file, user=None) -> ImportResult:
    """Import FTE per month, unit and category (``period;unit;category;fte``), all or nothing.

    Every month in the file replaces that month's figures for every unit: units or categories
    missing from the file for a month it contains are removed.
    """
    return FteImporter(user=user).run(file)


class PhoneImporter(Importer):
    columns = PHONE_COLUMNS
    empty_message = gettext_lazy("the file has no rows")

    def __init__(self, *, user=None):
        super().__init__()
        self.user = user
        self.months: dict[str, dict[str, int]] = {}
        self.lines: dict[str, int] = {}

    def check_row(self, line, row):
        period = row["period"]
        ok = _period_ok(self, line, period)
        values = {}
        for name in PHONE_COUNTS:
            raw = row[name].replace(" ", "").replace("\xa0", "")
            if not raw.isdigit():
                self.errors.add(line, name, _("not a whole number of zero or more"))
                ok = False
            else:
                values[name] = int(raw)
        if not ok:
            return None
        for name, message in phone_problems(values):
            self.errors.add(line, name, message)
            ok = False
        if period in self.lines:
            self.errors.add(line, "period", _("the month is already on row %d") % self.lines[period])
            ok = False
        if ok:
            self.months[period] = values
            self.lines[period] = line
        return None  # kept in self.months

    def write(self) -> ImportResult:
        changes = MonthChanges(periods=sorted(self.months))
        for period in changes.periods:
            outcome = save_phone(period, self.months[period], self.user)
            setattr(changes, outcome, getattr(changes, outcome) + 1)
        return _result(changes)


def import_phone(*, file, user=None) -> ImportResult:
    """Import the telephony system's monthly figures, all or nothing; a month already entered is replaced."""
    return PhoneImporter(user=user).run(file)
