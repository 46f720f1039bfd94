"""Pages of invoicing: invoices and credit notes, their PDFs and ERP file, and the monthly close."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core import exports
from core.billing import closed_periods, is_period_closed
from core.jobs import QueueUnavailable
from core.periods import current_period, is_period, parse_period, periods_between, previous_period
from customers.selectors import agencies_for, agency_for
from organisation.selectors import VIEW_ALL_UNITS
from pricing.services import NoPriceList

from . import documents, peppol, reconciliation, selectors, sie, tasks
from .filters import InvoiceFilter
from .forms import CloseForm, CreditForm, ReissueForm
from .models import CloseJob, Invoice, MonthZip
from .services import close, close_order, month_zip, pdfs
from .services import drafts as draft_service
from .services import invoices as invoice_service
from .tables import CloseJobTable, InvoiceTable


def _valid_period(period: str) -> str:
    try:
        parse_period(period)
    except ValidationError as exc:
        raise Http404(_("No such period.")) from exc
    return period


@permission_required("invoicing.view_invoice", raise_exception=True)
def invoice_list(request):
    invoice_filter = InvoiceFilter(
        request.GET or None, queryset=selectors.invoices_for(request.user), user=request.user
    )
    qs = invoice_filter.qs if invoice_filter.is_bound and invoice_filter.is_valid() else invoice_filter.queryset
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        report = documents.invoice_rows_report(qs.order_by("series_year", "sequence"))
        return exports.download(report.render(export), f"invoices.{export}")
    table = InvoiceTable(qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    period = request.GET.get("period", "").strip()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "invoicing/invoice_list.html",
        {
            "filter": invoice_filter,
            "table": table,
            "period": period if is_period(period) else "",
            "query": query.urlencode(),
            "periods": selectors.invoiced_periods()[:24],
        },
    )


def _invoice_for(request, pk) -> Invoice:
    return get_object_or_404(selectors.invoices_for(request.user), pk=pk)


@permission_required("invoicing.view_invoice", raise_exception=True)
def invoice_detail(request, pk):
    invoice = _invoice_for(request, pk)
    credit_note = Invoice.objects.filter(credited_invoice=invoice).first()
    later = Invoice.objects.filter(
        agency=invoice.agency, period=invoice.period, kind=Invoice.Kind.INVOICE, revision__gt=invoice.revision
    ).order_by("revision")
    can_reissue = (
        request.user.has_perm("invoicing.issue_credit_note")
        and not invoice.is_credit_note
        and credit_note is not None
        and not Invoice.objects.filter(
            agency=invoice.agency, period=invoice.period, kind=Invoice.Kind.INVOICE, credit_note__isnull=True
        ).exists()
    )
    return render(
        request,
        "invoicing/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "specification": documents.specification(invoice.specification, invoice.lines.all()),
            "credit_note": credit_note,
            "later_invoices": later,
            "can_credit": request.user.has_perm("invoicing.issue_credit_note")
            and not invoice.is_credit_note
            and credit_note is None,
            "can_reissue": can_reissue,
            "disputes": invoice.disputes.select_related("line", "complaint__sender", "credit_note", "answered_by")
            if request.user.has_perm("invoicing.view_invoicedispute")
            else None,
        },
    )


@permission_required("invoicing.view_invoice", raise_exception=True)
def invoice_pdf(request, pk):
    invoice = _invoice_for(request, pk)
    return exports.download(documents.invoice_pdf(invoice), documents.pdf_filename(invoice))


@permission_required("invoicing.view_invoice", raise_exception=True)
def invoice_einvoice(request, pk):
    """The invoice or credit note as a Peppol BIS Billing 3.0 e-invoice (UBL), its PDF embedded."""
    invoice = _invoice_for(request, pk)
    try:
        xml = peppol.einvoice_xml(invoice)
    except peppol.EInvoiceError as exc:
        messages.error(request, str(exc))
        return redirect(invoice)
    return exports.download(xml, peppol.filename(invoice))


@permission_required("invoicing.issue_credit_note", raise_exception=True)
def invoice_credit(request, pk):
    invoice = _invoice_for(request, pk)
    form = CreditForm(request.POST or None, period=invoice.period, original=invoice.price_list)
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
                return _reissue(request, invoice, price_list=form.cleaned_data["price_list"])
            return redirect(note)
    return render(request, "invoicing/invoice_credit.html", {"invoice": invoice, "form": form})


def _reissue(request, invoice, *, price_list=None):
    """Reissue the month of ``invoice``; the new invoice's reason says which list priced it and, when
    finance chose another than the replaced invoice's, that it was chosen (the audit trail keeps it)."""
    original = invoice_service.reissue_price_list(agency=invoice.agency, period=invoice.period)
    chosen = price_list or original
    if chosen is not None and original is not None and chosen.pk != original.pk:
        reason = _("Replaces %(number)s; priced with price list %(list)s, chosen instead of %(original)s") % {
            "number": invoice.number,
            "list": chosen,
            "original": original,
        }
    elif chosen is not None:
        reason = _("Replaces %(number)s; priced with price list %(list)s") % {"number": invoice.number, "list": chosen}
    else:
        reason = _("Replaces %(number)s") % {"number": invoice.number}
    try:
        new = invoice_service.reissue_invoice(
            agency=invoice.agency, period=invoice.period, user=request.user, reason=reason, price_list=chosen
        )
    except invoice_service.InvoiceError as exc:
        messages.error(request, str(exc))
        return redirect(invoice)
    messages.success(
        request,
        _("New invoice %(number)s issued, priced with price list %(list)s.")
        % {"number": new.number, "list": new.price_list or "—"},
    )
    return redirect(new)


