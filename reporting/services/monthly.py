"""The head of service's monthly report: volumes, economy, staffing and productivity, lead times and
returns, and complaints for one month, as one page and one PDF (``monthly_report``)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core import charts
from core.periods import previous_period
from core.report import Column
from customers.selectors import complaints_summary
from economy.reports import economy_report
from organisation.models import Target
from organisation.targets import targets_for
from payroll import selectors as payroll
from payroll.models import CHANNEL_SHORT, Channel
from pensions.selectors import volumes as pension_volumes

from .chapters import BoardReport, Chapter, table_chapter
from .figures import pct
from .productivity import productivity_figures
from .volume import last_year

Ind = Target.Indicator


def _volumes(period) -> Chapter:
    then = last_year(period)
    by_period: dict[str, dict[str, int]] = {period: {}, then: {}}
    for row in payroll.volume_rows(periods=[period, then], group_by=("period", "channel")):
        by_period[row["period"]][row["channel"]] = row["payslips"]
    rows = [
        {
            "channel": str(CHANNEL_SHORT[c]),
            "payslips": by_period[period].get(c.value, 0),
            "last_year": by_period[then].get(c.value, 0),
        }
        for c in Channel
    ]
    now_total, then_total = sum(by_period[period].values()), sum(by_period[then].values())
    machine = sum(by_period[period].get(c, 0) for c in payroll.MACHINE_CHANNELS)
    pensions = pension_volumes(periods=[period])
    chapter = table_chapter(
        "volumes",
        _("Volumes"),
        [
            Column("channel", _("Channel")),
            Column("payslips", _("Payslips %(period)s") % {"period": period}, "int"),
            Column("last_year", _("Same month last year (%(period)s)") % {"period": then}, "int"),
        ],
        rows,
        table_title=_("Payslips per channel"),
        total={"channel": _("Total"), "payslips": now_total, "last_year": then_total},
        notes=[
            _(
                "%(payslips)s payslips, %(machine)s %% machine-processed; %(cases)s pension cases and "
                "%(signals)s signals handled."
            )
            % {
                "payslips": now_total,
                "machine": pct(machine, now_total) if now_total else "–",
                "cases": pensions["cases_handled"],
                "signals": pensions["signals_handled"],
            }
        ],
    )
    chapter.charts.append(
        charts.bar_chart(
            title=_("Payslips per channel %(period)s") % {"period": period},
            labels=[r["channel"] for r in rows],
            series={period: [r["payslips"] for r in rows], then: [r["last_year"] for r in rows]},
        )
    )
    return chapter


def _economy(period) -> Chapter:
    economy = economy_report(period=period)
    month = next(r for r in economy.rows if r["period"] == period)
    rows = [
        {"label": _("The month"), "revenue": month["revenue"], "cost": month["cost"], "result": month["result"]},
        {
            "label": _("The year so far"),
            "revenue": month["revenue_cumulative"],
            "cost": month["cost_cumulative"],
            "result": month["result_cumulative"],
        },
        {
            "label": _("Full year, forecast"),
            "revenue": economy.total["revenue"],
            "cost": economy.total["cost"],
            "result": economy.total["result"],
        },
    ]
    return table_chapter(
        "economy",
        _("Economy"),
        [
            Column("label", ""),
            Column("revenue", _("Net revenue"), "money"),
            Column("cost", _("Cost"), "money"),
            Column("result", _("Result"), "money"),
        ],
        rows,
        notes=economy.notes,
        charts=economy.charts,
    )


def _staffing(period, targets) -> Chapter:
    payslips = sum(payroll.payslips_by_unit(periods=[period]).values())
    figures = productivity_figures(
        periods=[period], unit=None, payslips=payslips, year=int(period[:4]), targets=targets
    )
    rows = [
        {"label": _("Payroll-administrator FTE"), "value": figures["payroll_fte"], "target": None, "status": None},
        {"label": _("Pension-handler FTE"), "value": figures["pension_fte"], "target": None, "status": None},
        {
            "label": _("Payslips per payroll FTE"),
            "value": figures["payslips_per_fte"],
            "target": figures["target"],
            "status": figures["status"],
        },
        {
            "label": _("Payslips per FTE (payroll and pension)"),
            "value": figures["payslips_per_staff_fte"],
            "target": figures["target_staff"],
            "status": figures["status_staff"],
        },
        {
            "label": _("Pension retirements per pension FTE a year"),
            "value": figures["retirements_per_pension_fte_year"],
            "target": figures["target_retirements"],
            "status": figures["status_retirements"],
        },
    ]
    return table_chapter(
        "staffing",
        _("Staffing and productivity"),
        [
            Column("label", _("Indicator")),
            Column("value", _("Outcome"), "decimal"),
            Column("target", _("Target"), "decimal"),
            Column("status", _("Met"), "status"),
        ],
        rows,
    )


def _lead_times(period) -> Chapter:
    leads = payroll.lead_times(period=period)
    completed = sum(lt.completed for lt in leads.values())
    within = sum(lt.within for lt in leads.values())
    days = sum(lt.average_days * lt.completed for lt in leads.values())
    returns = payroll.returns_in(periods=[previous_period(period), period])
    late = sum(payroll.late_documents(period=period).values())
    rows = [
        {"label": _("Cases completed from documents"), "value": completed, "kind": "int"},
        {"label": _("Within the lead time (%)"), "value": pct(within, completed), "kind": "pct"},
        {
            "label": _("Average working days"),
            "value": (Decimal(days) / completed).quantize(Decimal("0.1")) if completed else None,
            "kind": "decimal",
        },
        {"label": _("Late documents (after the 8th)"), "value": late, "kind": "int"},
        {"label": _("Documents returned to agencies"), "value": returns[period], "kind": "int"},
        {"label": _("Returned the month before"), "value": returns[previous_period(period)], "kind": "int"},
    ]
    for row in rows:
        row["_kinds"] = {"value": row.pop("kind")}
    return table_chapter(
        "lead-times",
        _("Lead times and returns"),
        [Column("label", _("Figure")), Column("value", _("Outcome"), "decimal")],
        rows,
    )


def _complaints(period) -> Chapter:
    year, month = int(period[:4]), int(period[5:])
    summary = complaints_summary(year=year)
    row = summary.months[month - 1]
    rows = [
        {"label": _("Received in the month"), "value": row.received},
        {"label": _("Of which complaints"), "value": row.complaints},
        {"label": _("Resolved in the month"), "value": row.resolved},
        {"label": _("Received so far this year"), "value": sum(m.received for m in summary.months[:month])},
        {"label": _("Of the year's, still open"), "value": summary.still_open},
    ]
    return table_chapter(
        "complaints",
        _("Feedback and complaints"),
        [Column("label", _("Figure")), Column("value", _("Number"), "int")],
        rows,
    )


def monthly_report(*, period: str) -> BoardReport:
    targets = targets_for(int(period[:4]))
    staffing = _staffing(period, targets)
    main = staffing.tables[0][1]
    report = BoardReport(
        name=f"monthly-{period}",
        title=_("Monthly report %(period)s") % {"period": period},
        subtitle=_("Volumes, economy, staffing and productivity, lead times and returns, complaints"),
        columns=main.columns,
        rows=main.rows,
        kind="monthly",
        scope=period,
    )
    report.chapters = [_volumes(period), _economy(period), staffing, _lead_times(period), _complaints(period)]
    return report
