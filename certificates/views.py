"""Certificate pages: the list of requests, a new request, one certificate, issue, cancel, the PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.views import form_page
from customers.selectors import agencies_for
from organisation.selectors import units_for
from people.identity import can_see_protected, display_name, display_personnummer, log_unmasked_view

from . import selectors, services
from .filters import CertificateFilter
from .forms import CancelForm, IssueForm, MailForm, RequestForm
from .models import MailItem
from .tables import CertificateTable


@permission_required("certificates.view_certificate", raise_exception=True)
def certificate_list(request):
    certificates = selectors.certificates_for(request.user)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = "requested"
    certificate_filter = CertificateFilter(data, queryset=certificates, request=request)
    table = CertificateTable(certificate_filter.qs, user=request.user)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    log_unmasked_view(request.user, [row.record.person for row in table.paginated_rows], "certificate list")
    overdue = certificates.filter(status="requested", due_on__lt=timezone.localdate()).count()
    return render(request, "certificates/list.html", {"filter": certificate_filter, "table": table, "overdue": overdue})


@permission_required("certificates.add_certificate", raise_exception=True)
def certificate_request(request):
    form = RequestForm(request.POST or None, agencies=agencies_for(request.user))
    return form_page(
        request,
        form,
        save=lambda data: services.request_certificate(user=request.user, **data),
        success=lambda certificate: (
            _("The request is registered: due %(date)s.") % {"date": certificate.due_on.isoformat()}
        ),
        next_url=lambda certificate: reverse("certificates:detail", args=[certificate.pk]),
        template="certificates/request.html",
    )


def _certificate(request, pk):
    return get_object_or_404(selectors.certificates_for(request.user), pk=pk)


@permission_required("certificates.view_certificate", raise_exception=True)
def certificate_detail(request, pk):
    certificate = _certificate(request, pk)
    person = certificate.person
    masked = person.protected_identity and not can_see_protected(request.user)
    if not masked:
        log_unmasked_view(request.user, [person], f"certificate {certificate.reference}")
    held = selectors.employment(person=person, agency=certificate.agency) if certificate.is_open else None
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "masked": masked,
            "person_name": display_name(person, request.user),
            "person_number": display_personnummer(person, request.user),
            "employment": held,
            "issue_form": IssueForm(),
            "cancel_form": CancelForm(),
            "can_change": request.user.has_perm("certificates.change_certificate"),
        },
    )


@require_POST
@permission_required("certificates.change_certificate", raise_exception=True)
def certificate_issue(request, pk):
    certificate = _certificate(request, pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            certificate = services.issue_certificate(certificate=certificate, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Certificate %(number)s is issued.") % {"number": certificate.number})
    return redirect("certificates:detail", pk=certificate.pk)


@require_POST
@permission_required("certificates.change_certificate", raise_exception=True)
def certificate_cancel(request, pk):
    certificate = _certificate(request, pk)
    try:
        services.cancel_certificate(certificate=certificate, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request is cancelled."))
    return redirect("certificates:detail", pk=certificate.pk)


@permission_required("certificates.view_certificate", raise_exception=True)
def certificate_pdf(request, pk):
    certificate = _certificate(request, pk)
    try:
        pdf = services.certificate_pdf(certificate=certificate, user=request.user)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


# --- incoming mail -------------------------------------------------------------------------------


@permission_required("certificates.view_mailitem", raise_exception=True)
def mail_log(request):
    items = (
        MailItem.objects.filter(unit__in=units_for(request.user))
        .select_related("agency", "payroll_case", "certificate", "registered_by")
        .order_by("-received_on", "-id")
    )
    return render(request, "certificates/mail_log.html", {"items": items[:200], "count": items.count()})


@permission_required("certificates.add_mailitem", raise_exception=True)
def mail_create(request):
    form = MailForm(request.POST or None, agencies=agencies_for(request.user), units=units_for(request.user))
    return form_page(
        request,
        form,
        save=lambda data: services.log_mail(
            user=request.user, certificates=selectors.certificates_for(request.user), **data
        ),
        success=_("The mail is logged."),
        next_url=reverse("certificates:mail_log"),
        template="certificates/mail_form.html",
    )
