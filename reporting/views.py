"""Pages of reporting: the volume, productivity and tertial reports, the dashboards and the targets."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core import exports
from core.billing import latest_closed_period
from core.periods import current_period, is_period, previous_period
from core.replica import reads_reports
from customers.selectors import active_during_q, agencies_for
from organisation.models import Target
from organisation.selectors import scoped_unit_ids

from . import dashboards, selectors
from .forms import (
    AssessmentForm,
    CommitmentForm,
    ControlPlanItemForm,
    IndicatorCommentForm,
    PeriodForm,
    ProductivityForm,
    SubscriptionForm,
    TargetForm,
    TertialForm,
)
from .models import Commitment, ControlPlanItem, ReportDelivery, ReportKind
from .services import agreements, delivery, follow_up, reports
from .services.monthly import monthly_report as build_monthly_report
from .services.tertial import board_tertial_report
from .tables import TargetTable

READ_BOARD = "reporting.view_board_reports"
WRITE_BOARD = "reporting.write_board_reports"

FORMATS = ("csv", "xlsx", "pdf")


# --- reports ------------------------------------------------------------------------------


def _report_response(request, report, form, template="reporting/report.html", **context):
    """The report as a page, or as the file its download buttons ask for. The buttons carry the
    form's data as shown (the default period too), so a download is the report on the page."""
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return exports.download(report.render(fmt), report.filename(fmt))
    query = QueryDict(mutable=True)
    for name, value in form.data.items():
        if name != "format" and value not in (None, ""):
            query[name] = str(value)
    return render(request, template, {"report": report, "form": form, "query": query.urlencode(), **context})


def _form_data(request, defaults: dict):
    """The report form's data: what was asked for, or the defaults when nothing but a format was."""
    data = request.GET.copy()
    data.pop("format", None)
    if not data:
        data = QueryDict(mutable=True)
        data.update({k: str(v) for k, v in defaults.items()})
        if "format" in request.GET:
            data["format"] = request.GET["format"]
    return data


def _default_period():
    return latest_closed_period() or reports_previous_period()


def reports_previous_period():
    return previous_period(current_period())


@permission_required("reporting.view_reports", raise_exception=True)
@reads_reports
def volume_report(request):
    form = PeriodForm(_form_data(request, {"period": _default_period()}))
    heading = _("Volume report")
    if form.is_valid():
        report = reports.volume_report(period=form.cleaned_data["period"], unit_ids=scoped_unit_ids(request.user))
        return _report_response(request, report, form, heading=heading)
    return render(request, "reporting/report.html", {"form": form, "report": None, "heading": heading})


@permission_required("reporting.view_reports", raise_exception=True)
@reads_reports
def productivity_report(request):
    form = ProductivityForm(_form_data(request, {"scope": "month", "period": _default_period()}))
    heading = _("Productivity report")
    if form.is_valid():
        data = form.cleaned_data
        scope = (
            {"period": data["period"]}
            if data["scope"] == "month"
            else {"year": data["year"], "tertial": data["tertial"]}
        )
        report = reports.productivity_report(**scope, unit_ids=scoped_unit_ids(request.user))
        return _report_response(request, report, form, heading=heading)
    return render(request, "reporting/report.html", {"form": form, "report": None, "heading": heading})


@permission_required(READ_BOARD, raise_exception=True)
def tertial_report(request):
    """The tertial report to the board: its figures, the commitments self-assessed and the comments; the
    head of service writes the assessments and comments here, unit managers read."""
    year, tertial = dashboards.default_tertial()
    form = TertialForm(_form_data(request, {"year": year, "tertial": tertial}))
    heading = _("Tertial report to the board")
    context = {"heading": heading, "kind": ReportKind.TERTIAL, **_subscription_context(request)}
    if not form.is_valid():
        return render(request, "reporting/board.html", {"form": form, "report": None, **context})
    year, tertial = form.cleaned_data["year"], form.cleaned_data["tertial"]
    report = board_tertial_report(year=year, tertial=tertial)
    if request.user.has_perm(WRITE_BOARD):
        context["editing"] = _editing_context(report, year, tertial)
    return _report_response(request, report, form, template="reporting/board.html", **context)


def _editing_context(report, year, tertial) -> dict:
    comments = {r["indicator"]: r for r in report.rows}
    pairs = selectors.commitments_with_assessments(year=year, tertial=tertial)
    return {
        "year": year,
        "tertial": tertial,
        "indicators": [
            (
                row["label"],
                IndicatorCommentForm(
                    initial={
                        "year": year,
                        "tertial": tertial,
                        "indicator": code,
                        "comment": row["comment"],
                        "action": row["action"],
                    },
                    prefix=f"i-{code}",
                ),
            )
            for code, row in comments.items()
        ],
        "commitments": [
            (
                commitment,
                AssessmentForm(
                    initial={
                        "commitment": commitment.pk,
                        "year": year,
                        "tertial": tertial,
                        "status": assessment.status if assessment else "",
                        "text": assessment.text if assessment else "",
                    },
                    prefix=f"c-{commitment.pk}",
                ),
            )
            for commitment, assessment in pairs
        ],
    }


