"""Pages of payroll cases. Each view checks its permission first; every object is
looked up through the unit-scoped selectors, so another unit's object is a 404."""

import logging
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from core.exports import csv_bytes, download, xlsx_bytes
from core.importing import ImportResult
from core.periods import current_period
from core.uploads import import_page
from organisation.selectors import VIEW_ALL_UNITS
from people.identity import can_see_protected, display_name, display_personnummer, log_unmasked_view

from . import clock, imports, selectors, services, tasks
from .filters import CaseFilter, QueueFilter
from .forms import CancelForm, CaseForm, CheckForm, DocumentArrivedForm, DrawSampleForm, ReturnForm, UploadForm
from .models import Channel, ControlCheck, PayrollCase, PayslipImport
from .tables import CaseTable, CheckTable, IdsFirstData, QueueTable

logger = logging.getLogger(__name__)

VIEW = "payroll.view_payrollcase"
CHANGE = "payroll.change_payrollcase"
EXPORT_MAX_ROWS = 100_000


def _case_or_404(user, pk) -> PayrollCase:
    try:
        return selectors.case_for(user, pk)
    except PayrollCase.DoesNotExist as exc:
        raise Http404 from exc


def _log_people(user, people, context: str) -> None:
    log_unmasked_view(user, list({p.pk: p for p in people if p.protected_identity}.values()), context)


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- the work queue and the case list ----------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def queue(request):
    user = request.user
    queue_filter = QueueFilter(request.GET or None, queryset=selectors.cases_for(user), request=request)
    cases = queue_filter.qs
    counts = selectors.queue_counts(cases, user=user)
    default = "mine" if user.has_perm(CHANGE) else "team"
    bucket = request.GET.get("bucket", default)
    if bucket not in selectors.BUCKETS:
        bucket = default
    table = QueueTable(
        selectors.queue_cases(cases, bucket=bucket, user=user), exclude=("handler",) if bucket == "mine" else ()
    )
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    _log_people(user, [row.record.person for row in table.paginated_rows], "payroll work queue")
    labels = {
        "mine": _("My cases"),
        "team": _("The team's cases"),
        "due_soon": _("Due soon"),
        "overdue": _("Overdue"),
        "returned": _("Returned, waiting"),
        "approval": _("Urgent payouts to approve"),
    }
    tabs = [{"key": key, "label": labels[key], "count": counts[key]} for key in selectors.BUCKETS]
    period = request.GET.get("period") if queue_filter.form.is_valid() and request.GET.get("period") else None
    period = period or current_period()
    late = selectors.late_count(cases, period=period)
    return render(
        request,
        "payroll/queue.html",
        {
            "filter": queue_filter,
            "table": table,
            "tabs": tabs,
            "bucket": bucket,
            "counts": counts,
            "late": late,
            "late_period": period,
        },
    )


@permission_required(VIEW, raise_exception=True)
def case_list(request):
    cases = selectors.cases_for(request.user).select_related("agency", "person")
    case_filter = CaseFilter(request.GET or None, queryset=cases, request=request)
    table = CaseTable(IdsFirstData(case_filter.qs))
    # No COUNT(*) over millions of rows: the paginator only looks one page ahead.
    RequestConfig(request, paginate={"paginator_class": LazyPaginator, "per_page": 50}).configure(table)
    _log_people(request.user, [row.record.person for row in table.paginated_rows], "payroll case list")
    return render(request, "payroll/case_list.html", {"filter": case_filter, "table": table})


EXPORT_HEADER = [
    gettext_lazy("Case"),
    gettext_lazy("Agency"),
    gettext_lazy("Agency name"),
    gettext_lazy("Pay period"),
    gettext_lazy("Payslip id"),
    gettext_lazy("Personal identity number"),
    gettext_lazy("Employee"),
    gettext_lazy("Channel"),
    gettext_lazy("Document type"),
    gettext_lazy("Status"),
    gettext_lazy("Received"),
    gettext_lazy("Late document"),
    gettext_lazy("Due"),
    gettext_lazy("Closed"),
    gettext_lazy("Billing period"),
    gettext_lazy("Handler"),
]


@permission_required(VIEW, raise_exception=True)
def case_export(request):
    """The filtered case list as CSV or XLSX, masked like the page; unmasked rows are logged."""
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        raise Http404
    user = request.user
    cases = selectors.cases_for(user).select_related("agency", "person", "handler")
    case_filter = CaseFilter(request.GET, queryset=cases, request=request)
    queryset = case_filter.qs.order_by("id")
    if queryset[: EXPORT_MAX_ROWS + 1].count() > EXPORT_MAX_ROWS:
        messages.error(
            request,
            _("The export is limited to %(n)s cases. Narrow the filters (e.g. a pay period) and try again.")
            % {"n": number_format(EXPORT_MAX_ROWS, force_grouping=True)},
        )
        return redirect(f"{reverse('payroll:case_list')}?{request.GET.urlencode()}")
    unmasked = []
    sees_protected = can_see_protected(user)

    def rows():
        for case in queryset.iterator(chunk_size=2000):
            person = case.person
            if person.protected_identity and sees_protected:
                unmasked.append(person)
            yield [
                case.reference,
                case.agency.code,
                case.agency.name,
                case.period,
                case.payslip_id,
                display_personnummer(person, user),
                display_name(person, user),
                case.get_channel_display(),
                case.get_document_type_display(),
                case.get_status_display(),
                case.received_on,
                _("yes") if case.is_late else "",
                case.due_on,
                case.closed_on,
                case.billing_period,
                (case.handler.get_full_name() or case.handler.get_username()) if case.handler else "",
            ]

    header = [str(label) for label in EXPORT_HEADER]
    write = csv_bytes if kind == "csv" else partial(xlsx_bytes, title=str(_("Payroll cases")))
    content = write(header, rows())
    _log_people(user, unmasked, f"payroll case export ({kind})")
    return download(content, f"payroll-cases.{kind}")


