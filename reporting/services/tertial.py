"""The tertial report to the board as a whole: the measured indicators with the head of service's
comments and actions, the commitments self-assessed, internal control, customer satisfaction (NKI),
pension administration, sick leave, documents received, complaints and revenue.

``board_tertial_report`` builds it once for the page, the PDF, the e-mail and the command; each
chapter below reads one source."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import charts
from core.periods import periods_between, previous_period, tertial_periods
from core.report import Column, Report, column_sums
from core.templatetags.formatting import number
from organisation.models import Target
from organisation.targets import targets_for
from payroll.models import DocumentType
from payroll.quality import deviations_by_kind, error_rate
from payroll.selectors import control_outcome, documents_by_month_and_type
from pensions.selectors import volumes as pension_volumes
from staffing.selectors import average_fte, customer_satisfaction, short_sick_leave_rate, sick_leave_rate, survey_scores

from ..models import CommitmentAssessment
from ..selectors import commitments_with_assessments, control_plan, indicator_comments
from .board import tertial_report
from .chapters import BoardReport, Chapter, table_chapter
from .figures import met, ratio
from .productivity import PENSION, productivity_figures

Ind = Target.Indicator
STATUS_LABELS = dict(CommitmentAssessment.Status.choices)


def rolling_twelve_months(last: str) -> list[str]:
    first = last
    for _i in range(11):
        first = previous_period(first)
    return periods_between(first, last)


def _indicators(year, tertial) -> tuple[Report, Chapter]:
    report = tertial_report(year=year, tertial=tertial)
    comments = indicator_comments(year=year, tertial=tertial)
    for row in report.rows:
        comment = comments.get(str(row["indicator"]))
        row["comment"] = comment.comment if comment else ""
        row["action"] = comment.action if comment else ""
    report.columns += [Column("comment", _("Comment")), Column("action", pgettext("indicator", "Action"))]
    chapter = Chapter(
        key="indicators",
        title=_("Measured indicators"),
        tables=[("", report)],
        notes=report.notes,
        charts=report.charts,
    )
    return report, chapter


def _commitments(year, tertial) -> Chapter:
    pairs = commitments_with_assessments(year=year, tertial=tertial)
    rows = [
        {
            "commitment": c.title,
            "status": STATUS_LABELS[a.status] if a else _("Not assessed yet"),
            "text": a.text if a else "",
        }
        for c, a in pairs
    ]
    chapter = table_chapter(
        "commitments",
        _("Commitments"),
        [
            Column("commitment", _("Commitment")),
            Column("status", _("Self-assessment")),
            Column("text", _("The head of service's assessment")),
        ],
        rows,
    )
    if not pairs:
        chapter.notes.append(_("No commitments are entered for %(year)s.") % {"year": year})
    elif any(a is None for _c, a in pairs):
        chapter.notes.append(_("Not every commitment is self-assessed for this tertial yet."))
    return chapter


def _internal_control(year, periods) -> Chapter:
    plan = [
        {
            "risk": item.risk,
            "probability": item.probability,
            "consequence": item.consequence,
            "risk_value": item.risk_value,
            "control": item.control,
            "responsible": item.responsible,
            "schedule": item.schedule,
        }
        for item in control_plan(year=year)
    ]
    outcomes = {p: control_outcome(periods=[p]) for p in periods}
    whole = control_outcome(periods=periods)
    samples = [
        {
            "period": p,
            "samples": o.samples,
            "sampled": o.sampled,
            "checked": o.checked,
            "incorrect": o.incorrect,
            "error_rate": o.error_rate,
        }
        for p, o in outcomes.items()
    ]
    chapter = Chapter(
        key="internal-control",
        title=_("Internal control"),
        tables=[
            (
                _("Control plan %(year)s") % {"year": year},
                Report(
                    name="control-plan",
                    title=_("Control plan"),
                    columns=[
                        Column("risk", _("Risk")),
                        Column("probability", _("Probability (1–4)"), "int"),
                        Column("consequence", _("Consequence (1–4)"), "int"),
                        Column("risk_value", _("Risk value"), "int"),
                        Column("control", _("Control")),
                        Column("responsible", _("Who")),
                        Column("schedule", _("When")),
                    ],
                    rows=plan,
                ),
            ),
            (
                _("Random samples of completed payments"),
                Report(
                    name="control-samples",
                    title=_("Random samples"),
                    columns=[
                        Column("period", _("Pay period")),
                        Column("samples", _("Samples drawn"), "int"),
                        Column("sampled", _("Cases drawn"), "int"),
                        Column("checked", _("Cases checked"), "int"),
                        Column("incorrect", _("Incorrect payments"), "int"),
                        Column("error_rate", _("Error rate %"), "pct"),
                    ],
                    rows=samples,
                    total={
                        "period": _("Total"),
                        "samples": whole.samples,
                        "sampled": whole.sampled,
                        "checked": whole.checked,
                        "incorrect": whole.incorrect,
                        "error_rate": whole.error_rate,
                    },
                ),
            ),
            _deviations_table(periods),
        ],
    )
    if not plan:
        chapter.notes.append(_("No control plan is entered for %(year)s.") % {"year": year})
    if whole.checked:
        chapter.notes.append(
            _("%(incorrect)s incorrect payments in %(checked)s checked cases: an error rate of %(rate)s %%.")
            % {"incorrect": whole.incorrect, "checked": whole.checked, "rate": _decimal(whole.error_rate)}
        )
    else:
        chapter.notes.append(_("No sampled case is checked for the tertial yet."))
    rate = error_rate(periods=periods)
    if rate.per_10000 is not None:
        chapter.notes.append(
            _("%(n)s corrected payments of %(payslips)s payslips: %(rate)s per 10,000.")
            % {"n": rate.corrected_payments, "payslips": number(rate.payslips, 0), "rate": number(rate.per_10000, 2)}
        )
    return chapter


def _deviations_table(periods) -> tuple[str, Report]:
    """The centre's own errors (avvikelser) of the tertial per kind, with how far they are followed up."""
    rows = [
        {**row, "label": row["label"] + (" *" if row["payment"] else "")} for row in deviations_by_kind(periods=periods)
    ]
    return (
        _("Deviations (* counts as a corrected payment in the error rate)"),
        Report(
            name="deviations",
            title=_("Deviations"),
            columns=[
                Column("label", _("Kind")),
                Column("registered", _("Registered"), "int"),
                Column("corrected", _("Corrected"), "int"),
                Column("closed", _("Closed"), "int"),
            ],
            rows=rows,
            total={"label": _("Total"), **column_sums(rows, ("registered", "corrected", "closed"))},
        ),
    )


