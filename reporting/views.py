"""Pages of reporting: the volume, productivity and tertial reports, the dashboards and the targets."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core import exports
from core.billing import latest_closed_period
from core.periods import current_period, is_period, previous_period
from core.replica import reads_reports
from customers.selectors import active_during_q, agencies_for
from organisation.models import Target
from organisation.selectors import scoped_unit_ids

from . import dashboards, selectors
from .forms import PeriodForm, ProductivityForm, TargetForm, TertialForm
from .services import agreements, board, reports
from .tables import TargetTable

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


@permission_required("reporting.view_service_dashboard", raise_exception=True)
@reads_reports
def tertial_report(request):
    year, tertial = dashboards.default_tertial()
    form = TertialForm(_form_data(request, {"year": year, "tertial": tertial}))
    heading = _("Tertial report to the board")
    if form.is_valid():
        report = board.tertial_report(year=form.cleaned_data["year"], tertial=form.cleaned_data["tertial"])
        return _report_response(request, report, form, heading=heading)
    return render(request, "reporting/report.html", {"form": form, "report": None, "heading": heading})


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
