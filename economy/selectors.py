"""Read-side queries of the economy: revenue from issued invoices, the ledger's costs and the budget."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from invoicing.models import Invoice, InvoiceLine
from organisation.models import Unit
from payroll.models import Channel

from .models import ActualCost, CostBudget

ZERO = Decimal("0.00")
ORE = Decimal("0.01")


def _ore(value) -> Decimal:
    # SQLite sums decimals as floats: back to öre, as PostgreSQL gives them.
    return Decimal(value).quantize(ORE) if value is not None else ZERO


def _year_filter(year: int) -> dict:
    return {"period__gte": f"{year:04d}-01", "period__lte": f"{year:04d}-12"}


def net_revenue(*, year: int, unit_ids=None) -> dict[tuple[str, int], Decimal]:
    """Invoiced less credited per (month worked, unit): a credit note counts in its invoice's month."""
    rows = Invoice.objects.filter(**_year_filter(year))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    grouped = rows.values("period", "unit_id").annotate(amount=Sum("total")).order_by()
    return {(row["period"], row["unit_id"]): _ore(row["amount"]) for row in grouped}


def actual_costs(*, year: int, unit_ids=None) -> dict[tuple[str, int | None], Decimal]:
    """The ledger's costs per (month, unit); unit None for the costs the whole service shares."""
    rows = ActualCost.objects.filter(**_year_filter(year))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    grouped = rows.values("period", "unit_id").annotate(amount=Sum("amount")).order_by()
    return {(row["period"], row["unit_id"]): _ore(row["amount"]) for row in grouped}


def months_with_costs(*, year: int) -> set[str]:
    return set(ActualCost.objects.filter(**_year_filter(year)).values_list("period", flat=True).distinct())


def cost_budget(*, year: int, unit_ids=None) -> dict[int, dict[str, Decimal]]:
    """The year's cost budget: {unit id: {cost type: amount}}."""
    rows = CostBudget.objects.filter(year=year)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    budget: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        budget[row.unit_id][row.cost_type] = row.amount
    return dict(budget)


def units(unit_ids=None):
    found = Unit.objects.order_by("kind", "name")
    return found if unit_ids is None else found.filter(pk__in=unit_ids)


def invoiced_payslips(*, periods: list[str]) -> dict[str, dict[str, Decimal]]:
    """Payslips invoiced per channel, with the price they were invoiced at, over ``periods``:
    {channel: {"quantity": n, "amount": kr}} (credit notes subtract)."""
    rows = (
        InvoiceLine.objects.filter(invoice__period__in=periods, item_code__in=Channel.values)
        .values("item_code")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by()
    )
    return {row["item_code"]: {"quantity": row["quantity"], "amount": _ore(row["amount"])} for row in rows}