@permission_required("invoicing.issue_credit_note", raise_exception=True)
def invoice_reissue(request, pk):
    """The reissue's confirmation: the price list it will use (the replaced invoice's, preselected) and
    finance's choice of another version of the year; posting it issues the new invoice."""
    invoice = _invoice_for(request, pk)
    original = invoice_service.reissue_price_list(agency=invoice.agency, period=invoice.period)
    posted = request.method == "POST"
    form = ReissueForm(request.POST if posted else None, period=invoice.period, original=original)
    if posted:
        if form.is_valid():
            return _reissue(request, invoice, price_list=form.cleaned_data["price_list"])
        messages.error(request, _("Choose a price list of the invoice's year."))
    return render(request, "invoicing/invoice_reissue.html", {"invoice": invoice, "form": form, "original": original})


@permission_required("invoicing.view_invoice", raise_exception=True)
def invoice_zip(request, period):
    """The month's zip of PDFs: served when built and current; otherwise its build is handed to the
    worker (``tasks.start_month_zip``) and the page follows it. Every agency's invoices are in it,
    so only users who see every unit's invoices get it."""
    period = _valid_period(period)
    if not request.user.has_perm(VIEW_ALL_UNITS):
        raise PermissionDenied
    if not Invoice.objects.filter(period=period).exists():
        messages.warning(request, _("No invoices for %(period)s.") % {"period": period})
        return redirect(reverse("invoicing:invoice_list") + f"?period={period}")
    ready = month_zip.current_zip(period)
    if ready is None:
        try:
            record = tasks.start_month_zip(period)
        except QueueUnavailable as exc:
            messages.error(request, str(exc))
            return redirect(reverse("invoicing:invoice_list") + f"?period={period}")
        ready = record if month_zip.is_current(record) else None
    if ready is None:
        return render(request, "invoicing/month_zip.html", {"period": period, "record": record})
    with ready.file.open("rb") as stored:
        return exports.download(stored.read(), f"fakturor-{period}.zip")


