"""Write-side rules of the economy: the cost budget of a year and the ledger's actual costs of a month,
each replaced as a whole in one transaction."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from .models import ActualCost, CostBudget, CostCentre, LedgerAccount

MAX_AMOUNT = Decimal("999999999999.99")


@dataclass
class CostLine:
    period: str
    cost_centre: CostCentre
    account: LedgerAccount
    amount: Decimal


@dataclass
class Replaced:
    """What replacing a year's budget or months' costs did."""

    keys: list = field(default_factory=list)  # the years or months replaced
    rows: int = 0
    removed: int = 0


@transaction.atomic
def save_cost_budget(*, year: int, amounts: dict[tuple[int, str], Decimal], unit_ids=None, user=None) -> Replaced:
    """Make ``year``'s cost budget exactly ``amounts`` ({(unit id, cost type): SEK}): other rows of the
    year (of ``unit_ids`` only, when given) are removed, and a zero amount is no row."""
    wanted = {key: amount for key, amount in amounts.items() if amount}
    rows = CostBudget.objects.filter(year=year)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    stale = [row.pk for row in rows if (row.unit_id, row.cost_type) not in wanted]
    removed, _ = CostBudget.objects.filter(pk__in=stale).delete()
    for (unit_id, cost_type), amount in wanted.items():
        CostBudget.objects.update_or_create(
            year=year, unit_id=unit_id, cost_type=cost_type, defaults={"amount": amount, "updated_by": user}
        )
    return Replaced(keys=[year], rows=len(wanted), removed=removed)


@transaction.atomic
def replace_actual_costs(*, lines: list[CostLine], user=None) -> Replaced:
    """Every month the lines hold is replaced by them: the ledger's export of a month is the whole month.
    Unit and cost type are copied from the mappings now, so that a later change of a mapping does not
    rewrite the months already imported."""
    periods = sorted({line.period for line in lines})
    removed, _ = ActualCost.objects.filter(period__in=periods).delete()
    ActualCost.objects.bulk_create(
        ActualCost(
            period=line.period,
            cost_centre=line.cost_centre,
            account=line.account,
            unit_id=line.cost_centre.unit_id,
            cost_type=line.account.cost_type,
            amount=line.amount,
            imported_by=user,
        )
        for line in lines
    )
    return Replaced(keys=periods, rows=len(lines), removed=removed)