def _subscription_context(request) -> dict:
    return {"subscribed": selectors.subscribed_kinds(request.user)}


def _tertial_with_errors(request, bound, prefix):
    """The tertial report again with the refused form as it was filled in (nothing typed is lost)."""
    default_year, default_tertial = dashboards.default_tertial()
    year, tertial = request.POST.get(f"{prefix}-year", ""), request.POST.get(f"{prefix}-tertial", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else default_year
    tertial = int(tertial) if tertial in ("1", "2", "3") else default_tertial
    form = TertialForm({"year": year, "tertial": tertial})
    form.is_valid()
    report = board_tertial_report(year=year, tertial=tertial)
    editing = _editing_context(report, year, tertial)
    editing["indicators"] = [(label, bound if f.prefix == prefix else f) for label, f in editing["indicators"]]
    editing["commitments"] = [(c, bound if f.prefix == prefix else f) for c, f in editing["commitments"]]
    context = {
        "heading": _("Tertial report to the board"),
        "kind": ReportKind.TERTIAL,
        "report": report,
        "form": form,
        "query": f"year={year}&tertial={tertial}",
        "editing": editing,
        **_subscription_context(request),
    }
    return render(request, "reporting/board.html", context, status=400)


def _back_to_tertial(year, tertial):
    """Back to the tertial report of ``year`` and ``tertial`` (the default tertial for values that are not)."""
    default_year, default_tertial = dashboards.default_tertial()
    year = int(year) if str(year).isdigit() and 2000 <= int(year) <= 2100 else default_year
    tertial = int(tertial) if str(tertial) in ("1", "2", "3") else default_tertial
    return redirect(f"{reverse('reporting:tertial_report')}?year={year}&tertial={tertial}")


@require_POST
@permission_required(WRITE_BOARD, raise_exception=True)
def assess_commitment(request):
    prefix = request.POST.get("prefix", "")
    form = AssessmentForm(request.POST, prefix=prefix or None)
    if not form.is_valid():
        messages.error(
            request, _("The self-assessment was not saved: choose met, partly met or not met and write a text.")
        )
        return _tertial_with_errors(request, form, prefix)
    data = form.cleaned_data
    commitment = get_object_or_404(Commitment, pk=data["commitment"], year=data["year"])
    follow_up.assess_commitment(
        commitment=commitment, tertial=data["tertial"], status=data["status"], text=data["text"], user=request.user
    )
    messages.success(request, _("Self-assessment of %(commitment)s saved.") % {"commitment": commitment.title})
    return _back_to_tertial(data["year"], data["tertial"])


@require_POST
@permission_required(WRITE_BOARD, raise_exception=True)
def comment_indicator(request):
    prefix = request.POST.get("prefix", "")
    form = IndicatorCommentForm(request.POST, prefix=prefix or None)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()) or _("The comment was not saved."))
        return _tertial_with_errors(request, form, prefix)
    data = form.cleaned_data
    follow_up.comment_indicator(
        year=data["year"],
        tertial=data["tertial"],
        indicator=data["indicator"],
        comment=data["comment"],
        action=data["action"],
        user=request.user,
    )
    messages.success(request, _("Comment saved."))
    return _back_to_tertial(data["year"], data["tertial"])


@require_POST
@permission_required(WRITE_BOARD, raise_exception=True)
def add_plan_commitments(request):
    form = TertialForm(request.POST)
    if not form.is_valid():
        raise Http404(_("No such tertial."))
    year, tertial = form.cleaned_data["year"], form.cleaned_data["tertial"]
    follow_up.add_plan_commitments(year=year)
    messages.success(request, _("The plan's commitments for %(year)s are added.") % {"year": year})
    return _back_to_tertial(year, tertial)