@permission_required("invoicing.view_invoice", raise_exception=True)
def invoice_zip_status(request, period):
    """The zip build's status fragment; static/js/app.js polls it while the build is queued or running."""
    period = _valid_period(period)
    if not request.user.has_perm(VIEW_ALL_UNITS):
        raise PermissionDenied
    record = MonthZip.objects.filter(period=period).first()
    return render(request, "invoicing/includes/month_zip_status.html", {"period": period, "record": record})


@permission_required("invoicing.view_invoice", raise_exception=True)
def erp_file(request, period):
    period = _valid_period(period)
    invoices = selectors.invoices_for(request.user).filter(period=period)
    return exports.download(documents.erp_csv(invoices), f"agresso-{period}.csv")


# --- draft invoices of the open months ----------------------------------------------------------


def _open_months() -> list[str]:
    """The open months a draft can be asked for: the unclosed ones of the last year, newest first."""
    current = current_period()
    first = current
    for _month in range(11):
        first = previous_period(first)
    recent = periods_between(first, current)
    closed = set(closed_periods())
    return [month for month in reversed(recent) if month not in closed]


@permission_required("invoicing.view_draft_invoice", raise_exception=True)
def draft_list(request):
    """Each agency's draft invoice for an open month (the current month unless asked), with the
    change against last month."""
    period = request.GET.get("period", "").strip() or current_period()
    period = _valid_period(period)
    context = {"period": period, "open_months": _open_months(), "closed": is_period_closed(period)}
    if not context["closed"]:
        try:
            drafts = draft_service.draft_invoices(period=period, agencies=agencies_for(request.user))
        except NoPriceList as exc:
            context["error"] = str(exc)
        else:
            context |= {
                "drafts": drafts,
                "total": sum((draft.total for draft in drafts), Decimal("0.00")),
                "last_total": sum((draft.last_total for draft in drafts), Decimal("0.00")),
            }
    return render(request, "invoicing/draft_list.html", context)


@permission_required("invoicing.view_draft_invoice", raise_exception=True)
def draft_detail(request, period, agency_pk):
    period = _valid_period(period)
    agency = agency_for(request.user, agency_pk)
    context = {"period": period, "agency": agency, "closed": is_period_closed(period)}
    if not context["closed"]:
        try:
            draft = draft_service.draft_invoice(period=period, agency=agency)
        except NoPriceList as exc:
            context["error"] = str(exc)
        else:
            context["draft"] = draft
            if draft is not None:
                context["specification"] = documents.specification(draft.specification, draft.lines)
    return render(request, "invoicing/draft_detail.html", context)


@permission_required("invoicing.view_invoice", raise_exception=True)
def sie_file(request, period):
    """The month's invoices and credit notes as SIE 4I vouchers for the city's ledger (CP437)."""
    period = _valid_period(period)
    invoices = selectors.invoices_for(request.user).filter(period=period)
    return exports.download(sie.sie_file(invoices, period=period), f"verifikationer-{period}.se")


@permission_required("invoicing.view_invoice", raise_exception=True)
def reconciliation_page(request, period):
    """Invoices = e-invoices = SIE vouchers = Agresso file for the month, to the öre."""
    period = _valid_period(period)
    result = reconciliation.reconcile(selectors.invoices_for(request.user).filter(period=period), period=period)
    return render(request, "invoicing/reconciliation.html", {"period": period, "result": result})


# --- the monthly close --------------------------------------------------------------------


@permission_required("invoicing.run_close", raise_exception=True)
def close_list(request):
    initial = CloseForm.initial_for(current_period())
    asked = request.GET.get("period", "").strip()
    if is_period(asked):
        initial["period"] = asked
    form = CloseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            job = tasks.start_close(period=period, user=request.user, in_order=form.cleaned_data["in_order"])
        except QueueUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("invoicing:close_list")
        except close.CloseError as exc:
            form.add_error("period", str(exc))
        else:
            return redirect("invoicing:close_detail", pk=job.pk)
    proposed = form.data.get("period", "") if form.is_bound else initial["period"]
    table = CloseJobTable(CloseJob.objects.select_related("started_by"))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "invoicing/close_list.html",
        {"form": form, "table": table, "closed": closed_periods()[:12], **_before_the_close(proposed)},
    )


