"""Reads behind the unit manager's and the head of service's dashboards.

Every figure is one query whatever the number of agencies: volumes come from the
monthly aggregate (or one GROUP BY on the case index for an open month), FTE for
13 months from one query of staffing's monthly FTE, revenue from one GROUP BY of invoices.
Payslips per FTE are computed as in the reports (``services.productivity``).
"""

from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import charts
from core.billing import latest_closed_period
from core.periods import current_period, periods_between, previous_period, tertial_of
from core.report import Column, Report
from core.templatetags.formatting import sek
from customers.models import Agency
from customers.selectors import complaints_summary
from economy.capacity import capacity_report
from invoicing.selectors import invoiced_revenue
from organisation.models import Target
from organisation.targets import monthly_budget, targets_for
from payroll import selectors as payroll
from payroll.models import CHANNEL_SHORT, Channel
from pensions.selectors import volumes as pension_volumes

from .services.board import tertial_report
from .services.figures import met, pct
from .services.productivity import fte_needed, payroll_fte_per_month, payslips_per_fte, productivity_report

Ind = Target.Indicator


@dataclass
class Dashboard:
    period: str
    kpis: list[dict] = field(default_factory=list)
    charts: list = field(default_factory=list)
    figures: list[tuple[str, object]] = field(default_factory=list)  # figures shown generically
    reports: list = field(default_factory=list)  # (title, Report) tables
    notes: list[str] = field(default_factory=list)


def default_tertial() -> tuple[int, int]:
    period = latest_closed_period() or previous_period(current_period())
    return int(period[:4]), tertial_of(period)


def thirteen_months(period: str) -> list[str]:
    first = period
    for _i in range(12):
        first = previous_period(first)
    return periods_between(first, period)


def _volumes(dashboard: Dashboard, *, period: str, unit, targets) -> None:
    months = thirteen_months(period)
    by_month: dict[str, dict[str, int]] = {p: {} for p in months}
    unit_ids = None if unit is None else [unit.pk]
    for row in payroll.volume_rows(periods=months, unit_ids=unit_ids, group_by=("period", "channel")):
        by_month[row["period"]][row["channel"]] = row["payslips"]
    now = by_month[period]
    payslips = sum(now.values())
    last_year = sum(by_month[months[0]].values())
    machine = sum(now.get(c, 0) for c in payroll.MACHINE_CHANNELS)

    payroll_fte = payroll_fte_per_month(periods=months, unit=unit)
    target = targets.get(Ind.PAYSLIPS_PER_PAYROLL_FTE)
    per_fte = payslips_per_fte(payslips=payslips, months=1, fte=payroll_fte.get(period))
    dashboard.kpis += [
        {
            "label": _("Payslips %(period)s") % {"period": period},
            "value": payslips,
            "kind": "int",
            "note": _("%(then)s the same month last year") % {"then": intcomma(last_year)}
            if last_year
            else _("no figures for the same month last year"),
        },
        {"label": _("Machine-processed"), "value": pct(machine, payslips), "kind": "pct"},
        {"label": _("Payroll FTE"), "value": payroll_fte.get(period), "kind": "decimal"},
        {
            "label": _("Payslips per FTE"),
            "value": per_fte,
            "kind": "decimal",
            "status": met(per_fte, target),
            "note": _("Target %(target)s") % {"target": target} if target else _("No target"),
        },
        {
            "label": _("FTE needed at target"),
            "value": fte_needed(payslips=payslips, months=1, target=target),
            "kind": "decimal",
        },
    ]
    channels = list(Channel)
    dashboard.charts.append(
        charts.bar_chart(
            title=_("Payslips per channel %(period)s") % {"period": period},
            labels=[str(CHANNEL_SHORT[c]) for c in channels],
            series={_("Payslips"): [now.get(c.value, 0) for c in channels]},
        )
    )
    dashboard.charts.append(
        charts.bar_chart(
            title=_("Payslips per month, 13 months"),
            labels=[charts.month_label(m) for m in months],
            series={str(CHANNEL_SHORT[c]): [by_month[m].get(c.value, 0) for m in months] for c in channels},
            stacked=True,
        )
    )
    if payroll_fte:
        dashboard.charts.append(
            charts.line_chart(
                title=_("Payslips per payroll FTE"),
                labels=[charts.month_label(m) for m in months],
                series={
                    _("Payslips per FTE"): [
                        payslips_per_fte(payslips=sum(by_month[m].values()), months=1, fte=payroll_fte.get(m))
                        for m in months
                    ]
                },
                target=(_("Target"), target) if target else None,
            )
        )
    else:
        dashboard.notes.append(_("FTE: no data entered for these months."))


