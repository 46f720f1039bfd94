"""Demo data for the economy: the ledger's cost centres and accounts, the year's cost budget per unit
and the actual costs of every closed month of that year.

The centre prices at cost (självkostnad), so the cost budget is the revenue budget of the year
(42.7 mnkr in the seeds' 2012), split over the two units and the cost types; the actual costs run a
little above or below it month by month, and the head of service's office is a cost of the whole
service. Next year's cost budget is this year's 2 % up, with a saved price scenario (a fixed yearly
price per agency). Running it again replaces the same rows.
"""

from decimal import Decimal

from core.billing import latest_closed_period
from core.models import ClosedPeriod
from core.periods import current_period
from economy import services, simulator
from economy.models import CostCentre, CostType, LedgerAccount, PriceScenario
from organisation.models import Target, Unit
from organisation.targets import target_for
from pricing.services import NoPriceList

UNIT_SHARES = {"lon1": Decimal("0.47"), "lon2": Decimal("0.50")}  # the rest is the shared office
TYPE_SHARES = {
    CostType.PERSONNEL: Decimal("0.78"),
    CostType.PREMISES: Decimal("0.08"),
    CostType.IT: Decimal("0.09"),
    CostType.OVERHEAD: Decimal("0.05"),
}
ACCOUNTS = [
    ("5010", "Löner och sociala avgifter", CostType.PERSONNEL),
    ("5210", "Lokalhyra", CostType.PREMISES),
    ("6540", "IT-tjänster och licenser", CostType.IT),
    ("6990", "Förvaltningsgemensamma kostnader", CostType.OVERHEAD),
]
CENTRES = [("1100", "Servicechefens kansli", None), ("1101", "Löneenhet 1", "lon1"), ("1102", "Löneenhet 2", "lon2")]
# Month by month the ledger differs a little from the budget's twelfth (per mille, repeating).
VARIATION = [12, -8, 5, 20, -15, 3, -30, 10, 7, -4, 15, -6]
KRONA = Decimal("1")


def load(*, users) -> None:
    year = int((latest_closed_period() or current_period())[:4])
    budget_total = target_for(Target.Indicator.REVENUE_BUDGET, year) or Decimal("42700000")
    accounts = _accounts()
    centres = _centres()
    units = {u.code: u for u in Unit.objects.filter(code__in=UNIT_SHARES)}
    amounts = {}
    for code, unit_share in UNIT_SHARES.items():
        for cost_type, type_share in TYPE_SHARES.items():
            amounts[(units[code].pk, cost_type.value)] = (budget_total * unit_share * type_share).quantize(KRONA)
    services.save_cost_budget(year=year, amounts=amounts, user=users.get("head_of_service"))
    shared_year = budget_total * (1 - sum(UNIT_SHARES.values()))
    closed = sorted(ClosedPeriod.objects.filter(period__startswith=f"{year:04d}-").values_list("period", flat=True))
    lines = []
    for period in closed:
        month = int(period[5:])
        factor = 1 + Decimal(VARIATION[month - 1]) / 1000
        for code in UNIT_SHARES:
            for account, _name, cost_type in ACCOUNTS:
                twelfth = amounts[(units[code].pk, cost_type.value)] / 12
                amount = (twelfth * (factor if cost_type == CostType.PERSONNEL else 1)).quantize(Decimal("0.01"))
                lines.append(services.CostLine(period, centres[code], accounts[account], amount))
        office = (shared_year / 12).quantize(Decimal("0.01"))
        lines.append(services.CostLine(period, centres[None], accounts["6990"], office))
    if lines:
        services.replace_actual_costs(lines=lines, user=users.get("finance"))
    _next_year(year=year, amounts=amounts, user=users.get("head_of_service"))


def _next_year(*, year: int, amounts: dict, user) -> None:
    """Next year's cost budget (this year's, 2 % up) and a saved price scenario from it: a fixed yearly
    price per agency by last year's payslips."""
    raised = {key: (amount * Decimal("1.02")).quantize(KRONA) for key, amount in amounts.items()}
    services.save_cost_budget(year=year + 1, amounts=raised, user=user)
    base = latest_closed_period()
    if base is None:
        return
    try:
        inputs = simulator.default_inputs(year=year + 1, base_period=base)
    except NoPriceList:
        return
    name = f"Fast pris {year + 1} efter antal lönespecifikationer"
    PriceScenario.objects.filter(name=name, year=year + 1, price_list__isnull=True).delete()
    services.save_scenario(name=name, model=PriceScenario.Model.FIXED, inputs=inputs, user=user)


def _accounts() -> dict[str, LedgerAccount]:
    return {
        account: LedgerAccount.objects.update_or_create(account=account, defaults={"name": name, "cost_type": kind})[0]
        for account, name, kind in ACCOUNTS
    }


def _centres() -> dict[str | None, CostCentre]:
    found = {}
    for code, name, unit_code in CENTRES:
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        found[unit_code] = CostCentre.objects.update_or_create(code=code, defaults={"name": name, "unit": unit})[0]
    return found
