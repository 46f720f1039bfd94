"""The tertial report to the board (servicenämnden): indicators and commitments against their
targets, complaints summed up, and revenue against budget."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.periods import tertial_periods
from core.report import Column, Report
from core.templatetags.formatting import sek
from customers.selectors import complaints_summary, customer_meetings
from invoicing.selectors import invoiced_revenue
from organisation.models import Target
from organisation.targets import targets_for
from payroll.selectors import payslips_by_unit
from staffing.selectors import customer_satisfaction, phone_service, sick_leave_rate

from . import charts
from .reports import met, productivity_figures, ratio

Ind = Target.Indicator


def _value(result, key):
    if result is None:
        return None
    return result.get(key) if isinstance(result, dict) else getattr(result, key, None)


def tertial_report(*, year: int, tertial: int) -> Report:
    periods = tertial_periods(year, tertial)
    year_to_date = [f"{year:04d}-{m:02d}" for m in range(1, tertial * 4 + 1)]
    targets = targets_for(year)
    rows = []

    def add(indicator, label, value, target, *, note="", basis=None):
        rows.append(
            {
                "indicator": indicator,
                "label": label,
                "value": value,
                "target": target,
                "status": met(value, target, indicator),
                "note": note,
                "no_data": value is None,
            }
        )

    phone = phone_service(periods=periods)
    add(
        Ind.PHONE_WITHIN_25S,
        _("Calls answered within 25 seconds (%)"),
        _value(phone, "answered_25s_pct"),
        targets.get(Ind.PHONE_WITHIN_25S),
    )
    add(
        Ind.FIRST_CONTACT,
        _("First-contact resolution (%)"),
        _value(phone, "first_contact_pct"),
        targets.get(Ind.FIRST_CONTACT),
    )
    add(
        Ind.EMAIL_WITHIN_DAY,
        _("E-mail answered within one day (%)"),
        _value(phone, "emails_within_1d_pct"),
        targets.get(Ind.EMAIL_WITHIN_DAY),
    )

    meetings = customer_meetings(year=year)
    per_tertial = _value(meetings, "per_tertial")
    meetings_ytd = sum(per_tertial[:tertial]) if per_tertial else None
    meetings_target = targets.get(Ind.CUSTOMER_MEETINGS)
    add(
        Ind.CUSTOMER_MEETINGS,
        _("Customer meetings so far this year"),
        meetings_ytd,
        None if meetings_target is None else (meetings_target * tertial / 3).quantize(Decimal("1")),
        note=_("Year target %(target)s, pro rata per tertial") % {"target": meetings_target},
    )

    survey = customer_satisfaction(year=year)
    nki = _value(survey, "nki")
    add(
        Ind.SATISFIED_CUSTOMERS,
        _("Satisfied customers (%)"),
        _value(survey, "satisfied_pct"),
        targets.get(Ind.SATISFIED_CUSTOMERS),
        note=(_("NKI %(nki)s") % {"nki": nki}) if nki is not None else _("Yearly survey"),
    )
    sick = sick_leave_rate(periods=periods)
    add(Ind.SICK_LEAVE, _("Sick leave (%)"), sick, targets.get(Ind.SICK_LEAVE))

    payslips = sum(payslips_by_unit(periods=periods).values())
    figures = productivity_figures(periods=periods, unit=None, payslips=payslips, year=year, targets=targets)
    add(
        Ind.PAYSLIPS_PER_PAYROLL_FTE,
        _("Payslips per payroll FTE a month"),
        figures["payslips_per_fte"],
        figures["target"],
    )
    add(
        Ind.PAYSLIPS_PER_FTE,
        _("Payslips per FTE (payroll and pension) a tertial"),
        figures["payslips_per_staff_fte_tertial"],
        figures["target_staff"],
    )
    add(
        Ind.RETIREMENTS_PER_PENSION_FTE,
        _("Pension retirements per pension FTE a year"),
        figures["retirements_per_pension_fte_year"],
        figures["target_retirements"],
    )

    revenue = invoiced_revenue(periods=year_to_date)
    budget = targets.get(Ind.REVENUE_BUDGET)
    tertial_revenue = sum((revenue.get(p, Decimal("0.00")) for p in periods), Decimal("0.00"))
    ytd_revenue = sum(revenue.values(), Decimal("0.00"))
    add(
        Ind.REVENUE_BUDGET,
        _("Revenue this tertial (SEK)"),
        tertial_revenue,
        None if budget is None else (budget / 3).quantize(Decimal("1")),
        note=_("Budget for the year ÷ 3"),
    )
    add(
        "revenue_ytd",
        _("Revenue so far this year (SEK)"),
        ytd_revenue,
        None if budget is None else (budget * tertial / 3).quantize(Decimal("1")),
        note=_("Year budget %(budget)s") % {"budget": sek(budget)} if budget is not None else "",
    )
    for row in rows:
        if row["indicator"] in (Ind.REVENUE_BUDGET, "revenue_ytd"):
            row["_kinds"] = {"value": "money", "target": "money"}

    report = Report(
        name=f"tertial-{year}-T{tertial}",
        title=_("Tertial report %(year)s, tertial %(tertial)s") % {"year": year, "tertial": tertial},
        subtitle=_("Indicators and commitments, complaints and revenue (%(first)s – %(last)s)")
        % {"first": periods[0], "last": periods[-1]},
        columns=[
            Column("indicator", _("Indicator code"), page=False),
            Column("label", _("Indicator")),
            Column("value", _("Outcome"), "decimal"),
            Column("target", _("Target"), "decimal"),
            Column("status", _("Met"), "status"),
            Column("note", _("Note")),
        ],
        rows=rows,
    )
    missing = [r["label"] for r in rows if r["no_data"]]
    if missing:
        report.notes.append(_("No data yet for: %(list)s.") % {"list": ", ".join(str(m) for m in missing)})

    complaints = complaints_summary(year=year, tertial=tertial)
    report.sections.append(
        (
            _("Feedback and complaints"),
            Report(
                name="complaints",
                title=_("Feedback and complaints"),
                columns=[Column("category", _("Category")), Column("received", _("Received"), "int")],
                rows=[{"category": label, "received": n} for _code, label, n in complaints.by_category],
                total={
                    "category": _(
                        "Total: %(complaints)s complaints, %(feedback)s other feedback; "
                        "%(resolved)s resolved, %(open)s still open"
                    )
                    % {
                        "complaints": complaints.complaints,
                        "feedback": complaints.feedback,
                        "resolved": complaints.resolved,
                        "open": complaints.still_open,
                    },
                    "received": complaints.received,
                },
            ),
        )
    )

    monthly_budget = None if budget is None else (budget / 12).quantize(Decimal("1"))
    report.sections.append(
        (
            _("Revenue per month"),
            Report(
                name="revenue",
                title=_("Revenue per month"),
                columns=[
                    Column("period", _("Period")),
                    Column("revenue", _("Invoiced (SEK)"), "money"),
                    Column("budget", _("Budget (SEK)"), "money"),
                ],
                rows=[
                    {"period": p, "revenue": revenue.get(p, Decimal("0.00")), "budget": monthly_budget}
                    for p in year_to_date
                ],
                total={
                    "period": _("Total"),
                    "revenue": ytd_revenue,
                    "budget": None if budget is None else monthly_budget * len(year_to_date),
                },
            ),
        )
    )
    shares = [
        (
            str(r["label"]),
            ratio(Decimal(100) * r["value"], r["target"]) if r["value"] is not None and r["target"] else None,
        )
        for r in rows
        if r["indicator"] != Ind.SICK_LEAVE
    ]
    report.charts.append(
        charts.hbar_chart(
            title=_("Outcome as percentage of target"),
            labels=[label for label, _v in shares],
            values=[v for _l, v in shares],
            series_name=_("Percentage of target"),
        )
    )
    report.charts.append(
        charts.line_chart(
            title=_("Revenue per month (SEK)"),
            labels=year_to_date,
            series={_("Invoiced"): [revenue.get(p, 0) for p in year_to_date]},
            target=(_("Budget"), monthly_budget) if monthly_budget is not None else None,
        )
    )
    return report