def _decimal(value) -> str:
    return number(value, 1)


def _nki(year, targets) -> Chapter:
    target = targets.get(Ind.NKI)
    survey = customer_satisfaction(year=year)
    rows = []
    if survey is not None:
        rows.append(
            {
                "area": _("Whole service"),
                "agency": "",
                "nki": survey["nki"],
                "target": target,
                "status": met(survey["nki"], target),
            }
        )
    for score in survey_scores(year=year):
        rows.append(
            {
                "area": score["area_label"],
                "agency": score["agency"].name if score["agency"] else _("All agencies"),
                "nki": score["nki"],
                "target": target,
                "status": met(score["nki"], target),
            }
        )
    chapter = table_chapter(
        "nki",
        _("Customer satisfaction (NKI)"),
        [
            Column("area", _("Service area")),
            Column("agency", _("Agency")),
            Column("nki", _("NKI"), "decimal"),
            Column("target", _("Target"), "decimal"),
            Column("status", _("Met"), "status"),
        ],
        rows,
        table_title=_("NKI"),
    )
    if survey is None:
        chapter.notes.append(_("The customer survey of %(year)s is not entered yet.") % {"year": year})
    if target is None:
        chapter.notes.append(_("No NKI target in the targets table for %(year)s.") % {"year": year})
    else:
        chapter.notes.append(_("The year's NKI target: %(target)s.") % {"target": target})
    return chapter


def _pensions(year, periods, targets) -> Chapter:
    fte = average_fte(periods=periods, categories=PENSION) or None
    volumes = pension_volumes(periods=periods)
    insurance = volumes["by_kind"]["insurance"]["handled"]
    cases = volumes["cases_handled"] - insurance
    figures = productivity_figures(periods=periods, unit=None, payslips=0, year=year, targets=targets)
    rows = [
        {"label": _("Pension cases handled"), "value": cases, "per_fte": ratio(cases, fte), "target": None},
        {"label": _("Insurance cases handled"), "value": insurance, "per_fte": ratio(insurance, fte), "target": None},
        {
            "label": _("Signals handled"),
            "value": volumes["signals_handled"],
            "per_fte": ratio(volumes["signals_handled"], fte),
            "target": None,
        },
        {
            "label": _("Pension retirements (per FTE: a year)"),
            "value": figures["retirements"],
            "per_fte": figures["retirements_per_pension_fte_year"],
            "target": figures["target_retirements"],
        },
    ]
    for row in rows:
        row["status"] = met(row["per_fte"], row["target"]) if row["target"] is not None else None
    chapter = table_chapter(
        "pensions",
        _("Pension administration"),
        [
            Column("label", _("Handled in the tertial")),
            Column("value", _("Number"), "int"),
            Column("per_fte", _("Per pension-handler FTE"), "decimal"),
            Column("target", _("Target"), "int"),
            Column("status", _("Met"), "status"),
        ],
        rows,
    )
    if fte is None:
        chapter.notes.append(_("No pension-handler FTE is entered for the tertial: nothing is divided."))
    else:
        chapter.notes.append(
            _("%(fte)s pension-handler FTE in the tertial's average month; retirements are put on a year.")
            % {"fte": _decimal(fte)}
        )
    return chapter