@permission_required(WRITE_BOARD, raise_exception=True)
def commitment_edit(request, pk=None):
    """A commitment of a year's plan: its title, what it promises and its place in the report."""
    commitment = get_object_or_404(Commitment, pk=pk) if pk else Commitment(year=timezone.localdate().year)
    form = CommitmentForm(request.POST or None, instance=commitment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Commitment saved."))
        return _back_to_tertial(form.instance.year, 1)
    return render(request, "reporting/commitment_form.html", {"form": form, "commitment": commitment if pk else None})


@permission_required(READ_BOARD, raise_exception=True)
def monthly_report(request):
    """The head of service's monthly report: one page, one PDF."""
    form = PeriodForm(_form_data(request, {"period": _default_period()}))
    context = {"heading": _("Monthly report"), "kind": ReportKind.MONTHLY, **_subscription_context(request)}
    if not form.is_valid():
        return render(request, "reporting/board.html", {"form": form, "report": None, **context})
    report = build_monthly_report(period=form.cleaned_data["period"])
    return _report_response(request, report, form, template="reporting/board.html", **context)


@require_POST
@permission_required(READ_BOARD, raise_exception=True)
def subscription(request):
    """Subscribe to (or stop) the monthly or tertial report by e-mail."""
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the monthly or the tertial report."))
        return redirect("reporting:monthly_report")
    kind, subscribe = form.cleaned_data["kind"], form.cleaned_data["subscribe"]
    follow_up.set_subscription(user=request.user, kind=kind, subscribed=subscribe)
    label = ReportKind(kind).label
    if subscribe and not request.user.email:
        messages.warning(request, _("Subscribed, but your account has no e-mail address: nothing can be sent yet."))
    elif subscribe:
        messages.success(request, _("You get the %(report)s by e-mail after each close.") % {"report": label.lower()})
    else:
        messages.success(request, _("You no longer get the %(report)s by e-mail.") % {"report": label.lower()})
    return redirect("reporting:monthly_report" if kind == ReportKind.MONTHLY else "reporting:tertial_report")


@permission_required(WRITE_BOARD, raise_exception=True)
def delivery_list(request):
    """The reports e-mailed, each with its status; a failed one can be sent again."""
    return render(request, "reporting/deliveries.html", {"deliveries": selectors.deliveries()[:200]})


@require_POST
@permission_required(WRITE_BOARD, raise_exception=True)
def delivery_resend(request, pk):
    row = get_object_or_404(ReportDelivery, pk=pk)
    if row.status != ReportDelivery.Status.FAILED:
        messages.error(request, _("Only a failed e-mail is sent again."))
    else:
        delivery.resend(row)
        messages.success(request, _("The e-mail is queued again."))
    return redirect("reporting:delivery_list")


# --- internal control plan ----------------------------------------------------------------


@permission_required(READ_BOARD, raise_exception=True)
def control_plan(request):
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year
    return render(
        request,
        "reporting/control_plan.html",
        {"year": year, "years": [year - 1, year, year + 1], "items": selectors.control_plan(year=year)},
    )


@permission_required(WRITE_BOARD, raise_exception=True)
def control_plan_item(request, pk=None):
    item = get_object_or_404(ControlPlanItem, pk=pk) if pk else ControlPlanItem(year=timezone.localdate().year)
    form = ControlPlanItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        follow_up.save_control_plan_item(item=form.save(commit=False), user=request.user)
        messages.success(request, _("Risk saved in the control plan."))
        return redirect(f"{reverse('reporting:control_plan')}?year={form.instance.year}")
    return render(request, "reporting/control_plan_form.html", {"form": form, "item": item if pk else None})


# --- dashboards ---------------------------------------------------------------------------


@permission_required("reporting.view_unit_dashboard", raise_exception=True)
@reads_reports
def unit_dashboard(request):
    units = list(selectors.dashboard_units(request.user))
    if not units:
        return render(request, "reporting/dashboard.html", {"no_unit": True, "scope": "unit"})
    unit_id = request.GET.get("unit")
    unit = units[0]
    if unit_id:
        unit = next((u for u in units if str(u.pk) == unit_id), None)
        if unit is None:
            raise Http404(_("No such unit."))
    period = _dashboard_period(request)
    board_data = dashboards.unit_dashboard(unit=unit, period=period)
    return render(
        request,
        "reporting/dashboard.html",
        {"scope": "unit", "unit": unit, "units": units, "period": period, "board": board_data},
    )


@permission_required("reporting.view_service_dashboard", raise_exception=True)
@reads_reports
def service_dashboard(request):
    period = _dashboard_period(request)
    board_data = dashboards.service_dashboard(period=period)
    return render(request, "reporting/dashboard.html", {"scope": "service", "period": period, "board": board_data})


def _dashboard_period(request):
    period = request.GET.get("period", "").strip()
    return period if is_period(period) else _default_period()


# --- targets ------------------------------------------------------------------------------


@permission_required("organisation.view_target", raise_exception=True)
def target_list(request):
    table = TargetTable(Target.objects.all())
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "reporting/target_list.html", {"table": table})


@permission_required("organisation.add_target", raise_exception=True)
def target_create(request):
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Target saved."))
        return redirect("reporting:target_list")
    return render(request, "reporting/target_form.html", {"form": form})


@permission_required("organisation.change_target", raise_exception=True)
def target_edit(request, pk):
    target = get_object_or_404(Target, pk=pk)
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Target saved."))
        return redirect("reporting:target_list")
    return render(request, "reporting/target_form.html", {"form": form, "target": target})


@permission_required("reporting.view_reports", raise_exception=True)
@permission_required("customers.view_serviceagreement", raise_exception=True)
def agreement_follow_up(request):
    """Each agency's agreement followed up for a year, and whether next year's is in place (CSV too)."""
    today = timezone.localdate()
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else today.year
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    agencies = agencies_for(request.user).filter(active_during_q(first, last))
    rows = agreements.follow_up(year=year, agencies=agencies)
    if request.GET.get("format") == "csv":
        content = exports.csv_bytes(agreements.CSV_HEADER, agreements.csv_rows(rows))
        return exports.download(content, f"agreements-{year}.csv")
    return render(
        request,
        "reporting/agreements.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "rows": rows,
            "to_renew": [r for r in rows if not r["next_year"]],
        },
    )
