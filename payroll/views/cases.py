"""The work queue, the case list and its download, and the pages of one payroll case."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from core.documents import desk_context
from core.exports import download
from core.jobs import QueueUnavailable, is_stuck
from core.periods import current_period
from core.views import form_page
from people.identity import can_see_protected, display_name, display_personnummer

from .. import clock, keyset, selectors, services, tasks
from ..filters import CaseFilter, QueueFilter
from ..forms import CancelForm, CaseForm, DocumentArrivedForm, ReturnForm
from ..models import CaseExport, PayrollCase
from ..models.exports import CASE_EXPORTS
from ..services import exports
from ..tables import CaseTable, IdsFirstData, QueueTable
from .common import CHANGE, VIEW, case_or_404, log_people, refused

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
    log_people(user, [row.record.person for row in table.paginated_rows], "payroll work queue")
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
    table = CaseTable(IdsFirstData(case_filter.qs), template_name="payroll/includes/case_table.html")
    RequestConfig(request, paginate=False).configure(table)
    # Pages by cursor (the cases after the last one seen: no OFFSET, payroll.keyset); the order by
    # personal identity number by page number. Neither counts the rows: it only looks one row ahead.
    if not keyset.paginate_table(table, request.GET, read=lambda queryset, n: IdsFirstData(queryset)[:n]):
        RequestConfig(request, paginate={"paginator_class": LazyPaginator, "per_page": 50}).configure(table)
    if table.bad_cursor:
        messages.warning(
            request,
            _("The link to this page is not valid (changed or cut short): the list starts again from its first page."),
        )
    log_people(request.user, [row.record.person for row in table.paginated_rows], "payroll case list")
    valid = not case_filter.is_bound or case_filter.form.is_valid()
    period = case_filter.form.cleaned_data.get("period") if case_filter.is_bound and valid else None
    # One pay period is far below the limit (the city has ~50,000 a month); otherwise one probe
    # past the limit (an index-only skip, never a COUNT of the table).
    big = valid and not period and exports.more_than(case_filter.qs, exports.IMMEDIATE_MAX_ROWS)
    context = {
        "filter": case_filter,
        "table": table,
        # The download offered is the one that works: at once, or made in the background.
        "exportable": valid and not big,
        "export_in_background": big,
        "excel_in_background": big and not exports.more_than(case_filter.qs, exports.XLSX_MAX_ROWS),
        "export_query": exports.filter_query(request.GET),
        "export_limit": number_format(exports.IMMEDIATE_MAX_ROWS, force_grouping=True),
    }
    return render(request, "payroll/case_list.html", context)


@permission_required(VIEW, raise_exception=True)
def case_export(request):
    """The filtered case list as CSV or XLSX, masked like the page; unmasked rows are logged. A list
    of more than IMMEDIATE_MAX_ROWS cases is made in the background (``case_export_start``)."""
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        raise Http404
    queryset = exports.filtered_cases(request.user, exports.filter_query(request.GET))
    back = f"{reverse('payroll:case_list')}?{request.GET.urlencode()}"
    if queryset is None:
        messages.error(request, _("The filters are not valid; correct them and try again."))
        return redirect(back)
    if exports.more_than(queryset, exports.IMMEDIATE_MAX_ROWS):
        messages.info(
            request,
            _("More than %(n)s cases match: the download is made in the background. Start it below.")
            % {"n": number_format(exports.IMMEDIATE_MAX_ROWS, force_grouping=True)},
        )
        return redirect(back)
    return download(exports.export_bytes(queryset, user=request.user, kind=kind), f"payroll-cases.{kind}")


@require_POST
@permission_required(VIEW, raise_exception=True)
def case_export_start(request):
    """Start the big download of the filtered case list as a job, then follow it on its page."""
    kind = request.POST.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        raise Http404
    params = QueryDict(request.POST.get("query", ""))
    refused_because = exports.refusal(user=request.user, params=params, kind=kind)
    if refused_because:
        messages.error(request, refused_because)
        return redirect(f"{reverse('payroll:case_list')}?{params.urlencode()}")
    try:
        export = tasks.start_case_export(
            user=request.user, params=params, kind=kind, language=translation.get_language() or "sv"
        )
    except QueueUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('payroll:case_list')}?{params.urlencode()}")
    return redirect("payroll:case_export_job", pk=export.pk)


def _own_export(request, pk) -> CaseExport:
    """A download of the user's own: its file is masked for them, so it is nobody else's (404)."""
    return get_object_or_404(CaseExport, pk=pk, user=request.user)


def _export_context(export):
    return {
        "export": export,
        "expires_at": exports.expires_at(export),
        "expired": exports.is_expired(export),
        "stuck": is_stuck(CASE_EXPORTS, export),
    }


@permission_required(VIEW, raise_exception=True)
def case_export_job(request, pk):
    export = _own_export(request, pk)
    return render(request, "payroll/case_export.html", _export_context(export))


@permission_required(VIEW, raise_exception=True)
def case_export_status(request, pk):
    """The job's status fragment; static/js/app.js polls it while the download is being made."""
    export = _own_export(request, pk)
    return render(request, "payroll/includes/case_export_status.html", _export_context(export))


