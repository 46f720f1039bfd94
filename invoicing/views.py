"""Pages of invoicing: invoices and credit notes, their PDFs and ERP file, and the monthly close."""

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

from core import exports
from core.billing import closed_periods, is_period_closed
from core.jobs import QueueUnavailable
from core.periods import current_period, is_period, parse_period

from . import documents, selectors, tasks
from .filters import InvoiceFilter
from .forms import CloseForm, CreditForm
from .models import CloseJob, Invoice
from .services import close
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
            "credit_note": credit_note,
            "later_invoices": later,
            "can_credit": request.user.has_perm("invoicing.issue_credit_note")
            and not invoice.is_credit_note
            and credit_note is None,
            "can_reissue": can_reissue,
        },
    )


@permission_required("invoicing.view_invoice", raise_exception=True)
def invoice_pdf(request, pk):
    invoice = _invoice_for(request, pk)
    return exports.download(documents.invoice_pdf(invoice), documents.pdf_filename(invoice))


@permission_required("invoicing.issue_credit_note", raise_exception=True)
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
    return render(request, "invoicing/invoice_credit.html", {"invoice": invoice, "form": form})


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
@permission_required("invoicing.issue_credit_note", raise_exception=True)
def invoice_reissue(request, pk):
    return _reissue(request, _invoice_for(request, pk))


@permission_required("invoicing.view_invoice", raise_exception=True)
def invoice_zip(request, period):
    period = _valid_period(period)
    invoices = list(selectors.invoices_for(request.user).filter(period=period).order_by("series_year", "sequence"))
    if not invoices:
        messages.warning(request, _("No invoices for %(period)s.") % {"period": period})
        return redirect(reverse("invoicing:invoice_list") + f"?period={period}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for invoice in invoices:
            archive.writestr(documents.pdf_filename(invoice), documents.invoice_pdf(invoice))
    return exports.download(buffer.getvalue(), f"fakturor-{period}.zip")


@permission_required("invoicing.view_invoice", raise_exception=True)
def erp_file(request, period):
    period = _valid_period(period)
    invoices = selectors.invoices_for(request.user).filter(period=period)
    return exports.download(documents.erp_csv(invoices), f"agresso-{period}.csv")


# --- the monthly close --------------------------------------------------------------------


@permission_required("invoicing.run_close", raise_exception=True)
def close_list(request):
    form = CloseForm(request.POST or None, initial=CloseForm.initial_for(current_period()))
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            job = tasks.start_close(period=period, user=request.user)
        except QueueUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("invoicing:close_list")
        except close.CloseError as exc:
            form.add_error("period", str(exc))
        else:
            return redirect("invoicing:close_detail", pk=job.pk)
    table = CloseJobTable(CloseJob.objects.select_related("started_by"))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "invoicing/close_list.html",
        {"form": form, "table": table, "closed": closed_periods()[:12]},
    )


@permission_required("invoicing.run_close", raise_exception=True)
def close_detail(request, pk):
    job = get_object_or_404(CloseJob, pk=pk)
    return render(request, "invoicing/close_detail.html", {"job": job, **_job_outputs(job)})


@permission_required("invoicing.run_close", raise_exception=True)
def close_status(request, pk):
    """The job's status fragment; static/js/app.js polls it while the job is queued or running."""
    job = get_object_or_404(CloseJob, pk=pk)
    return render(request, "invoicing/includes/close_status.html", {"job": job, **_job_outputs(job)})


def _job_outputs(job):
    return {"period_closed": is_period_closed(job.period)}
