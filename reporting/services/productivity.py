"""Productivity per FTE, computed in one place for the productivity report, the board's tertial
report and both dashboards: payslips per payroll-administrator FTE a month (against 950 in 2012),
payslips per FTE of payroll and pension staff together in the average month (1,400 from 2025,
followed up every tertial) and pension retirements per pension FTE a year (510). FTE comes from one
staffing selector (``fte_per_month``)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import charts
from core.periods import parse_period, tertial_periods
from core.report import Column, Report
from honours.selectors import honours_fte
from organisation.models import StaffMember, Target, Unit
from organisation.targets import targets_for
from payroll.selectors import payslips_by_unit
from pensions.selectors import pension_retirements
from staffing.selectors import average_fte, fte_per_month

from .figures import CENT, met, ratio

Ind = Target.Indicator
PAYROLL = [StaffMember.Category.PAYROLL_ADMIN]
PENSION = [StaffMember.Category.PENSION_HANDLER]
ALL = "ALL"


def payslips_per_fte(*, payslips: int, months: int, fte) -> Decimal | None:
    """Payslips a month per payroll-administrator FTE: the payslips of ``months`` months over the
    average FTE of those months (None without FTE)."""
    return ratio(Decimal(payslips) / months, fte)


def fte_needed(*, payslips: int, months: int, target) -> Decimal | None:
    """The payroll-administrator FTE the month's payslips need at the target."""
    return ratio(Decimal(payslips) / months, target, CENT) if target else None


def payroll_fte_per_month(*, periods, unit=None) -> dict[str, Decimal]:
    """Payroll-administrator FTE of each month with FTE entered (for ``unit`` or the whole service),
    less the time spent on honour awards that year (``outside_payroll``)."""
    entered = fte_per_month(periods=periods, categories=PAYROLL, unit=unit)
    outside = {year: outside_payroll(year=year, unit=unit) for year in {int(period[:4]) for period in entered}}
    return {period: fte - outside[int(period[:4])] for period, fte in entered.items()}


def outside_payroll(*, year: int, unit=None) -> Decimal:
    """FTE entered as payroll administration but spent on other work, counted outside payroll
    productivity: the city's honour awards (0.18 FTE in 2025)."""
    return honours_fte(year=year, unit=unit)


def scope_periods(
    *, period: str | None = None, year: int | None = None, tertial: int | None = None
) -> tuple[list[str], str]:
    if period:
        parse_period(period)
        return [period], period
    return tertial_periods(year, tertial), f"{year}-T{tertial}"


def productivity_figures(*, periods: list[str], unit=None, payslips: int, year: int, targets: dict) -> dict:
    """The three productivity indicators for ``periods`` (one unit, or the whole service),
    each normalised to its target's basis: the average month, or the year."""
    months = len(periods)
    payroll_fte = average_fte(periods=periods, categories=PAYROLL, unit=unit)
    if payroll_fte is not None:
        payroll_fte -= outside_payroll(year=int(periods[0][:4]), unit=unit)
    pension_fte = average_fte(periods=periods, categories=PENSION, unit=unit)
    retirements = pension_retirements(periods=periods, unit=unit)
    monthly = Decimal(payslips) / months
    target = targets.get(Ind.PAYSLIPS_PER_PAYROLL_FTE)
    per_fte = payslips_per_fte(payslips=payslips, months=months, fte=payroll_fte)
    all_fte = None if payroll_fte is None or pension_fte is None else payroll_fte + pension_fte
    target_all = targets.get(Ind.PAYSLIPS_PER_FTE)
    per_all = ratio(monthly, all_fte)  # the average month of the periods (a month target followed up per tertial)
    target_ret = targets.get(Ind.RETIREMENTS_PER_PENSION_FTE)
    per_year = None if retirements is None else Decimal(retirements) * 12 / months
    per_pension_fte = ratio(per_year, pension_fte)
    return {
        "payslips": payslips,
        "payroll_fte": payroll_fte,
        "payslips_per_fte": per_fte,
        "target": target,
        "status": met(per_fte, target),
        "fte_needed": fte_needed(payslips=payslips, months=months, target=target),
        "staff_fte": all_fte,
        "payslips_per_staff_fte": per_all,
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
    ("payslips_per_staff_fte", gettext_lazy("Payslips per FTE, average month"), "decimal"),
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
    per FTE of payroll and pension staff together in the average month against 1,400 (from 2025),
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
                _("Payslips per FTE of payroll and pension staff (target for the average month)"),
                ["payslips", "staff_fte", "payslips_per_staff_fte", "target_staff", "status_staff"],
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
        columns=[
            Column(k, str(lbl), kind, display_key="unit_name" if k == "unit" else None)
            for k, lbl, kind in PRODUCTIVITY_COLUMNS
        ],
        rows=rows,
        total=total,
    )
    if not any(r["payroll_fte"] for r in rows + ([total] if total else [])):
        report.notes.append(_("FTE: no figures entered for %(scope)s.") % {"scope": label})
    if Ind.PAYSLIPS_PER_FTE not in targets:
        report.notes.append(
            _("No target for payslips per FTE of payroll and pension staff was set for %(year)s (1,400 from 2025).")
            % {"year": year}
        )
    shown = rows + ([total] if total else [])
    report.charts.append(
        charts.bar_chart(
            title=_("Payslips per payroll FTE a month"),
            labels=[r["unit_name"] for r in shown],
            series={
                _("Payslips per FTE"): [r["payslips_per_fte"] for r in shown],
                _("Target"): [r["target"] for r in shown],
            },
        )
    )
    return report
