"""The tertial report to the board (servicenämnden): indicators and commitments against their
targets, complaints summed up, and revenue against budget.

``tertial_report`` puts together one row per indicator (each group of rows below reads one
source), then the complaints and revenue sections and the charts."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core import charts
from core.periods import tertial_periods
from core.report import Column, Report
from core.templatetags.formatting import number, sek
from customers.selectors import complaints_summary, customer_meetings
from invoicing.selectors import invoiced_revenue
from organisation.models import Target
from organisation.targets import monthly_budget, targets_for
from payroll.quality import error_rate
from payroll.selectors import payslips_by_unit
from staffing.selectors import customer_satisfaction, phone_service, sick_leave_rate

from .figures import met, ratio
from .productivity import productivity_figures

Ind = Target.Indicator
REVENUE_YTD = "revenue_ytd"
STAFF_YTD = "payslips_per_fte_ytd"
MONEY = {"value": "money", "target": "money"}
ZERO = Decimal("0.00")


def _row(indicator, label, value, target, *, note="") -> dict:
    return {
        "indicator": indicator,
        "label": label,
        "value": value,
        "target": target,
        "status": met(value, target, indicator),
        "note": note,
        "no_data": value is None,
    }


def _phone_rows(periods, targets) -> list[dict]:
    phone = phone_service(periods=periods)
    return [
        _row(
            Ind.PHONE_WITHIN_25S,
            _("Calls answered within 25 seconds (%)"),
            phone["answered_25s_pct"],
            targets.get(Ind.PHONE_WITHIN_25S),
        ),
        _row(
            Ind.FIRST_CONTACT,
            _("First-contact resolution (%)"),
            phone["first_contact_pct"],
            targets.get(Ind.FIRST_CONTACT),
        ),
        _row(
            Ind.EMAIL_WITHIN_DAY,
            _("E-mail answered within one day (%)"),
            phone["emails_within_1d_pct"],
            targets.get(Ind.EMAIL_WITHIN_DAY),
        ),
    ]


def _meetings_row(year, tertial, targets) -> dict:
    """Meetings so far this year against the year's target pro rata."""
    per_tertial = customer_meetings(year=year).per_tertial
    target = targets.get(Ind.CUSTOMER_MEETINGS)
    return _row(
        Ind.CUSTOMER_MEETINGS,
        _("Customer meetings so far this year"),
        sum(per_tertial[:tertial]) if per_tertial else None,
        None if target is None else (target * tertial / 3).quantize(Decimal("1")),
        note=_("Year target %(target)s, pro rata per tertial") % {"target": target},
    )


def _survey_and_sick_leave_rows(year, periods, targets) -> list[dict]:
    survey = customer_satisfaction(year=year) or {}
    nki = survey.get("nki")
    return [
        _row(
            Ind.SATISFIED_CUSTOMERS,
            _("Satisfied customers (%)"),
            survey.get("satisfied_pct"),
            targets.get(Ind.SATISFIED_CUSTOMERS),
            note=(_("NKI %(nki)s") % {"nki": number(nki, 0 if Decimal(nki) == Decimal(nki).to_integral() else 1)})
            if nki is not None
            else _("Yearly survey"),
        ),
        _row(Ind.SICK_LEAVE, _("Sick leave (%)"), sick_leave_rate(periods=periods), targets.get(Ind.SICK_LEAVE)),
    ]


def _error_rate_row(periods, targets) -> dict:
    """Right pay at the right time: corrected payments per 10,000 payslips of the tertial."""
    rate = error_rate(periods=periods)
    return _row(
        Ind.ERROR_RATE,
        _("Corrected payments per 10,000 payslips"),
        rate.per_10000,
        targets.get(Ind.ERROR_RATE),
        note=_("%(n)s corrected payments, %(payslips)s payslips")
        % {"n": rate.corrected_payments, "payslips": number(rate.payslips, 0)},
    )


def _productivity_rows(periods, year_to_date, year, targets) -> list[dict]:
    """The three productivity indicators for the whole service, as in the productivity report; payslips
    per FTE of payroll and pension staff also for the year so far (the average month of each)."""
    payslips = sum(payslips_by_unit(periods=periods).values())
    figures = productivity_figures(periods=periods, unit=None, payslips=payslips, year=year, targets=targets)
    ytd_payslips = sum(payslips_by_unit(periods=year_to_date).values())
    ytd = productivity_figures(periods=year_to_date, unit=None, payslips=ytd_payslips, year=year, targets=targets)
    return [
        _row(
            Ind.PAYSLIPS_PER_PAYROLL_FTE,
            _("Payslips per payroll FTE a month"),
            figures["payslips_per_fte"],
            figures["target"],
        ),
        _row(
            Ind.PAYSLIPS_PER_FTE,
            _("Payslips per FTE (payroll and pension), average month of the tertial"),
            figures["payslips_per_staff_fte"],
            figures["target_staff"],
        ),
        _row(
            STAFF_YTD,
            _("Payslips per FTE (payroll and pension), average month so far this year"),
            ytd["payslips_per_staff_fte"],
            ytd["target_staff"],
        ),
        _row(
            Ind.RETIREMENTS_PER_PENSION_FTE,
            _("Pension retirements per pension FTE a year"),
            figures["retirements_per_pension_fte_year"],
            figures["target_retirements"],
        ),
    ]


