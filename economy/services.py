"""Write-side rules of the economy: the cost budget of a year and the ledger's actual costs of a month,
each replaced as a whole in one transaction."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from customers.models import Agency
from pricing import services as pricing
from pricing.models import PriceItem

from . import simulator
from .models import ActualCost, CostBudget, CostCentre, LedgerAccount, PriceScenario

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


# --- price scenarios -------------------------------------------------------------------------

FIXED_ITEM_CODE = "fixed_base"


def save_scenario(*, name: str, model: str, inputs: dict, user=None) -> PriceScenario:
    """Save a run of the simulator: its inputs, the model chosen and the three models' result as
    computed now from those inputs (a later change of the budget or the volumes leaves it as it was)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the scenario a name.")})
    if model not in PriceScenario.Model.values:
        raise ValidationError({"model": _("Choose one of the three models.")})
    return PriceScenario.objects.create(
        name=name[:100],
        year=int(inputs["year"]),
        model=model,
        inputs=inputs,
        result=simulator.simulate(inputs),
        created_by=user,
    )


def _draft_items(scenario: PriceScenario) -> list[pricing.ItemSpec]:
    prices = scenario.chosen["prices"]
    items = [
        pricing.ItemSpec(
            item_code=item["code"],
            name=item["name"],
            unit=item["unit"],
            price=Decimal(prices.get(item["code"], item["price"])),
            base_item_code=item.get("base_item_code", ""),
            note=item.get("note", ""),
        )
        for item in scenario.inputs["items"]
    ]
    if scenario.model != PriceScenario.Model.PER_ITEM:
        items.append(
            pricing.ItemSpec(
                item_code=FIXED_ITEM_CODE,
                name=_("Fixed amount per month"),
                unit=_("month"),
                price=simulator.ZERO,
                kind=PriceItem.Kind.FIXED_MONTHLY,
            )
        )
    return items


@transaction.atomic
def make_draft_price_list(*, scenario: PriceScenario, user=None):
    """Turn a scenario into next year's draft price list: a new version of the scenario's year (the
    first one when the year has none), not frozen, with the chosen model's prices and, for a fixed or
    mixed model, a fixed monthly item with each agency's twelfth of its yearly amount. A scenario makes
    one draft."""
    scenario = PriceScenario.objects.select_for_update().get(pk=scenario.pk)
    if scenario.price_list_id:
        raise ValidationError(
            _("This scenario has already made the price list %(list)s.") % {"list": scenario.price_list}
        )
    note = _("Draft from the price scenario '%(name)s' (%(model)s); not yet decided.") % {
        "name": scenario.name,
        "model": scenario.get_model_display(),
    }
    items = _draft_items(scenario)
    newest = pricing.latest_version(scenario.year)
    if newest is None:
        price_list = pricing.create_price_list(year=scenario.year, note=note, items=items, user=user)
    else:
        start = max(newest.effective_from, dt.date(scenario.year, 1, 1))
        copy = pricing.new_price_list_version(price_list=newest, effective_from=start, note=note, user=user)
        price_list = pricing.update_price_list(price_list=copy, effective_from=start, note=note, items=items)
    if scenario.model != PriceScenario.Model.PER_ITEM:
        agencies = Agency.objects.in_bulk([row["agency_id"] for row in scenario.chosen["rows"]])
        amounts = {
            agencies[row["agency_id"]]: Decimal(row["fixed_month"])
            for row in scenario.chosen["rows"]
            if row["agency_id"] in agencies
        }
        pricing.set_monthly_amounts(price_list=price_list, item_code=FIXED_ITEM_CODE, amounts=amounts)
    price_list = pricing.mark_as_draft(price_list=price_list)
    scenario.price_list = price_list
    scenario.save(update_fields=["price_list"])
    return price_list
