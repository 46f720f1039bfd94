"""Pages of reporting: invoices, the monthly close, reports and dashboards."""

import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from lonservice import exports
from lonservice.periods import current_period, parse_period
from pricing.selectors import is_period_closed

from . import dashboards, selectors
from .filters import InvoiceFilter
from .forms import CloseForm, CreditForm, PeriodForm, ProductivityForm, TargetForm, TertialForm
from .models import CloseJob, Invoice, Target
from .services import board, close, documents, reports
from .services import invoices as invoice_service
from .tables import CloseJobTable, InvoiceTable, TargetTable

FORMATS = ("csv", "xlsx", "pdf")


def _valid_period(period: str) -> str:
    try:
        parse_period(period)
    except ValidationError as exc:
        raise Http404(_("No such period.")) from exc
    return period


# --- invoices -----------------------------------------------------------------------------


@permission_required("reporting.view_invoice", raise_exception=True)
def invoice_list(request):
    invoice_filter = InvoiceFilter(
        request.GET or None, queryset=selectors.invoices_for(request.user), user=request.user
    )
    qs = invoice_filter.qs if invoice_filter.is_bound and invoice_filter.is_valid() else invoice_filter.queryset
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        report = reports.invoice_rows_report(qs.order_by("series_year", "sequence"))
        return exports.download(report.render(export), f"invoices.{export}")
    table = InvoiceTable(qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    period = request.GET.get("period", "").strip()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/invoice_list.html",
        {
            "filter": invoice_filter,
            "table": table,
            "period": period if _is_period(period) else "",
            "query": query.urlencode(),
            "periods": selectors.invoiced_periods()[:24],
        },
    )


def _is_period(value: str) -> bool:
    try:
        parse_period(value)
    except ValidationError:
        return False
    return True


def _invoice_for(request, pk) -> Invoice:
    return get_object_or_404(selectors.invoices_for(request.user), pk=pk)


@permission_required("reporting.view_invoice", raise_exception=True)
def invoice_detail(request, pk):
    invoice = _invoice_for(request, pk)
    credit_note = Invoice.objects.filter(credited_invoice=invoice).first()
    later = Invoice.objects.filter(
        agency=invoice.agency, period=invoice.period, kind=Invoice.Kind.INVOICE, revision__gt=invoice.revision
    ).order_by("revision")
    can_reissue = (
        request.user.has_perm("reporting.issue_credit_note")
        and not invoice.is_credit_note
        and credit_note is not None
        and not Invoice.objects.filter(
            agency=invoice.agency, period=invoice.period, kind=Invoice.Kind.INVOICE, credit_note__isnull=True
        ).exists()
    )
    return render(
        request,
        "reporting/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "credit_note": credit_note,
            "later_invoices": later,
            "can_credit": request.user.has_perm("reporting.issue_credit_note")
            and not invoice.is_credit_note
            and credit_note is None,
            "can_reissue": can_reissue,
        },
    )


@permission_required("reporting.view_invoice", raise_exception=True)
def invoice_pdf(request, pk):
    invoice = _invoice_for(request, pk)
    return exports.download(documents.invoice_pdf(invoice), documents.pdf_filename(invoice))


@permission_required("reporting.issue_credit_note", raise_exception=True)
def invoice_credit(request, pk):
    invoice = _invoice_for(request, pk)
    form = CreditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = invoice_service.credit_invoice(
                invoice=invoice, user=request.user, reason=form.cleaned_data["reason"]
            )
        except invoice_service.InvoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Credit note %(number)s issued.") % {"number": note.number})
            if form.cleaned_data["reissue"]:
                return _reissue(request, invoice)
            return redirect(note)
    return render(request, "reporting/invoice_credit.html", {"invoice": invoice, "form": form})


def _reissue(request, invoice):
    try:
        new = invoice_service.reissue_invoice(
            agency=invoice.agency,
            period=invoice.period,
            user=request.user,
            reason=_("Replaces %(number)s") % {"number": invoice.number},
        )
    except invoice_service.InvoiceError as exc:
        messages.error(request, str(exc))
        return redirect(invoice)
    messages.success(request, _("New invoice %(number)s issued.") % {"number": new.number})
    return redirect(new)


@require_POST
@permission_required("reporting.issue_credit_note", raise_exception=True)
def invoice_reissue(request, pk):
    return _reissue(request, _invoice_for(request, pk))