def _sick_leave(periods, targets) -> Chapter:
    rolling = rolling_twelve_months(periods[-1])
    total_target, short_target = targets.get(Ind.SICK_LEAVE), targets.get(Ind.SICK_LEAVE_SHORT)
    figures = [
        (_("Sick leave, the tertial"), sick_leave_rate(periods=periods), total_target),
        (_("Sick leave, rolling 12 months"), sick_leave_rate(periods=rolling), total_target),
        (_("Short-term sick leave (days 1–14), the tertial"), short_sick_leave_rate(periods=periods), short_target),
        (
            _("Short-term sick leave (days 1–14), rolling 12 months"),
            short_sick_leave_rate(periods=rolling),
            short_target,
        ),
    ]
    rows = [
        {"label": label, "value": value, "target": target, "status": met(value, target, Ind.SICK_LEAVE)}
        for label, value, target in figures
    ]
    monthly = [sick_leave_rate(periods=[p]) for p in rolling]
    chapter = table_chapter(
        "sick-leave",
        _("Sick leave"),
        [
            Column("label", _("Sick leave")),
            Column("value", _("Outcome %"), "pct"),
            Column("target", _("Target at most %"), "pct"),
            Column("status", _("Met"), "status"),
        ],
        rows,
        notes=[_("Rolling 12 months: %(first)s – %(last)s.") % {"first": rolling[0], "last": rolling[-1]}],
    )
    if any(v is not None for v in monthly):
        chapter.charts.append(
            charts.line_chart(
                title=_("Sick leave per month (%)"),
                labels=[charts.month_label(p) for p in rolling],
                series={_("Sick leave"): monthly},
                target=(_("Target"), total_target) if total_target is not None else None,
            )
        )
    return chapter


def _documents(periods) -> Chapter:
    counts = documents_by_month_and_type(periods=periods)
    types = list(DocumentType)
    rows = []
    for p in periods:
        row = {"period": p, **{t.value: counts[p][t.value] for t in types}}
        row["total"] = sum(counts[p].values())
        rows.append(row)
    total = {"period": _("Total"), **column_sums(rows, [*(t.value for t in types), "total"])}
    chapter = table_chapter(
        "documents",
        _("Employment documents received"),
        [
            Column("period", _("Pay period")),
            *(Column(t.value, t.label, "int") for t in types),
            Column("total", _("Total"), "int"),
        ],
        rows,
        table_title=_("Documents per month and type"),
        total=total,
        notes=[
            _(
                "Documents (underlag) registered as cases by the case handlers, per pay period and type; "
                "an average of %(average)s a month in the tertial."
            )
            % {"average": _decimal(ratio(total["total"], len(periods)))}
        ],
    )
    chapter.charts.append(
        charts.bar_chart(
            title=_("Documents per month and type"),
            labels=[charts.month_label(p) for p in periods],
            series={str(t.label): [counts[p][t.value] for p in periods] for t in types},
            stacked=True,
        )
    )
    return chapter


def _sections_as_chapters(report: Report) -> list[Chapter]:
    keys = ["complaints", "revenue"]
    return [
        Chapter(key=key, title=title, tables=[("", section)])
        for key, (title, section) in zip(keys, report.sections, strict=True)
    ]


def board_tertial_report(*, year: int, tertial: int) -> BoardReport:
    periods = tertial_periods(year, tertial)
    targets = targets_for(year)
    indicators, indicator_chapter = _indicators(year, tertial)
    report = BoardReport(
        name=indicators.name,
        title=indicators.title,
        subtitle=indicators.subtitle,
        columns=indicators.columns,
        rows=indicators.rows,
        notes=indicators.notes,
        kind="tertial",
        scope=f"{year}-T{tertial}",
    )
    report.chapters = [
        indicator_chapter,
        _commitments(year, tertial),
        _internal_control(year, periods),
        _nki(year, targets),
        _pensions(year, periods, targets),
        _sick_leave(periods, targets),
        _documents(periods),
        *_sections_as_chapters(indicators),
    ]
    return report
