"""The capacity forecast: the FTE each payroll unit needs in the six months after a month, against
the FTE planned in staffing.

- **Volumes**: each unit's payslips a month over the last twelve months, times the month's seasonal
  index: how that calendar month compares with the average month in the earlier years on record (up
  to three years back; 1 when there is no history).
- **FTE needed** = forecast payslips / the target productivity of the month's year (the targets
  table: 950 payslips per payroll-administrator FTE a month from 2012).
- **FTE planned**: the payroll administrators' FTE entered in staffing for the month, or, when the
  month has none yet, the last month entered ("as now").
- **The whole service**, where the targets table has a target of payslips per FTE of payroll and
  pension staff for the month's year (1,400 from 2025): every payroll unit's forecast payslips against
  that target, and the payroll administrators' and pension handlers' FTE planned in every unit.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from core.periods import next_period, parse_period, periods_between, previous_period
from core.report import TOTAL, Column, Report
from organisation.models import StaffMember, Target, Unit
from organisation.targets import target_for
from payroll.selectors import volume_rows
from staffing.models import MonthlyFte

MONTHS_AHEAD = 6
HISTORY_YEARS = 3
FTE = Decimal("0.01")
PAYROLL_ADMIN = StaffMember.Category.PAYROLL_ADMIN
PAYROLL_AND_PENSION = [StaffMember.Category.PAYROLL_ADMIN, StaffMember.Category.PENSION_HANDLER]


def _months_after(period: str, count: int) -> list[str]:
    months, current = [], period
    for _month in range(count):
        current = next_period(current)
        months.append(current)
    return months


def _months_back(period: str, count: int) -> list[str]:
    first = period
    for _month in range(count - 1):
        first = previous_period(first)
    return periods_between(first, period)


def seasonal_index(history: dict[str, int]) -> dict[int, Decimal]:
    """{calendar month: that month's average payslips / the average month}, from ``history``
    ({period: payslips}); 1 for a calendar month without history."""
    present = {p: n for p, n in history.items() if n}
    if not present:
        return dict.fromkeys(range(1, 13), Decimal(1))
    average = Decimal(sum(present.values())) / len(present)
    index = {}
    for month in range(1, 13):
        values = [n for p, n in present.items() if int(p[5:]) == month]
        index[month] = (Decimal(sum(values)) / len(values) / average) if values else Decimal(1)
    return index


def forecast_volumes(*, period: str, unit_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """{unit id: {month: forecast payslips}} for the six months after ``period``."""
    history_months = _months_back(period, 12 * HISTORY_YEARS)
    by_unit: dict[int, dict[str, int]] = {unit_id: {} for unit_id in unit_ids}
    for row in volume_rows(periods=history_months, unit_ids=unit_ids, group_by=("period", "unit_id")):
        by_unit[row["unit_id"]][row["period"]] = row["payslips"]
    last_year = _months_back(period, 12)
    forecast = {}
    for unit_id, history in by_unit.items():
        recent = [history[p] for p in last_year if history.get(p)]
        base = Decimal(sum(recent)) / len(recent) if recent else Decimal(0)
        index = seasonal_index(history)
        forecast[unit_id] = {
            month: (base * index[int(month[5:])]).quantize(Decimal(1), ROUND_HALF_UP)
            for month in _months_after(period, MONTHS_AHEAD)
        }
    return forecast


def planned_fte(
    *, months: list[str], unit_ids: list[int], up_to: str, category=PAYROLL_ADMIN
) -> dict[tuple[int, str], tuple]:
    """{(unit id, month): (FTE, entered)}: the month's payroll-administrator FTE (or ``category``'s) in
    staffing, or the last month entered up to ``up_to`` (entered False)."""
    rows = MonthlyFte.objects.filter(unit_id__in=unit_ids, category=category)
    entered = {(r.unit_id, r.period): r.fte for r in rows.filter(period__in=months)}
    latest = {}
    for row in rows.filter(period__lte=up_to).order_by("unit_id", "-period"):
        latest.setdefault(row.unit_id, row.fte)
    planned = {}
    for unit_id in unit_ids:
        for month in months:
            if (unit_id, month) in entered:
                planned[(unit_id, month)] = (entered[(unit_id, month)], True)
            else:
                planned[(unit_id, month)] = (latest.get(unit_id), False)
    return planned


def capacity_report(*, period: str, unit_ids=None) -> Report:
    """FTE needed per payroll unit for the six months after ``period`` against the FTE planned."""
    parse_period(period)
    units = Unit.objects.filter(kind=Unit.Kind.PAYROLL).order_by("name")
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    units = list(units)
    months = _months_after(period, MONTHS_AHEAD)
    volumes = forecast_volumes(period=period, unit_ids=[u.pk for u in units])
    planned = planned_fte(months=months, unit_ids=[u.pk for u in units], up_to=period)
    targets = {m: target_for(Target.Indicator.PAYSLIPS_PER_PAYROLL_FTE, int(m[:4])) for m in months}
    rows, totals = [], {}
    for month in months:
        target = targets[month]
        for unit in units:
            payslips = volumes[unit.pk][month]
            needed = (payslips / target).quantize(FTE, ROUND_HALF_UP) if target else None
            fte, entered = planned[(unit.pk, month)]
            rows.append(_row(unit.name, month, payslips, target, needed, fte, entered))
            total = totals.setdefault(month, {"payslips": Decimal(0), "needed": Decimal(0), "planned": Decimal(0)})
            total["payslips"] += payslips
            total["needed"] += needed or 0
            total["planned"] += fte or 0
    if unit_ids is None:
        rows += _whole_service_rows(months=months, volumes=volumes, period=period)
    shortfalls = [r for r in rows if r["difference"] is not None and r["difference"] < 0]
    notes = [
        _("%(unit)s is short of %(fte)s FTE in %(month)s.")
        % {"unit": r["unit"], "fte": -r["difference"], "month": r["period"]}
        for r in shortfalls
    ]
    last = totals.get(months[-1], {})
    return Report(
        name=f"capacity-{period}",
        title=_("Capacity, the six months after %(period)s") % {"period": period},
        subtitle=_(
            "Payslips forecast from the last twelve months and the seasons of earlier years; FTE needed at the "
            "target productivity; FTE planned as entered in staffing (or as the last month entered)."
        ),
        columns=[
            Column("unit", _("Unit")),
            Column("period", _("Month")),
            Column("payslips_forecast", _("Payslips, forecast"), "int"),
            Column("target", _("Target per FTE"), "int"),
            Column("fte_needed", _("FTE needed"), "decimal"),
            Column("fte_planned", _("FTE planned"), "decimal"),
            Column("planned_basis", _("Planned as")),
            Column("difference", _("Surplus (+) or shortfall (−)"), "decimal"),
        ],
        rows=rows,
        total={
            "unit": TOTAL,
            "period": months[-1],
            "payslips_forecast": last.get("payslips"),
            "target": None,
            "fte_needed": last.get("needed"),
            "fte_planned": last.get("planned"),
            "planned_basis": "",
            "difference": (last["planned"] - last["needed"]) if last else None,
        },
        notes=notes,
    )


def _whole_service_rows(*, months: list[str], volumes: dict, period: str) -> list[dict]:
    """The whole service's FTE needed at the target of payslips per FTE of payroll and pension staff,
    against the payroll administrators' and pension handlers' FTE planned in every unit; only for the
    months whose year has that target."""
    targets = {m: target_for(Target.Indicator.PAYSLIPS_PER_FTE, int(m[:4])) for m in months}
    if not any(targets.values()):
        return []
    all_units = list(Unit.objects.values_list("pk", flat=True))
    planned = {
        category: planned_fte(months=months, unit_ids=all_units, up_to=period, category=category)
        for category in PAYROLL_AND_PENSION
    }
    rows = []
    for month in months:
        target = targets[month]
        if not target:
            continue
        payslips = sum((by_month[month] for by_month in volumes.values()), Decimal(0))
        needed = (payslips / target).quantize(FTE, ROUND_HALF_UP)
        entries = [planned[c][(u, month)] for c in PAYROLL_AND_PENSION for u in all_units]
        known = [fte for fte, _entered in entries if fte is not None]
        fte = sum(known, Decimal(0)) if known else None
        entered = any(entered for _fte, entered in entries)
        rows.append(_row(_("Whole service, payroll and pension staff"), month, payslips, target, needed, fte, entered))
    return rows


def _row(unit_name, month, payslips, target, needed, fte, entered) -> dict:
    return {
        "unit": unit_name,
        "period": month,
        "payslips_forecast": int(payslips),
        "target": target,
        "fte_needed": needed,
        "fte_planned": fte,
        "planned_basis": _("entered") if entered else (_("as the last month") if fte is not None else ""),
        "difference": (fte - needed) if fte is not None and needed is not None else None,
    }
