"""The work queue, the case list and its download, and the pages of one payroll case."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from core.documents import desk_context
from core.exports import csv_bytes, download, xlsx_bytes
from core.periods import current_period
from core.views import form_page
from people.identity import can_see_protected, display_name, display_personnummer

from .. import clock, selectors, services
from ..filters import CaseFilter, QueueFilter
from ..forms import CancelForm, CaseForm, DocumentArrivedForm, ReturnForm
from ..models import PayrollCase
from ..tables import CaseTable, IdsFirstData, QueueTable
from .common import CHANGE, VIEW, case_or_404, log_people, refused

EXPORT_MAX_ROWS = 100_000


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
    table = CaseTable(IdsFirstData(case_filter.qs))
    # No COUNT(*) over millions of rows: the paginator only looks one page ahead.
    RequestConfig(request, paginate={"paginator_class": LazyPaginator, "per_page": 50}).configure(table)
    log_people(request.user, [row.record.person for row in table.paginated_rows], "payroll case list")
    context = {
        "filter": case_filter,
        "table": table,
        "exportable": _exportable(case_filter.qs, period=case_filter.form.cleaned_data.get("period"))
        if case_filter.is_bound and case_filter.form.is_valid()
        else _exportable(case_filter.qs),
        "export_limit": number_format(EXPORT_MAX_ROWS, force_grouping=True),
    }
    return render(request, "payroll/case_list.html", context)


def _exportable(cases, *, period=None) -> bool:
    """Offer the download only where it works: at most EXPORT_MAX_ROWS cases. One pay period is far
    below the limit (the city has ~50,000 a month); otherwise one probe for a case past the limit
    (an index-only skip, never a COUNT of the table)."""
    if period:
        return True
    return not cases.order_by("pk")[EXPORT_MAX_ROWS : EXPORT_MAX_ROWS + 1].exists()


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
    log_people(user, unmasked, f"payroll case export ({kind})")
    return download(content, f"payroll-cases.{kind}")


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
        "employee_name": display_name(case.person, user),
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