@permission_required("reporting.view_invoice", raise_exception=True)
def invoice_zip(request, period):
    period = _valid_period(period)
    invoices = list(selectors.invoices_for(request.user).filter(period=period).order_by("series_year", "sequence"))
    if not invoices:
        messages.warning(request, _("No invoices for %(period)s.") % {"period": period})
        return redirect(reverse("reporting:invoice_list") + f"?period={period}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for invoice in invoices:
            archive.writestr(documents.pdf_filename(invoice), documents.invoice_pdf(invoice))
    return exports.download(buffer.getvalue(), f"fakturor-{period}.zip")


@permission_required("reporting.view_invoice", raise_exception=True)
def erp_file(request, period):
    period = _valid_period(period)
    invoices = selectors.invoices_for(request.user).filter(period=period)
    return exports.download(documents.erp_csv(invoices), f"agresso-{period}.csv")


# --- the monthly close --------------------------------------------------------------------


@permission_required("reporting.run_close", raise_exception=True)
def close_list(request):
    form = CloseForm(request.POST or None, initial=CloseForm.initial_for(current_period()))
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            job = close.start_close(period=period, user=request.user)
        except close.BrokerUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("reporting:close_list")
        except close.CloseError as exc:
            form.add_error("period", str(exc))
        else:
            return redirect("reporting:close_detail", pk=job.pk)
    table = CloseJobTable(CloseJob.objects.select_related("started_by"))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "reporting/close_list.html",
        {"form": form, "table": table, "closed": selectors.closed_periods()[:12]},
    )


@permission_required("reporting.run_close", raise_exception=True)
def close_detail(request, pk):
    job = get_object_or_404(CloseJob, pk=pk)
    return render(request, "reporting/close_detail.html", {"job": job, **_job_outputs(job)})


@permission_required("reporting.run_close", raise_exception=True)
def close_status(request, pk):
    """The job's status fragment; static/js/app.js polls it while the job is queued or running."""
    job = get_object_or_404(CloseJob, pk=pk)
    return render(request, "reporting/includes/close_status.html", {"job": job, **_job_outputs(job)})


def _job_outputs(job):
    done = job.state == CloseJob.State.DONE
    return {"period_closed": done and is_period_closed(job.period)}


# --- reports ------------------------------------------------------------------------------


def _report_response(request, report, template="reporting/report.html", **context):
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return exports.download(report.render(fmt), report.filename(fmt))
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, template, {"report": report, "query": query.urlencode(), **context})


def _default_period():
    return selectors.latest_closed_period() or reports_previous_period()


def reports_previous_period():
    from lonservice.periods import previous_period

    return previous_period(current_period())


@permission_required("reporting.view_reports", raise_exception=True)
def volume_report(request):
    form = PeriodForm(request.GET or {"period": _default_period()})
    report = None
    if form.is_valid():
        report = reports.volume_report(
            period=form.cleaned_data["period"], unit_ids=selectors.scoped_unit_ids(request.user)
        )
        return _report_response(request, report, form=form, heading=_("Volume report"))
    return render(request, "reporting/report.html", {"form": form, "report": None, "heading": _("Volume report")})


@permission_required("reporting.view_reports", raise_exception=True)
def productivity_report(request):
    form = ProductivityForm(request.GET or {"scope": "month", "period": _default_period()})
    heading = _("Productivity report")
    if form.is_valid():
        data = form.cleaned_data
        scope = (
            {"period": data["period"]}
            if data["scope"] == "month"
            else {"year": data["year"], "tertial": data["tertial"]}
        )
        report = reports.productivity_report(**scope, unit_ids=selectors.scoped_unit_ids(request.user))
        return _report_response(request, report, form=form, heading=heading)
    return render(request, "reporting/report.html", {"form": form, "report": None, "heading": heading})


@permission_required("reporting.view_service_dashboard", raise_exception=True)
def tertial_report(request):
    year, tertial = dashboards.default_tertial()
    form = TertialForm(request.GET or {"year": year, "tertial": tertial})
    heading = _("Tertial report to the board")
    if form.is_valid():
        report = board.tertial_report(year=form.cleaned_data["year"], tertial=form.cleaned_data["tertial"])
        return _report_response(request, report, form=form, heading=heading)
    return render(request, "reporting/report.html", {"form": form, "report": None, "heading": heading})


# --- dashboards ---------------------------------------------------------------------------


@permission_required("reporting.view_unit_dashboard", raise_exception=True)
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
def service_dashboard(request):
    period = _dashboard_period(request)
    board_data = dashboards.service_dashboard(period=period)
    return render(request, "reporting/dashboard.html", {"scope": "service", "period": period, "board": board_data})


def _dashboard_period(request):
    period = request.GET.get("period", "").strip()
    return period if _is_period(period) else _default_period()


# --- targets ------------------------------------------------------------------------------


@permission_required("reporting.view_target", raise_exception=True)
def target_list(request):
    table = TargetTable(Target.objects.all())
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "reporting/target_list.html", {"table": table})


@permission_required("reporting.add_target", raise_exception=True)
def target_create(request):
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Target saved."))
        return redirect("reporting:target_list")
    return render(request, "reporting/target_form.html", {"form": form})


@permission_required("reporting.change_target", raise_exception=True)
def target_edit(request, pk):
    target = get_object_or_404(Target, pk=pk)
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Target saved."))
        return redirect("reporting:target_list")
    return render(request, "reporting/target_form.html", {"form": form, "target": target})
