"""The economy report: net revenue against cost per month and for the year so far with the result,
a full-year forecast, per unit and for the whole service, and the cost of a payslip per channel.

- **Revenue** is what was invoiced for a month's work less what was credited (``selectors.net_revenue``).
- **Cost** is the ledger's actual cost of the month as imported (``ActualCost``).
- **Forecast** for the months after the chosen one: cost from the cost budget (the year's budget in
  twelve equal shares, ``core.allocation``), revenue from the trend (the average month of the year so
  far; before any month is invoiced, the revenue budget's share).
- **Cost per payslip** (the allocation key, README "Economy"): the payroll units' costs, plus the
  shared costs in proportion to the payroll units' share of the units' costs, are spread over the
  payslips invoiced with each channel weighted by its price in the list in force (58 : 95 : 145 : 395
  in 2012): a channel that costs more to handle is priced higher in the same ratio.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from core import charts
from core.allocation import spread_over_months, year_months
from core.periods import parse_period
from core.report import ALL, TOTAL, Column, Report
from organisation.models import Target, Unit
from organisation.targets import target_for
from payroll.models import Channel
from pricing import services as pricing

from . import selectors

ZERO = Decimal("0.00")
ORE = Decimal("0.01")
ACTUAL, FORECAST = "actual", "forecast"


def _sum(values) -> Decimal:
    return sum(values, ZERO)


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP) if whole else None


def economy_report(*, period: str, unit_ids=None) -> Report:
    """The year of ``period`` with actuals up to and including ``period`` and a forecast after it;
    ``unit_ids`` (a unit manager's units) leaves out the other units and the shared costs."""
    year, _month = parse_period(period)
    whole_service = unit_ids is None
    months = year_months(year)
    done = [p for p in months if p <= period]
    revenue = selectors.net_revenue(year=year, unit_ids=unit_ids)
    costs = selectors.actual_costs(year=year, unit_ids=unit_ids)
    budget = selectors.cost_budget(year=year, unit_ids=unit_ids)
    budget_year = _sum(amount for by_type in budget.values() for amount in by_type.values())
    budget_by_month = spread_over_months(budget_year, months)
    revenue_by_month = {p: _sum(v for (q, _u), v in revenue.items() if q == p) for p in months}
    cost_by_month = {p: _sum(v for (q, _u), v in costs.items() if q == p) for p in months}
    revenue_budget = target_for(Target.Indicator.REVENUE_BUDGET, year) if whole_service else None
    revenue_trend = _revenue_trend(done, revenue_by_month, revenue_budget, months)

    rows, totals = [], {"revenue": ZERO, "cost": ZERO}
    for p in months:
        actual = p <= period
        row_revenue = revenue_by_month[p] if actual else revenue_trend[p]
        row_cost = cost_by_month[p] if actual else budget_by_month[p]
        totals["revenue"] += row_revenue
        totals["cost"] += row_cost
        rows.append(
            {
                "period": p,
                "basis": _("actual") if actual else _("forecast"),
                "revenue": row_revenue,
                "cost": row_cost,
                "result": row_revenue - row_cost,
                "revenue_cumulative": totals["revenue"],
                "cost_cumulative": totals["cost"],
                "result_cumulative": totals["revenue"] - totals["cost"],
            }
        )
    total = {
        "period": TOTAL,
        "basis": _("forecast") if len(done) < 12 else _("actual"),
        "revenue": totals["revenue"],
        "cost": totals["cost"],
        "result": totals["revenue"] - totals["cost"],
    }
    ytd = {
        "revenue": _sum(revenue_by_month[p] for p in done),
        "cost": _sum(cost_by_month[p] for p in done),
        "cost_budget": _sum(budget_by_month[p] for p in done),
        "revenue_budget": None,
    }
    if revenue_budget is not None:
        allocation = spread_over_months(revenue_budget, months)
        ytd["revenue_budget"] = _sum(allocation[p] for p in done)
    notes = _notes(done, year)
    scope = _("Whole service") if whole_service else ", ".join(u.name for u in selectors.units(unit_ids))
    report = Report(
        name=f"economy-{period}",
        title=_("Economy %(year)s: revenue, cost and result") % {"year": year},
        subtitle=_(
            "%(scope)s. Actual figures up to and including %(period)s, forecast after it; the total row is the "
            "full year."
        )
        % {"scope": scope, "period": period},
        columns=[
            Column("period", _("Month")),
            Column("basis", _("Basis")),
            Column("revenue", _("Net revenue"), "money"),
            Column("cost", _("Cost"), "money"),
            Column("result", _("Result"), "money"),
            Column("revenue_cumulative", _("Revenue, cumulative"), "money"),
            Column("cost_cumulative", _("Cost, cumulative"), "money"),
            Column("result_cumulative", _("Result, cumulative"), "money"),
        ],
        rows=rows,
        total=total,
        notes=notes,
    )
    report.sections.append((_("The year so far and the full year"), _summary(ytd, total, budget_year, revenue_budget)))
    report.sections.append((_("Per unit, the year so far"), _per_unit(done, revenue, costs, budget, unit_ids)))
    if whole_service:
        report.sections.append((_("Cost per payslip, the year so far"), cost_per_payslip(period=period)))
    report.charts.append(
        charts.bar_chart(
            title=_("Net revenue and cost per month (forecast after %(period)s)") % {"period": period},
            labels=[charts.month_label(p) for p in months],
            series={_("Net revenue"): [r["revenue"] for r in rows], _("Cost"): [r["cost"] for r in rows]},
        )
    )
    return report


def _revenue_trend(done, revenue_by_month, revenue_budget, months) -> dict[str, Decimal]:
    invoiced = [p for p in done if revenue_by_month[p]]
    if invoiced:
        average = (_sum(revenue_by_month[p] for p in invoiced) / len(invoiced)).quantize(ORE, ROUND_HALF_UP)
        return dict.fromkeys(months, average)
    if revenue_budget is not None:
        return spread_over_months(revenue_budget, months)
    return dict.fromkeys(months, ZERO)


def _notes(done, year) -> list[str]:
    with_costs = selectors.months_with_costs(year=year)
    missing = [p for p in done if p not in with_costs]
    if not missing:
        return []
    return [
        _("No actual costs are imported for %(months)s: their cost counts as zero.") % {"months": ", ".join(missing)}
    ]


def _summary(ytd, total, budget_year, revenue_budget) -> Report:
    result_budget = None if revenue_budget is None else revenue_budget - budget_year
    result_budget_ytd = None if ytd["revenue_budget"] is None else ytd["revenue_budget"] - ytd["cost_budget"]
    figures = [
        ("revenue", _("Net revenue"), ytd["revenue"], ytd["revenue_budget"], total["revenue"], revenue_budget),
        ("cost", _("Cost"), ytd["cost"], ytd["cost_budget"], total["cost"], budget_year),
        ("result", _("Result"), ytd["revenue"] - ytd["cost"], result_budget_ytd, total["result"], result_budget),
    ]
    return Report(
        name="economy-summary",
        title=_("The year so far and the full year"),
        columns=[
            Column("item", _("Item")),
            Column("year_to_date", _("Year to date"), "money"),
            Column("budget_to_date", _("Budget to date"), "money"),
            Column("forecast", _("Full year, forecast"), "money"),
            Column("budget", _("Budget, full year"), "money"),
        ],
        rows=[
            {"item": label, "key": key, "year_to_date": a, "budget_to_date": b, "forecast": c, "budget": d}
            for key, label, a, b, c, d in figures
        ],
    )


def _per_unit(done, revenue, costs, budget, unit_ids) -> Report:
    """Each unit's revenue, cost and result for the year so far against its cost budget; the costs
    the service shares (cost centres without a unit) on a row of their own."""
    months = year_months(int(done[0][:4])) if done else []
    rows = []
    for unit in selectors.units(unit_ids):
        unit_revenue = _sum(v for (p, u), v in revenue.items() if u == unit.pk and p in done)
        unit_cost = _sum(v for (p, u), v in costs.items() if u == unit.pk and p in done)
        allocation = spread_over_months(_sum(budget.get(unit.pk, {}).values()), months)
        rows.append(_unit_row(unit.name, unit_revenue, unit_cost, _sum(allocation[p] for p in done)))
    if unit_ids is None:
        shared = _sum(v for (p, u), v in costs.items() if u is None and p in done)
        rows.append(_unit_row(_("Shared costs (whole service)"), ZERO, shared, None))
    total = _unit_row(
        ALL if unit_ids is None else TOTAL,
        _sum(r["revenue"] for r in rows),
        _sum(r["cost"] for r in rows),
        _sum(r["cost_budget"] or ZERO for r in rows),
    )
    return Report(
        name="economy-units",
        title=_("Per unit, the year so far"),
        columns=[
            Column("unit", _("Unit")),
            Column("revenue", _("Net revenue"), "money"),
            Column("cost", _("Cost"), "money"),
            Column("result", _("Result"), "money"),
            Column("cost_budget", _("Cost budget to date"), "money"),
            Column("cost_of_budget_pct", _("Cost of budget %"), "pct"),
        ],
        rows=rows,
        total=total,
    )


def _unit_row(name, revenue, cost, cost_budget) -> dict:
    return {
        "unit": name,
        "revenue": revenue,
        "cost": cost,
        "result": revenue - cost,
        "cost_budget": cost_budget,
        "cost_of_budget_pct": _pct(cost, cost_budget) if cost_budget else None,
    }


def cost_per_payslip(*, period: str) -> Report:
    """What a payslip cost the service in the year so far, overall and per channel, against its price.

    The payroll units' costs and their share of the shared costs are spread over the invoiced payslips,
    each channel weighted by its price in the list in force: weight = price / the lowest channel price."""
    year, _month = parse_period(period)
    done = [p for p in year_months(year) if p <= period]
    costs = selectors.actual_costs(year=year)
    payroll_units = set(Unit.objects.filter(kind=Unit.Kind.PAYROLL).values_list("pk", flat=True))
    direct = _sum(v for (p, u), v in costs.items() if u is not None and p in done)
    payroll_direct = _sum(v for (p, u), v in costs.items() if u in payroll_units and p in done)
    shared = _sum(v for (p, u), v in costs.items() if u is None and p in done)
    payroll_cost = payroll_direct + (shared * payroll_direct / direct if direct else shared)
    volumes = selectors.invoiced_payslips(periods=done)
    try:
        price_list = pricing.price_list_in_force(period)
    except pricing.NoPriceList:
        prices = {}
    else:
        prices = dict(price_list.items.filter(item_code__in=Channel.values).values_list("item_code", "price"))
    lowest = min((price for price in prices.values() if price), default=None)
    weights = {code: (price / lowest) for code, price in prices.items() if lowest}
    weighted = _sum(Decimal(v["quantity"]) * weights.get(code, 0) for code, v in volumes.items())
    per_weight = payroll_cost / weighted if weighted else None
    rows = []
    for channel in Channel:
        quantity = Decimal(volumes.get(channel.value, {}).get("quantity") or 0)
        price = prices.get(channel.value)
        weight = weights.get(channel.value)
        cost = (weight * per_weight).quantize(ORE, ROUND_HALF_UP) if weight and per_weight is not None else None
        rows.append(
            {
                "channel": channel.label,
                "code": channel.value,
                "payslips": int(quantity),
                "weight": weight.quantize(Decimal("0.01")) if weight else None,
                "cost_per_payslip": cost,
                "price": price,
                "price_of_cost_pct": _pct(price, cost) if price is not None and cost else None,
            }
        )
    payslips = _sum(Decimal(v["quantity"]) for v in volumes.values())
    invoiced = _sum(v["amount"] for v in volumes.values())
    overall = (payroll_cost / payslips).quantize(ORE, ROUND_HALF_UP) if payslips else None
    average_price = (invoiced / payslips).quantize(ORE, ROUND_HALF_UP) if payslips else None
    total = {
        "channel": TOTAL,
        "code": ALL,
        "payslips": int(payslips),
        "weight": None,
        "cost_per_payslip": overall,
        "price": average_price,
        "price_of_cost_pct": _pct(average_price, overall) if overall and average_price is not None else None,
    }
    return Report(
        name=f"cost-per-payslip-{period}",
        title=_("Cost per payslip, the year so far"),
        subtitle=_(
            "The payroll units' costs (%(cost)s kr with their share of the shared costs) over the payslips "
            "invoiced, each channel weighted by its price."
        )
        % {"cost": payroll_cost.quantize(Decimal(1))},
        columns=[
            Column("channel", _("Channel")),
            Column("code", "code", page=False),
            Column("payslips", _("Payslips"), "int"),
            Column("weight", _("Weight"), "decimal"),
            Column("cost_per_payslip", _("Cost per payslip"), "money"),
            Column("price", _("Price"), "money"),
            Column("price_of_cost_pct", _("Price of cost %"), "pct"),
        ],
        rows=rows,
        total=total,
    )