# --- one case ---------------------------------------------------------------------------------------


@permission_required("payroll.add_payrollcase", raise_exception=True)
def case_create(request):
    form = CaseForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.register_case(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Case %(ref)s registered.") % {"ref": case.reference})
            return redirect("payroll:case_detail", pk=case.pk)
    return render(request, "payroll/case_form.html", {"form": form})


@permission_required(VIEW, raise_exception=True)
def case_detail(request, pk):
    user = request.user
    case = _case_or_404(user, pk)
    _log_people(user, [case.person], f"payroll case {case.reference}")
    approvable = (
        case.needs_approval
        and case.status in (PayrollCase.Status.RECEIVED, PayrollCase.Status.REGISTERED)
        and user.has_perm(services.cases.APPROVE_PERMISSION)
    )
    context = {
        "case": case,
        "clock": clock.case_clock(case),
        "deadline": clock.period_deadline(case.period),
        "employee_name": display_name(case.person, user),
        "employee_number": display_personnummer(case.person, user),
        "history": case.status_changes.select_related("changed_by"),
        "returns": case.returns.select_related("returned_by"),
        "can_change": user.has_perm(CHANGE) and case.is_open,
        "can_approve": approvable,
        "approve_is_own": approvable and user.pk in (case.registered_by_id, case.handler_id),
        "arrived_form": DocumentArrivedForm() if case.status == PayrollCase.Status.RETURNED else None,
        "control_checks": case.control_checks.select_related("sample", "checked_by"),
    }
    return render(request, "payroll/case_detail.html", context)


def _act(request, pk, action, success: str):
    case = _case_or_404(request.user, pk)
    try:
        action(case=case, user=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, success % {"ref": case.reference})
    return redirect("payroll:case_detail", pk=case.pk)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def case_register(request, pk):
    return _act(request, pk, services.mark_registered, _("Case %(ref)s is registered."))


@require_POST
@permission_required(CHANGE, raise_exception=True)
def case_assign(request, pk):
    return _act(request, pk, services.assign_case, _("You now handle case %(ref)s."))


@require_POST
@permission_required(CHANGE, raise_exception=True)
def case_complete(request, pk):
    return _act(request, pk, services.complete_case, _("Case %(ref)s is completed."))


@require_POST
@permission_required("payroll.approve_urgent_payout", raise_exception=True)
def case_approve(request, pk):
    return _act(request, pk, services.approve_urgent_payout, _("The urgent payout %(ref)s is approved."))


@require_POST
@permission_required(CHANGE, raise_exception=True)
def case_arrived(request, pk):
    case = _case_or_404(request.user, pk)
    form = DocumentArrivedForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("payroll:case_detail", pk=case.pk)
    try:
        services.record_document_arrived(case=case, user=request.user, arrived_on=form.cleaned_data["arrived_on"])
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The completed document is registered; the clock runs again."))
    return redirect("payroll:case_detail", pk=case.pk)


@permission_required(CHANGE, raise_exception=True)
def case_return(request, pk):
    case = _case_or_404(request.user, pk)
    if case.status not in (PayrollCase.Status.RECEIVED, PayrollCase.Status.REGISTERED):
        messages.error(request, _("Only a received or registered case can be returned."))
        return redirect("payroll:case_detail", pk=case.pk)
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case_return = services.return_case(case=case, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The document is returned. Download the cover letter and send it to the agency.")
            )
            return redirect(f"{reverse('payroll:case_detail', args=[case.pk])}#return-{case_return.pk}")
    return render(request, "payroll/case_return.html", {"case": case, "form": form})


@permission_required(CHANGE, raise_exception=True)
def case_cancel(request, pk):
    case = _case_or_404(request.user, pk)
    if not case.is_open:
        messages.error(request, _("Only an open case can be cancelled."))
        return redirect("payroll:case_detail", pk=case.pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_case(case=case, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Case %(ref)s is cancelled.") % {"ref": case.reference})
            return redirect("payroll:case_detail", pk=case.pk)
    return render(request, "payroll/case_cancel.html", {"case": case, "form": form})


@permission_required(VIEW, raise_exception=True)
def cover_letter(request, pk):
    case_return = get_object_or_404(
        selectors.returns_for(request.user).select_related("case__agency", "case__person", "returned_by"), pk=pk
    )
    pdf = services.cover_letter_pdf(case_return=case_return, user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cover-letter-{case_return.case.reference}.pdf"'
    return response


# --- the monthly import ----------------------------------------------------------------------------------


@permission_required("payroll.view_payslipimport", raise_exception=True)
def import_list(request):
    jobs = selectors.imports_for(request.user).select_related("uploaded_by", "unit")[:50]
    return render(request, "payroll/import_list.html", {"jobs": jobs})


@permission_required("payroll.import_payslips", raise_exception=True)
def import_upload(request):
    def run(form):
        job = tasks.start_payslip_import(
            uploaded_file=form.cleaned_data["file"], user=request.user, language=get_language()
        )
        return ImportResult(queued=True, target=job)

    scope = None if request.user.has_perm(VIEW_ALL_UNITS) else imports.import_scope_unit(request.user)
    jobs = selectors.imports_for(request.user).select_related("uploaded_by")[:10]
    return import_page(
        request,
        form_class=UploadForm,
        template="payroll/import_upload.html",
        run=run,
        done_url=lambda result: reverse("payroll:import_detail", args=[result.target.pk]),
        context={"jobs": jobs, "scope": scope},
    )


def _import_job(request, pk):
    return get_object_or_404(selectors.imports_for(request.user).select_related("uploaded_by", "unit"), pk=pk)


@permission_required("payroll.view_payslipimport", raise_exception=True)
def import_detail(request, pk):
    job = _import_job(request, pk)
    return render(request, "payroll/import_detail.html", {"job": job, **_import_context(request.user, job)})


@permission_required("payroll.view_payslipimport", raise_exception=True)
def import_status(request, pk):
    """The job's progress or result as a fragment, polled by the detail page while it runs."""
    job = _import_job(request, pk)
    return render(request, "payroll/includes/import_status.html", {"job": job, **_import_context(request.user, job)})


def _import_context(user, job) -> dict:
    channels = []
    per_agency: dict[str, dict] = {}
    summary = selectors.import_summary_for(user, job)
    for row in summary:
        if row["channel"] not in channels:
            channels.append(row["channel"])
        entry = per_agency.setdefault(row["agency"], {"code": row["agency"], "name": row["agency_name"], "rows": {}})
        entry["rows"][row["channel"]] = row["rows"]
    ordered = [c for c in Channel.values if c in channels]
    labels = dict(Channel.choices)
    table = [
        {**a, "cells": [a["rows"].get(c, 0) for c in ordered], "total": sum(a["rows"].values())}
        for a in per_agency.values()
    ]
    totals = [sum(row["cells"][i] for row in table) for i in range(len(ordered))]
    return {
        "summary_partial": len(summary) < len(job.summary),
        "summary_rows_shown": sum(row["total"] for row in table),
        "summary_channels": [labels[c] for c in ordered],
        "summary_rows": table,
        "summary_totals": totals,
        "import_errors": job.errors if job.status != PayslipImport.Status.DONE else [],
    }


# --- internal control ------------------------------------------------------------------------------------


@permission_required("payroll.view_controlsample", raise_exception=True)
def control_list(request):
    samples = selectors.samples_for(request.user).select_related("unit", "drawn_by")[:100]
    form = DrawSampleForm(user=request.user) if request.user.has_perm("payroll.draw_control_sample") else None
    return render(request, "payroll/control_list.html", {"samples": samples, "form": form})


@require_POST
@permission_required("payroll.draw_control_sample", raise_exception=True)
def control_draw(request):
    form = DrawSampleForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            sample = services.draw_control_sample(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(n)d cases drawn for checking.") % {"n": sample.checks.count()})
            return redirect("payroll:control_detail", pk=sample.pk)
    samples = selectors.samples_for(request.user).select_related("unit", "drawn_by")[:100]
    return render(request, "payroll/control_list.html", {"samples": samples, "form": form}, status=400)


@permission_required("payroll.view_controlsample", raise_exception=True)
def control_detail(request, pk):
    sample = get_object_or_404(selectors.samples_for(request.user).select_related("unit", "drawn_by"), pk=pk)
    checks = sample.checks.select_related("case__agency", "case__person", "checked_by")
    table = CheckTable(checks)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    _log_people(request.user, [row.record.case.person for row in table.paginated_rows], "internal control sample")
    outcomes = dict.fromkeys(ControlCheck.Outcome.values, 0)
    for outcome in sample.checks.values_list("outcome", flat=True):
        outcomes[outcome] += 1
    context = {
        "sample": sample,
        "table": table,
        "outcomes": outcomes,
        "repeatable": services.repeat_draw(sample),
        "check_form": CheckForm(),
    }
    return render(request, "payroll/control_detail.html", context)


@require_POST
@permission_required("payroll.record_control_check", raise_exception=True)
def control_check(request, pk):
    check = get_object_or_404(selectors.checks_for(request.user), pk=pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.record_check(check=check, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The check of %(ref)s is recorded.") % {"ref": check.case.reference})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("payroll:control_detail", pk=check.sample_id)