@permission_required(VIEW, raise_exception=True)
def case_export_file(request, pk):
    """The finished file, to the user it was made for, until it is deleted after the retention time."""
    export = _own_export(request, pk)
    if export.state != CaseExport.State.DONE or not export.file or exports.is_expired(export):
        raise Http404
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename)
    response["Cache-Control"] = "no-store"
    return response


# --- one case ---------------------------------------------------------------------------------------


@permission_required("payroll.add_payrollcase", raise_exception=True)
def case_create(request):
    posted = request.method == "POST"
    form = CaseForm(request.POST if posted else None, request.FILES if posted else None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.register_case(user=request.user, **data),
        success=lambda case: _("Case %(ref)s registered.") % {"ref": case.reference},
        next_url=lambda case: reverse("payroll:case_detail", args=[case.pk]),
        template="payroll/case_form.html",
    )


@permission_required(VIEW, raise_exception=True)
def case_detail(request, pk):
    user = request.user
    case = case_or_404(user, pk)
    log_people(user, [case.person], f"payroll case {case.reference}")
    approvable = (
        case.needs_approval
        and case.status in (PayrollCase.Status.RECEIVED, PayrollCase.Status.REGISTERED)
        and user.has_perm(services.cases.APPROVE_PERMISSION)
    )
    context = {
        "case": case,
        "clock": clock.case_clock(case),
        "deadline": clock.period_deadline(case.period),
        "employee_name": display_name(case.person, user, name=case.employee_name),
        "employee_number": display_personnummer(case.person, user),
        "desk": desk_context(
            documents=case.documents.select_related("uploaded_by"),
            notes=case.notes.select_related("author"),
            timeline=selectors.case_timeline(case),
            can_write=user.has_perm(CHANGE),
            hide_names=case.person.protected_identity and not can_see_protected(user),
            document_url=lambda doc: reverse("payroll:document", args=[doc.pk]),
            add_urls=(reverse("payroll:document_add", args=[case.pk]), reverse("payroll:note_add", args=[case.pk])),
        ),
        "returns": case.returns.select_related("returned_by"),
        "can_change": user.has_perm(CHANGE) and case.is_open,
        "can_approve": approvable,
        "approve_is_own": approvable and user.pk in (case.registered_by_id, case.handler_id),
        "arrived_form": DocumentArrivedForm() if case.status == PayrollCase.Status.RETURNED else None,
        "control_checks": case.control_checks.select_related("sample", "checked_by"),
    }
    return render(request, "payroll/case_detail.html", context)


def _act(request, pk, action, success: str):
    case = case_or_404(request.user, pk)
    try:
        action(case=case, user=request.user)
    except ValidationError as error:
        refused(request, error)
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
    case = case_or_404(request.user, pk)
    form = DocumentArrivedForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("payroll:case_detail", pk=case.pk)
    try:
        services.record_document_arrived(case=case, user=request.user, arrived_on=form.cleaned_data["arrived_on"])
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, _("The completed document is registered; the clock runs again."))
    return redirect("payroll:case_detail", pk=case.pk)


@permission_required(CHANGE, raise_exception=True)
def case_return(request, pk):
    case = case_or_404(request.user, pk)
    if case.status not in (PayrollCase.Status.RECEIVED, PayrollCase.Status.REGISTERED):
        messages.error(request, _("Only a received or registered case can be returned."))
        return redirect("payroll:case_detail", pk=case.pk)
    return form_page(
        request,
        ReturnForm(request.POST if request.method == "POST" else None),
        save=lambda data: services.return_case(case=case, user=request.user, **data),
        success=_("The document is returned. Download the cover letter and send it to the agency."),
        next_url=lambda case_return: f"{reverse('payroll:case_detail', args=[case.pk])}#return-{case_return.pk}",
        template="payroll/case_return.html",
        context={"case": case},
    )


@permission_required(CHANGE, raise_exception=True)
def case_cancel(request, pk):
    case = case_or_404(request.user, pk)
    if not case.is_open:
        messages.error(request, _("Only an open case can be cancelled."))
        return redirect("payroll:case_detail", pk=case.pk)
    return form_page(
        request,
        CancelForm(request.POST if request.method == "POST" else None),
        save=lambda data: services.cancel_case(case=case, user=request.user, reason=data["reason"]),
        success=_("Case %(ref)s is cancelled.") % {"ref": case.reference},
        next_url=reverse("payroll:case_detail", args=[case.pk]),
        template="payroll/case_cancel.html",
        context={"case": case},
    )


@permission_required(VIEW, raise_exception=True)
def cover_letter(request, pk):
    case_return = get_object_or_404(
        selectors.returns_for(request.user).select_related("case__agency", "case__person", "returned_by"), pk=pk
    )
    pdf = services.cover_letter_pdf(case_return=case_return, user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cover-letter-{case_return.case.reference}.pdf"'
    return response
