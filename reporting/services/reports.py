"""The volume and productivity reports, each built once as a ``core.report.Report`` and then
shown as a page or written as CSV, XLSX or PDF."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.periods import parse_period, tertial_periods
from core.report import TOTAL, Column, Report
from customers.models import Agency
from invoicing.documents import invoice_report
from organisation.models import StaffMember, Target, Unit
from organisation.targets import targets_for
from payroll.models import Channel
from payroll.selectors import MACHINE_CHANNELS, payslips_by_unit, volume_rows
from pensions.selectors import billable_counts as pension_billable_counts
from pensions.selectors import pension_retirements
from staffing.selectors import average_fte

from . import charts

Ind = Target.Indicator
PAYROLL = [StaffMember.Category.PAYROLL_ADMIN]
PENSION = [StaffMember.Category.PENSION_HANDLER]
ONE = Decimal("0.1")
CENT = Decimal("0.01")
ALL = "ALL"


def ratio(numerator, denominator, places=ONE) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def met(value, target, indicator=None) -> bool | None:
    if value is None or target is None:
        return None
    return value <= target if indicator in Target.LOWER_IS_BETTER else value >= target


def pct(part, whole) -> Decimal | None:
    return ratio(Decimal(100) * part, whole) if whole else None


# --- volume -------------------------------------------------------------------------------


def last_year(period: str) -> str:
    year, month = parse_period(period)
    return f"{year - 1:04d}-{month:02d}"


def volume_report(*, period: str, unit_ids=None) -> Report:
    """Payslips per agency and channel in a pay period, the machine share, decided pension
    cases, and the same month last year."""
    parse_period(period)
    before = last_year(period)
    counts: dict[tuple[str, int], dict[str, int]] = {}
    for row in volume_rows(periods=[period, before], unit_ids=unit_ids, group_by=("period", "agency_id", "channel")):
        counts.setdefault((row["period"], row["agency_id"]), {})[row["channel"]] = row["payslips"]
    pensions = pension_billable_counts(billing_period=period)
    agency_ids = {agency_id for (_p, agency_id) in counts} | set(pensions)
    agencies = Agency.objects.filter(pk__in=agency_ids).select_related("unit").order_by("code")
    if unit_ids is not None:
        agencies = agencies.filter(unit_id__in=unit_ids)
    channels = list(Channel)
    columns = [
        Column("agency_code", _("Agency")),
        Column("agency_name", _("Name")),
        Column("unit", _("Unit")),
        *[Column(c.value, c.label, "int") for c in channels],
        Column("payslips", _("Payslips"), "int"),
        Column("machine_share_pct", _("Machine %"), "pct"),
        Column("pension_cases", _("Pension cases"), "int"),
        Column("payslips_last_year", _("Same month last year"), "int"),
        Column("change_pct", _("Change %"), "pct"),
    ]
    rows = []
    for agency in agencies:
        now = counts.get((period, agency.pk), {})
        then = counts.get((before, agency.pk), {})
        rows.append(
            _volume_row(agency.code, agency.name, agency.unit.code, channels, now, then, pensions.get(agency.pk, {}))
        )
    total_now = {c.value: sum(r[c.value] for r in rows) for c in channels}
    total = {
        "agency_code": TOTAL,
        "agency_name": "",
        "unit": "",
        **total_now,
        "payslips": sum(r["payslips"] for r in rows),
        "pension_cases": sum(r["pension_cases"] for r in rows),
        "payslips_last_year": sum(r["payslips_last_year"] for r in rows),
    }
    total["machine_share_pct"] = pct(sum(total_now.get(c, 0) for c in MACHINE_CHANNELS), total["payslips"])
    total["change_pct"] = _change(total["payslips"], total["payslips_last_year"])
    report = Report(
        name=f"volume-{period}",
        title=_("Volumes %(period)s") % {"period": period},
        subtitle=_("Payslips per agency and channel, against %(before)s") % {"before": before},
        columns=columns,
        rows=rows,
        total=total,
    )
    report.charts.append(
        charts.bar_chart(
            title=_("Payslips per channel"),
            labels=[str(c.label) for c in channels],
            series={
                period: [total_now[c.value] for c in channels],
                before: [sum(counts.get((before, a.pk), {}).get(c.value, 0) for a in agencies) for c in channels],
            },
        )
    )
    return report


def _change(now, then):
    return ratio(Decimal(100) * (now - then), then) if then else None


def _volume_row(code, name, unit, channels, now, then, pensions):
    payslips = sum(now.values())
    machine = sum(now.get(c, 0) for c in MACHINE_CHANNELS)
    previous = sum(then.values())
    return {
        "agency_code": code,
        "agency_name": name,
        "unit": unit,
        **{c.value: now.get(c.value, 0) for c in channels},
        "payslips": payslips,
        "machine_share_pct": pct(machine, payslips),
        "pension_cases": pensions.get("pension_case", 0),
        "payslips_last_year": previous,
        "change_pct": _change(payslips, previous),
    }


# --- productivity -------------------------------------------------------------------------


def scope_periods(
    *, period: str | None = None, year: int | None = None, tertial: int | None = None
) -> tuple[list[str], str]:
    if period:
        parse_period(period)
        return [period], period
    return tertial_periods(year, tertial), f"{year}-T{tertial}"


def productivity_figures(*, periods: list[str], unit=None, payslips: int, year: int, targets: dict) -> dict:
    """The three productivity indicators for ``periods`` (one unit, or the whole service),
    each normalised to its target's basis: per month, per tertial, per year."""
    months = len(periods)
    payroll_fte = average_fte(periods=periods, categories=PAYROLL, unit=unit)
    pension_fte = average_fte(periods=periods, categories=PENSION, unit=unit)
    retirements = pension_retirements(periods=periods, unit=unit)
    monthly = Decimal(payslips) / months
    target = targets.get(Ind.PAYSLIPS_PER_PAYROLL_FTE)
    per_fte = ratio(monthly, payroll_fte)
    all_fte = None if payroll_fte is None or pension_fte is None else payroll_fte + pension_fte
    target_all = targets.get(Ind.PAYSLIPS_PER_FTE)
    per_all = ratio(monthly * 4, all_fte)  # per tertial (four months)
    target_ret = targets.get(Ind.RETIREMENTS_PER_PENSION_FTE)
    per_year = None if retirements is None else Decimal(retirements) * 12 / months
    per_pension_fte = ratio(per_year, pension_fte)
    return {
        "payslips": payslips,
        "payroll_fte": payroll_fte,
        "payslips_per_fte": per_fte,
        "target": target,
        "status": met(per_fte, target),
        "fte_needed": ratio(monthly, target, CENT) if target else None,
        "staff_fte": all_fte,
        "payslips_per_staff_fte_tertial": per_all,
        "target_staff": target_all,
        "status_staff": met(per_all, target_all),
        "retirements": retirements,
        "pension_fte": pension_fte,
        "retirements_per_pension_fte_year": per_pension_fte,
        "target_retirements": target_ret,
        "status_retirements": met(per_pension_fte, target_ret),
        "pension_fte_needed": ratio(per_year, target_ret, CENT) if target_ret and per_year is not None else None,
    }