def _revenue_rows(revenue, periods, year_to_date, budget) -> list[dict]:
    """The tertial's revenue and the year so far against their months of the year's budget (one
    allocation to the öre, ``organisation.targets.monthly_budget``)."""
    rows = [
        _row(
            Ind.REVENUE_BUDGET,
            _("Revenue this tertial (SEK)"),
            sum((revenue.get(p, ZERO) for p in periods), ZERO),
            None if budget is None else sum((budget[p] for p in periods), ZERO),
            note=_("The tertial's months of the year's budget"),
        ),
        _row(
            REVENUE_YTD,
            _("Revenue so far this year (SEK)"),
            sum(revenue.values(), ZERO),
            None if budget is None else sum((budget[p] for p in year_to_date), ZERO),
            note="" if budget is None else _("Year budget %(budget)s") % {"budget": sek(sum(budget.values(), ZERO))},
        ),
    ]
    for row in rows:
        row["_kinds"] = MONEY
    return rows


def _complaints_section(year, tertial) -> tuple[str, Report]:
    complaints = complaints_summary(year=year, tertial=tertial)
    total = _(
        "Total: %(complaints)s complaints, %(feedback)s other feedback; %(resolved)s resolved, %(open)s still open"
    ) % {
        "complaints": complaints.complaints,
        "feedback": complaints.feedback,
        "resolved": complaints.resolved,
        "open": complaints.still_open,
    }
    return (
        _("Feedback and complaints"),
        Report(
            name="complaints",
            title=_("Feedback and complaints"),
            columns=[Column("category", _("Category")), Column("received", _("Received"), "int")],
            rows=[{"category": label, "received": n} for _code, label, n in complaints.by_category],
            total={"category": total, "received": complaints.received},
        ),
    )


def _revenue_section(revenue, year_to_date, budget) -> tuple[str, Report]:
    return (
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
                {"period": p, "revenue": revenue.get(p, ZERO), "budget": None if budget is None else budget[p]}
                for p in year_to_date
            ],
            total={
                "period": _("Total"),
                "revenue": sum(revenue.values(), ZERO),
                "budget": None if budget is None else sum((budget[p] for p in year_to_date), ZERO),
            },
        ),
    )


def _charts(rows, revenue, year_to_date, budget) -> list:
    shares = [
        (
            str(r["label"]),
            ratio(Decimal(100) * r["value"], r["target"]) if r["value"] is not None and r["target"] else None,
        )
        for r in rows
        if r["indicator"] not in Target.LOWER_IS_BETTER
    ]
    return [
        charts.hbar_chart(
            title=_("Outcome as percentage of target"),
            labels=[label for label, _v in shares],
            values=[v for _l, v in shares],
            series_name=_("Percentage of target"),
        ),
        charts.line_chart(
            title=_("Revenue per month (SEK)"),
            labels=[charts.month_label(p) for p in year_to_date],
            series={_("Invoiced"): [revenue.get(p, 0) for p in year_to_date]},
            target=(_("Budget"), [budget[p] for p in year_to_date]) if budget is not None else None,
        ),
    ]


def tertial_report(*, year: int, tertial: int) -> Report:
    periods = tertial_periods(year, tertial)
    year_to_date = [f"{year:04d}-{m:02d}" for m in range(1, tertial * 4 + 1)]
    targets = targets_for(year)
    revenue = invoiced_revenue(periods=year_to_date)
    budget = monthly_budget(year)
    rows = [
        *_phone_rows(periods, targets),
        _meetings_row(year, tertial, targets),
        *_survey_and_sick_leave_rows(year, periods, targets),
        _error_rate_row(periods, targets),
        *_productivity_rows(periods, year_to_date, year, targets),
        *_revenue_rows(revenue, periods, year_to_date, budget),
    ]
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
    report.sections += [_complaints_section(year, tertial), _revenue_section(revenue, year_to_date, budget)]
    report.charts += _charts(rows, revenue, year_to_date, budget)
    return report
