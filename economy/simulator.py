"""The price-model simulator: next year's prices from next year's cost budget and forecast volumes.

The inputs (``default_inputs``) are plain JSON, so that a saved scenario keeps exactly what it was
computed from:

- **cost**: next year's cost budget (every unit and cost type), editable;
- **volumes per agency**: what each agency was invoiced for per item over the last twelve closed
  months (credit notes subtract), times the trend of each item (those twelve months against the
  twelve before; 1 where there is no earlier year), editable;
- **this year**: what each agency was invoiced over the same twelve months (net), for the change.

``simulate`` computes the three models side by side:

- (a) **per item**: today's prices (the list in force in the last month), scaled by one factor so
  that revenue recovers the cost (the ratios 58 : 95 : 145 : 395 and the hourly rate stay), or
  today's prices as they are, or prices entered by hand;
- (b) **fixed price**: the cost split over the agencies by a key (last year's payslips, last year's
  volumes weighted by today's prices, or employees), to the öre with the largest remainder, so the
  agencies' prices add up to the cost exactly; each month is a twelfth, rounded to the öre;
- (c) **mix**: a share of the cost as a fixed base split as in (b), the rest recovered by per-item
  prices at today's ratios scaled down.

Per-item amounts are quantity × price rounded to the öre, as the pricing engine rounds an invoice line.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from core.allocation import split_by_weights
from core.billing import latest_closed_period
from core.periods import current_period, previous_period
from customers.models import Agency
from invoicing.models import Invoice, InvoiceLine
from payroll.models import Channel, PayrollCase
from pricing import services as pricing
from pricing.models import PriceItem

from .models import CostBudget

ZERO = Decimal("0.00")
ORE = Decimal("0.01")
PER_ITEM, FIXED, MIX = "per_item", "fixed", "mix"
MODELS = {PER_ITEM: _("Per-item prices"), FIXED: _("Fixed yearly price"), MIX: _("Fixed base and per-item prices")}
SOLVE, TODAY, MANUAL = "solve", "today", "manual"
PER_ITEM_MODES = {
    SOLVE: _("Today's ratios, solved to recover the cost"),
    TODAY: _("Today's prices"),
    MANUAL: _("Prices entered by hand"),
}
PAYSLIPS, WEIGHTED, EMPLOYEES = "payslips", "weighted", "employees"
KEYS = {
    PAYSLIPS: _("Last year's share of payslips"),
    WEIGHTED: _("Last year's share of volume at today's prices"),
    EMPLOYEES: _("Number of employees"),
}
DEFAULT_BASE_SHARE = Decimal("40")


def _d(value) -> Decimal:
    return Decimal(str(value or 0))


def _ore(value) -> Decimal:
    return Decimal(value).quantize(ORE, rounding=ROUND_HALF_UP)


def twelve_months(last: str) -> list[str]:
    periods = [last]
    while len(periods) < 12:
        periods.insert(0, previous_period(periods[0]))
    return periods


def default_base_period() -> str:
    return latest_closed_period() or previous_period(current_period())


def _net_quantities(periods: list[str], codes) -> dict[tuple[int, str], Decimal]:
    rows = (
        InvoiceLine.objects.filter(invoice__period__in=periods, item_code__in=codes)
        .values("invoice__agency_id", "item_code")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    return {(row["invoice__agency_id"], row["item_code"]): _d(row["quantity"]) for row in rows}


def default_inputs(*, year: int | None = None, base_period: str | None = None) -> dict:
    """The simulator's starting point: ``year``'s cost budget (default: the year after the base
    period's) and each agency's forecast volumes from the twelve months up to ``base_period``."""
    base_period = base_period or default_base_period()
    year = year or int(base_period[:4]) + 1
    periods = twelve_months(base_period)
    earlier = twelve_months(previous_period(periods[0]))
    price_list = pricing.price_list_in_force(base_period)
    items = list(price_list.items.filter(kind=PriceItem.Kind.PER_UNIT).select_related("base_item").order_by("id"))
    codes = [item.item_code for item in items]
    last = _net_quantities(periods, codes)
    before = _net_quantities(earlier, codes)
    trend = {}
    for code in codes:
        now = sum((q for (_a, c), q in last.items() if c == code), Decimal(0))
        then = sum((q for (_a, c), q in before.items() if c == code), Decimal(0))
        trend[code] = (now / then).quantize(Decimal("0.0001"), ROUND_HALF_UP) if then > 0 and now > 0 else Decimal(1)
    invoiced = dict(
        Invoice.objects.filter(period__in=periods)
        .values("agency_id")
        .annotate(total=Sum("total"))
        .order_by()
        .values_list("agency_id", "total")
    )
    employees = dict(
        PayrollCase.objects.filter(period__in=periods, person__isnull=False)
        .values("agency_id")
        .annotate(n=Count("person", distinct=True))
        .order_by()
        .values_list("agency_id", "n")
    )
    agency_ids = {agency_id for agency_id, _code in last} | set(invoiced)
    agencies = []
    for agency in Agency.objects.filter(pk__in=agency_ids).order_by("code"):
        volumes = {}
        for code in codes:
            quantity = last.get((agency.pk, code), Decimal(0))
            forecast = quantity * trend[code]
            # Counts stay whole; hours keep two decimals.
            volumes[code] = str(forecast.quantize(Decimal(1) if quantity == quantity.to_integral_value() else ORE))
        agencies.append(
            {
                "id": agency.pk,
                "code": agency.code,
                "name": agency.name,
                "this_year": str(_ore(invoiced.get(agency.pk) or 0)),
                "last_year": {code: str(last.get((agency.pk, code), 0)) for code in codes},
                "volumes": volumes,
                "employees": employees.get(agency.pk, 0),
            }
        )
    cost = CostBudget.objects.filter(year=year).aggregate(total=Sum("amount"))["total"]
    return {
        "year": year,
        "base_period": base_period,
        "periods": periods,
        "price_list": str(price_list),
        "cost": str(_ore(cost or 0)),
        "items": [
            {
                "code": item.item_code,
                "name": item.name,
                "unit": item.unit,
                "price": str(item.price),
                "base_item_code": item.base_item.item_code if item.base_item_id else "",
                "note": item.note,
            }
            for item in items
        ],
        "trend": {code: str(value) for code, value in trend.items()},
        "agencies": agencies,
        "per_item_mode": SOLVE,
        "manual_prices": {},
        "fixed_key": PAYSLIPS,
        "base_share": str(DEFAULT_BASE_SHARE),
    }


def _revenue(volumes: dict, prices: dict) -> Decimal:
    return sum((_ore(_d(volumes.get(code)) * price) for code, price in prices.items()), ZERO)


def _scaled(prices: dict, volumes_by_agency: list[dict], target: Decimal) -> dict:
    """Today's prices times one factor, so that the forecast volumes bring in ``target``."""
    today = sum((_revenue(volumes, prices) for volumes in volumes_by_agency), ZERO)
    if not today:
        return dict(prices)
    factor = target / today
    return {code: _ore(price * factor) for code, price in prices.items()}


def _weights(inputs: dict, today: dict) -> dict:
    key = inputs.get("fixed_key") or PAYSLIPS
    weights = {}
    for agency in inputs["agencies"]:
        if key == EMPLOYEES:
            weights[agency["id"]] = _d(agency.get("employees"))
        elif key == WEIGHTED:
            weights[agency["id"]] = _revenue(agency.get("last_year", {}), today)
        else:
            weights[agency["id"]] = sum(
                (_d(q) for code, q in agency.get("last_year", {}).items() if code in Channel.values), Decimal(0)
            )
    return weights


def _model(inputs: dict, *, prices: dict, fixed: dict) -> dict:
    cost = _d(inputs["cost"])
    rows = []
    for agency in inputs["agencies"]:
        this_year = _d(agency["this_year"])
        fixed_year = fixed.get(agency["id"], ZERO)
        per_item = _revenue(agency["volumes"], prices)
        total = fixed_year + per_item
        rows.append(
            {
                "agency_id": agency["id"],
                "code": agency["code"],
                "name": agency["name"],
                "this_year": str(this_year),
                "fixed_year": str(fixed_year),
                "fixed_month": str(_ore(fixed_year / 12)),
                "per_item": str(per_item),
                "total": str(total),
                "change": str(total - this_year),
                "change_pct": str((100 * (total - this_year) / this_year).quantize(Decimal("0.1"), ROUND_HALF_UP))
                if this_year
                else "",
            }
        )
    revenue = sum((_d(row["total"]) for row in rows), ZERO)
    this_year = sum((_d(row["this_year"]) for row in rows), ZERO)
    return {
        "prices": {code: str(price) for code, price in prices.items()},
        "rows": rows,
        "fixed": str(sum(fixed.values(), ZERO)),
        "revenue": str(revenue),
        "cost": str(cost),
        "result": str(revenue - cost),
        "this_year": str(this_year),
        "change": str(revenue - this_year),
    }


def simulate(inputs: dict) -> dict:
    """The three models for ``inputs`` (see the module): {model: {prices, rows, revenue, cost, result, …}}."""
    cost = _d(inputs["cost"])
    today = {item["code"]: _d(item["price"]) for item in inputs["items"]}
    volumes = [agency["volumes"] for agency in inputs["agencies"]]
    mode = inputs.get("per_item_mode") or SOLVE
    if mode == TODAY:
        per_item_prices = dict(today)
    elif mode == MANUAL:
        manual = inputs.get("manual_prices") or {}
        per_item_prices = {code: _ore(_d(manual.get(code, price))) for code, price in today.items()}
    else:
        per_item_prices = _scaled(today, volumes, cost)
    weights = _weights(inputs, today)
    share = min(max(_d(inputs.get("base_share", DEFAULT_BASE_SHARE)), Decimal(0)), Decimal(100))
    base = _ore(cost * share / 100)
    return {
        PER_ITEM: _model(inputs, prices=per_item_prices, fixed={}),
        FIXED: _model(inputs, prices=dict.fromkeys(today, ZERO), fixed=split_by_weights(cost, weights)),
        MIX: _model(inputs, prices=_scaled(today, volumes, cost - base), fixed=split_by_weights(base, weights)),
    }


def with_volumes(inputs: dict, *, volumes: dict, employees: dict) -> dict:
    """``inputs`` with the volumes ({(agency id, code): quantity}) and employees ({agency id: n}) edited."""
    edited = defaultdict(dict)
    for (agency_id, code), quantity in volumes.items():
        edited[agency_id][code] = str(quantity)
    agencies = []
    for agency in inputs["agencies"]:
        agencies.append(
            {
                **agency,
                "volumes": {**agency["volumes"], **edited.get(agency["id"], {})},
                "employees": employees.get(agency["id"], agency.get("employees", 0)),
            }
        )
    return {**inputs, "agencies": agencies}


def compare(scenarios) -> dict:
    """Saved scenarios side by side, each with its chosen model: {"columns": [...], "rows": [...]},
    a row per agency in any of them with each scenario's yearly amount and change, then the totals."""
    columns = [
        {
            "scenario": scenario,
            "revenue": scenario.chosen.get("revenue"),
            "cost": scenario.chosen.get("cost"),
            "result": scenario.chosen.get("result"),
        }
        for scenario in scenarios
    ]
    agencies: dict[str, dict] = {}
    for index, scenario in enumerate(scenarios):
        for row in scenario.chosen.get("rows", []):
            entry = agencies.setdefault(row["code"], {"code": row["code"], "name": row["name"], "cells": {}})
            entry["cells"][index] = row
    rows = [
        {**entry, "cells": [entry["cells"].get(index) for index in range(len(columns))]}
        for _code, entry in sorted(agencies.items())
    ]
    return {"columns": columns, "rows": rows}


def side_by_side(result: dict) -> dict:
    """The three models of a result as one table: a row per agency with this year and each model's
    yearly amount and change, and a summary per model (revenue, cost, result)."""
    order = [PER_ITEM, FIXED, MIX]
    rows = []
    for index, row in enumerate(result[PER_ITEM]["rows"]):
        rows.append(
            {
                "code": row["code"],
                "name": row["name"],
                "this_year": row["this_year"],
                "models": [result[model]["rows"][index] for model in order],
            }
        )
    return {
        "models": [{"key": model, "label": MODELS[model], **result[model]} for model in order],
        "rows": rows,
    }