PRODUCTIVITY_COLUMNS = [
    ("unit", gettext_lazy("Unit"), "text"),
    ("payslips", gettext_lazy("Payslips"), "int"),
    ("payroll_fte", gettext_lazy("Payroll FTE"), "decimal"),
    ("payslips_per_fte", gettext_lazy("Payslips per FTE a month"), "decimal"),
    ("target", gettext_lazy("Target"), "int"),
    ("status", gettext_lazy("Met"), "status"),
    ("fte_needed", gettext_lazy("FTE needed at target"), "decimal"),
    ("staff_fte", gettext_lazy("Payroll + pension FTE"), "decimal"),
    ("payslips_per_staff_fte_tertial", gettext_lazy("Payslips per FTE a tertial"), "decimal"),
    ("target_staff", gettext_lazy("Target"), "int"),
    ("status_staff", gettext_lazy("Met"), "status"),
    ("retirements", gettext_lazy("Pension retirements"), "int"),
    ("pension_fte", gettext_lazy("Pension FTE"), "decimal"),
    ("retirements_per_pension_fte_year", gettext_lazy("Retirements per FTE a year"), "decimal"),
    ("target_retirements", gettext_lazy("Target"), "int"),
    ("status_retirements", gettext_lazy("Met"), "status"),
    ("pension_fte_needed", gettext_lazy("Pension FTE needed"), "decimal"),
]


def productivity_report(*, period=None, year=None, tertial=None, unit_ids=None) -> Report:
    """Payslips per payroll-administrator FTE against the month target (950 in 2012), payslips
    per FTE of payroll and pension staff together against the tertial target (1,400 in 2025),
    pension retirements per pension FTE against the year target (510): per unit and ALL."""
    periods, label = scope_periods(period=period, year=year, tertial=tertial)
    year = int(periods[0][:4])
    targets = targets_for(year)
    by_unit = payslips_by_unit(periods=periods)
    units = Unit.objects.order_by("code")
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    rows = [
        {"unit": unit.code, "unit_name": unit.name}
        | productivity_figures(periods=periods, unit=unit, payslips=by_unit.get(unit.pk, 0), year=year, targets=targets)
        for unit in units
    ]
    total = None
    if unit_ids is None:
        total = {"unit": ALL, "unit_name": _("Whole service")} | productivity_figures(
            periods=periods, unit=None, payslips=sum(by_unit.values()), year=year, targets=targets
        )
    report = Report(
        column_groups=[
            (
                _("Payslips per payroll-administrator FTE (target a month)"),
                ["payslips", "payroll_fte", "payslips_per_fte", "target", "status", "fte_needed"],
            ),
            (
                _("Payslips per FTE of payroll and pension staff (target a tertial)"),
                ["payslips", "staff_fte", "payslips_per_staff_fte_tertial", "target_staff", "status_staff"],
            ),
            (
                _("Pension retirements per pension-handler FTE (target a year)"),
                [
                    "retirements",
                    "pension_fte",
                    "retirements_per_pension_fte_year",
                    "target_retirements",
                    "status_retirements",
                    "pension_fte_needed",
                ],
            ),
        ],
        name=f"productivity-{label}",
        title=_("Productivity %(scope)s") % {"scope": label},
        subtitle=_("Per unit and for the whole service, against the targets for %(year)s") % {"year": year},
        columns=[Column(k, str(lbl), kind) for k, lbl, kind in PRODUCTIVITY_COLUMNS],
        rows=rows,
        total=total,
    )
    if not any(r["payroll_fte"] for r in rows + ([total] if total else [])):
        report.notes.append(_("FTE: no figures entered for %(scope)s.") % {"scope": label})
    if Ind.PAYSLIPS_PER_FTE not in targets:
        report.notes.append(
            _("No target for payslips per FTE a tertial was set for %(year)s (1,400 from 2025).") % {"year": year}
        )
    shown = rows + ([total] if total else [])
    report.charts.append(
        charts.bar_chart(
            title=_("Payslips per payroll FTE a month"),
            labels=[r["unit"] for r in shown],
            series={
                _("Payslips per FTE"): [r["payslips_per_fte"] for r in shown],
                _("Target"): [r["target"] for r in shown],
            },
        )
    )
    return report


REPORTS = {"volume": volume_report, "productivity": productivity_report, "invoices": invoice_report}
