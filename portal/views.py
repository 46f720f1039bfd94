"""The agencies' portal: this month's figures and draft, invoices, returned documents and answers.

Every page needs ``customers.use_portal`` and reads through portal.selectors (the contact's own
agencies only: another agency's object is a 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import exports
from core.documents import DocumentForm
from core.periods import current_period
from core.views import form_page
from invoicing import documents, peppol
from invoicing.models import Invoice
from invoicing.services import drafts as draft_service
from payroll.quality import document_quality, last_months
from payroll.services import answer_return, cover_letter_pdf
from people.identity import display_name
from pricing.services import NoPriceList

from . import selectors

PORTAL = "customers.use_portal"


def _chosen_agency(request):
    agencies = list(selectors.agencies(request.user))
    asked = request.GET.get("agency", "")
    chosen = next((a for a in agencies if str(a.pk) == asked), agencies[0] if agencies else None)
    return agencies, chosen


@permission_required(PORTAL, raise_exception=True)
def month(request):
    """This month's running volumes by channel and the draft invoice, for one of the contact's agencies."""
    agencies, agency = _chosen_agency(request)
    period = current_period()
    context = {"agencies": agencies, "agency": agency, "period": period}
    if agency is not None:
        context["volumes"] = selectors.month_volumes(agency=agency, period=period)
        try:
            draft = draft_service.draft_invoice(period=period, agency=agency)
        except NoPriceList as exc:
            context["error"] = str(exc)
        else:
            context["draft"] = draft
            if draft is not None:
                context["specification"] = documents.specification(draft.specification, draft.lines)
    return render(request, "portal/month.html", context)


@permission_required(PORTAL, raise_exception=True)
def invoice_list(request):
    return render(request, "portal/invoice_list.html", {"invoices": selectors.invoices(request.user)})


@permission_required(PORTAL, raise_exception=True)
def invoice_detail(request, pk):
    invoice = selectors.invoice(request.user, pk)
    lines = invoice.lines.all()
    context = {
        "invoice": invoice,
        "lines": lines,
        "specification": documents.specification(invoice.specification, lines),
        "disputes": invoice.disputes.select_related("line", "complaint", "credit_note"),
        "can_dispute": not invoice.is_credit_note and not Invoice.objects.filter(credited_invoice=invoice).exists(),
    }
    return render(request, "portal/invoice_detail.html", context)


@permission_required(PORTAL, raise_exception=True)
def invoice_pdf(request, pk):
    invoice = selectors.invoice(request.user, pk)
    return exports.download(documents.invoice_pdf(invoice), documents.pdf_filename(invoice))


@permission_required(PORTAL, raise_exception=True)
def invoice_einvoice(request, pk):
    """The invoice or credit note as a Peppol BIS Billing 3.0 e-invoice (UBL)."""
    invoice = selectors.invoice(request.user, pk)
    try:
        xml = peppol.einvoice_xml(invoice)
    except peppol.EInvoiceError as exc:
        messages.error(request, str(exc))
        return redirect("portal:invoice_detail", pk=invoice.pk)
    return exports.download(xml, peppol.filename(invoice))


@permission_required(PORTAL, raise_exception=True)
def return_list(request):
    """Returned documents, each with its cover letter; the employee's name masked for a protected identity.
    Above them, each agency's share of documents right the first time over the last 13 months."""
    rows = [
        {
            "case_return": r,
            "employee": display_name(r.case.person, request.user, name=r.case.employee_name) if r.case.person else "—",
        }
        for r in selectors.returns(request.user)
    ]
    months = last_months()
    context = {
        "rows": rows,
        "quality": document_quality(agencies=selectors.agencies(request.user), periods=months),
        "quality_months": (months[0], months[-1]),
    }
    return render(request, "portal/return_list.html", context)


@permission_required(PORTAL, raise_exception=True)
def cover_letter(request, pk):
    case_return = selectors.case_return(request.user, pk)
    pdf = cover_letter_pdf(case_return=case_return, user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cover-letter-{case_return.case.reference}.pdf"'
    return response


@permission_required(PORTAL, raise_exception=True)
def return_answer(request, pk):
    """Answer a returned document: upload the completed document (PDF or image). The case goes back
    to the handler's queue and its clock restarts (payroll.services.answer_return)."""
    case_return = selectors.case_return(request.user, pk)
    return form_page(
        request,
        DocumentForm(request.POST or None, request.FILES or None),
        save=lambda data: answer_return(case_return=case_return, user=request.user, upload=data["document"]),
        success=_("Thank you: the completed document for %(ref)s is with the service centre.")
        % {"ref": case_return.case.reference},
        next_url=reverse("portal:return_list"),
        template="portal/return_answer.html",
        context={"case_return": case_return},
    )
