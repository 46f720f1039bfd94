"""The economy's imports, through ``core.importing`` (every row checked, then one transaction):

- the cost budget, ``year;unit;cost_type;amount``: each year in the file replaces that year's budget;
- the ledger's actual costs, ``period;ansvar;konto;amount``: each month in the file replaces that month.
  Every cost centre (ansvar) and account (konto) must be mapped first (README "Economy"); a row with an
  unmapped one refuses the file, so no cost is silently left out of the result.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.csvimport import parse_decimal
from core.importing import Importer, ImportResult
from core.periods import parse_period
from organisation.selectors import UnitLookup

from . import services
from .models import CostCentre, CostType, LedgerAccount


def _amount(importer: Importer, line: int, value: str, *, negative_ok: bool) -> Decimal | None:
    try:
        amount = parse_decimal(value, places=2)
    except ValueError:
        importer.errors.add(line, "amount", _("not an amount in SEK with at most two decimals"))
        return None
    if abs(amount) > services.MAX_AMOUNT:
        importer.errors.add(line, "amount", _("too large"))
        return None
    if amount < 0 and not negative_ok:
        importer.errors.add(line, "amount", _("cannot be negative"))
        return None
    return amount


class CostBudgetImporter(Importer):
    columns = ["year", "unit", "cost_type", "amount"]
    empty_message = gettext_lazy("the file has no rows")

    def __init__(self, *, user=None):
        super().__init__()
        self.user = user
        self.units = UnitLookup()
        self.years: dict[int, dict[tuple[int, str], Decimal]] = {}
        self.lines: dict[tuple[int, int, str], int] = {}

    def check_row(self, line, row):
        ok = True
        year = row["year"]
        if not (year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100):
            self.errors.add(line, "year", _("not a year between 2000 and 2100"))
            ok = False
        unit = self.units.find(row["unit"])
        if unit is None:
            self.errors.add(line, "unit", _("no unit has the code or name %(unit)s") % {"unit": row["unit"][:40]})
            ok = False
        cost_type = row["cost_type"].lower()
        if cost_type not in CostType.values:
            codes = ", ".join(CostType.values)
            self.errors.add(line, "cost_type", _("unknown cost type; use one of %(codes)s") % {"codes": codes})
            ok = False
        amount = _amount(self, line, row["amount"], negative_ok=False)
        if not ok or amount is None:
            return None
        key = (int(year), unit.pk, cost_type)
        if key in self.lines:
            self.errors.add(
                line, "cost_type", _("the same year, unit and cost type is already on row %d") % self.lines[key]
            )
            return None
        self.lines[key] = line
        self.years.setdefault(int(year), {})[(unit.pk, cost_type)] = amount
        return None  # kept in self.years

    def write(self) -> ImportResult:
        rows = 0
        for year in sorted(self.years):
            rows += services.save_cost_budget(year=year, amounts=self.years[year], user=self.user).rows
        years = ", ".join(str(year) for year in sorted(self.years))
        message = _("Cost budget imported for %(years)s: %(rows)d rows.") % {"years": years, "rows": rows}
        return ImportResult(counts={"rows": rows}, message=message, target=sorted(self.years))


def import_cost_budget(*, file, user=None) -> ImportResult:
    return CostBudgetImporter(user=user).run(file)


class ActualCostImporter(Importer):
    columns = ["period", "ansvar", "konto", "amount"]
    empty_message = gettext_lazy("the file has no rows")

    def __init__(self, *, user=None):
        super().__init__()
        self.user = user
        self.cost_centres = {c.code.lower(): c for c in CostCentre.objects.select_related("unit")}
        self.accounts = {a.account.lower(): a for a in LedgerAccount.objects.all()}
        self.lines: list[services.CostLine] = []

    def check_row(self, line, row):
        ok = True
        try:
            parse_period(row["period"])
        except ValidationError:
            self.errors.add(line, "period", _("not a month as YYYY-MM"))
            ok = False
        cost_centre = self.cost_centres.get(row["ansvar"].lower())
        if cost_centre is None:
            self.errors.add(
                line,
                "ansvar",
                _("cost centre %(code)s is not mapped to a unit or to the whole service")
                % {"code": row["ansvar"][:20]},
            )
            ok = False
        account = self.accounts.get(row["konto"].lower())
        if account is None:
            self.errors.add(
                line, "konto", _("account %(code)s is not mapped to a cost type") % {"code": row["konto"][:20]}
            )
            ok = False
        amount = _amount(self, line, row["amount"], negative_ok=True)  # a correction may be negative
        if ok and amount is not None:
            self.lines.append(services.CostLine(row["period"], cost_centre, account, amount))
        return None

    def write(self) -> ImportResult:
        replaced = services.replace_actual_costs(lines=self.lines, user=self.user)
        total = sum((line.amount for line in self.lines), Decimal("0.00"))
        message = _("Actual costs imported for %(months)s: %(rows)d rows, %(total)s kr in all.") % {
            "months": ", ".join(replaced.keys),
            "rows": replaced.rows,
            "total": total,
        }
        return ImportResult(
            counts={"rows": replaced.rows, "removed": replaced.removed}, message=message, target=replaced.keys
        )


def import_actual_costs(*, file, user=None) -> ImportResult:
    return ActualCostImporter(user=user).run(file)