def _before_the_close(period: str) -> dict:
    """What the close page says about ``period`` before it runs: the earlier months still to close,
    the agencies whose payslip file of the month is missing, those with unfinished cases, and
    registered cases no payslip line carries yet."""
    if not is_period(period):
        return {}
    unclosed = close_order.unclosed_months_before(period)
    return {
        "proposed": period,
        "proposed_closed": is_period_closed(period),
        "unclosed_before": unclosed,
        "unclosed_before_text": close_order.describe_months(unclosed),
        "missing_files": list(selectors.agencies_missing_payslip_file(period=period)),
        "unfinished": selectors.agencies_with_unfinished_cases(period=period),
        "waiting_for_lines": selectors.cases_waiting_for_their_payslip_line(period=period),
    }


@permission_required("invoicing.run_close", raise_exception=True)
def close_detail(request, pk):
    job = get_object_or_404(CloseJob, pk=pk)
    context = {"job": job, **_job_outputs(job), "reconciliation": _reconciliation(request, job)}
    return render(request, "invoicing/close_detail.html", context)


@permission_required("invoicing.run_close", raise_exception=True)
def close_status(request, pk):
    """The job's status fragment; static/js/app.js polls it while the job is queued or running."""
    job = get_object_or_404(CloseJob, pk=pk)
    return render(request, "invoicing/includes/close_status.html", {"job": job, **_job_outputs(job)})


def _job_outputs(job):
    closed = is_period_closed(job.period)
    done = closed and job.state == CloseJob.State.DONE
    held = close.held_agencies(period=job.period) if done else []
    return {"period_closed": closed, "held": held, "pdfs": pdfs.progress(job) if done else None}


@require_POST
@permission_required("invoicing.run_close", raise_exception=True)
def close_retry_pdfs(request, pk):
    """Render the close's failed PDFs again (the invoices are as issued; only their PDFs are made)."""
    job = get_object_or_404(CloseJob, pk=pk, state=CloseJob.State.DONE)
    try:
        ids = tasks.retry_pdfs(job)
    except QueueUnavailable as exc:
        messages.error(request, str(exc))
    else:
        if ids:
            messages.success(request, _("The failed PDFs are being rendered again."))
        else:
            messages.info(request, _("No PDF of this close has failed."))
    return redirect("invoicing:close_detail", pk=job.pk)


@require_POST
@permission_required("invoicing.run_close", raise_exception=True)
def close_issue_held(request, pk, agency_pk):
    """Issue the invoice of an agency the close held, once its agreement or price list is mended."""
    job = get_object_or_404(CloseJob, pk=pk)
    held = {h.agency.pk: h for h in close.held_agencies(period=job.period)}
    if agency_pk not in held:
        raise Http404
    if held[agency_pk].reason:
        messages.error(request, held[agency_pk].reason)
        return redirect("invoicing:close_detail", pk=job.pk)
    try:
        invoice = invoice_service.reissue_invoice(
            agency=held[agency_pk].agency,
            period=job.period,
            user=request.user,
            reason=_("Held by the close of %(period)s") % {"period": job.period},
        )
    except invoice_service.InvoiceError as exc:
        messages.error(request, str(exc))
        return redirect("invoicing:close_detail", pk=job.pk)
    messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
    return redirect(invoice)


def _reconciliation(request, job):
    """The closed month's reconciliation, shown to finance on the close page."""
    if job.state != CloseJob.State.DONE or not is_period_closed(job.period):
        return None
    invoices = selectors.invoices_for(request.user).filter(period=job.period)
    return reconciliation.reconcile(invoices, period=job.period)