def _payroll_figures(dashboard: Dashboard, *, period: str, unit) -> None:
    """Open manual work right now, and per agency the month's late documents and lead times."""
    queue = payroll.queue_summary(unit=unit)
    dashboard.kpis += [
        {
            "label": _("Cases overdue"),
            "value": queue.get("overdue"),
            "kind": "int",
            "status": (queue.get("overdue") or 0) == 0,
            "note": _("Open: %(open)s · due soon: %(soon)s")
            % {"open": queue.get("open"), "soon": queue.get("due_soon")},
        },
        {
            "label": _("Cases returned to agencies"),
            "value": queue.get("returned"),
            "kind": "int",
            "note": ngettext(
                "%(n)s urgent payout waiting for approval",
                "%(n)s urgent payouts waiting for approval",
                queue.get("approval") or 0,
            )
            % {"n": queue.get("approval") or 0},
        },
    ]
    late = payroll.late_documents(period=period, unit=unit)
    leads = payroll.lead_times(period=period, unit=unit)
    agencies = Agency.objects.filter(pk__in=set(late) | set(leads)).order_by("code")
    rows = []
    for agency in agencies:
        lead = leads.get(agency.pk)
        rows.append(
            {
                "agency_code": agency.code,
                "agency_name": agency.name,
                "late_documents": late.get(agency.pk, 0),
                "completed": lead.completed if lead else None,
                "within_pct": lead.share_within if lead else None,
                "average_days": lead.average_days if lead else None,
            }
        )
    total_completed = sum(r["completed"] or 0 for r in rows)
    total_within = sum(lead.within for lead in leads.values())
    dashboard.reports.append(
        (
            _("Late documents and lead times per agency, %(period)s") % {"period": period},
            Report(
                name="lead-times",
                title="",
                columns=[
                    Column("agency_code", _("Agency")),
                    Column("agency_name", _("Name")),
                    Column("late_documents", _("Late documents"), "int"),
                    Column("completed", _("Cases completed from documents"), "int"),
                    Column("within_pct", _("Within lead time %"), "pct"),
                    Column("average_days", _("Average working days"), "decimal"),
                ],
                rows=rows,
                total=None
                if not rows
                else {
                    "agency_code": _("Total"),
                    "late_documents": sum(r["late_documents"] for r in rows),
                    "completed": total_completed,
                    "within_pct": pct(total_within, total_completed),
                },
            ),
        )
    )


def _complaints(dashboard: Dashboard, *, period: str, unit) -> None:
    summary = complaints_summary(year=int(period[:4]), unit=unit)
    dashboard.kpis.append(
        {
            "label": _("Complaints open"),
            "value": summary.still_open,
            "kind": "int",
            "note": _("%(received)s received in %(year)s") % {"received": summary.received, "year": period[:4]},
        }
    )


def unit_dashboard(*, unit, period: str) -> Dashboard:
    dashboard = Dashboard(period=period)
    targets = targets_for(int(period[:4]))
    _volumes(dashboard, period=period, unit=unit, targets=targets)
    _complaints(dashboard, period=period, unit=unit)
    _payroll_figures(dashboard, period=period, unit=unit)
    pensions = pension_volumes(periods=[period], unit=unit)
    if pensions.get("cases_received") or pensions.get("cases_handled"):
        dashboard.kpis.append({"label": _("Pension cases handled"), "value": pensions["cases_handled"], "kind": "int"})
    return dashboard


def service_dashboard(*, period: str) -> Dashboard:
    dashboard = Dashboard(period=period)
    year = int(period[:4])
    targets = targets_for(year)
    _volumes(dashboard, period=period, unit=None, targets=targets)
    _complaints(dashboard, period=period, unit=None)
    pensions = pension_volumes(periods=[period])
    dashboard.kpis.append({"label": _("Pension cases handled"), "value": pensions["cases_handled"], "kind": "int"})
    months = thirteen_months(period)
    revenue = invoiced_revenue(periods=months)
    allocations = {year: monthly_budget(year) for year in {int(m[:4]) for m in months}}
    budget = {m: (allocations[int(m[:4])] or {}).get(m) for m in months}  # the one monthly allocation
    dashboard.kpis.append(
        {
            "label": _("Invoiced %(period)s") % {"period": period},
            "value": revenue.get(period),
            "kind": "money",
            "note": ""
            if budget[period] is None
            else _("Budget %(amount)s") % {"amount": sek(budget[period], places=0)},
        }
    )
    dashboard.charts.append(
        charts.line_chart(
            title=_("Invoiced per month (SEK)"),
            labels=[charts.month_label(m) for m in months],
            series={_("Invoiced"): [revenue.get(m) for m in months]},
            target=(_("Budget"), [budget[m] for m in months]) if any(budget.values()) else None,
        )
    )
    dashboard.reports.append((_("Productivity per unit"), productivity_report(period=period)))
    dashboard.reports.append((_("Tertial indicators"), tertial_report(year=year, tertial=tertial_of(period))))
    capacity = capacity_report(period=period)
    dashboard.reports.append((capacity.title, capacity))
    _payroll_figures(dashboard, period=period, unit=None)
    return dashboard
