"""Feedback and complaints: the list, registering, handling, and the summary per month and tertial."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from .. import selectors, services
from ..filters import ComplaintFilter
from ..forms import ComplaintForm, ComplaintHandleForm
from ..models import Complaint
from ..tables import ComplaintTable
from .common import PER_PAGE, agency_from_query, edit_page, export


@permission_required("customers.view_complaint", raise_exception=True)
def complaint_list(request):
    filterset = ComplaintFilter(
        request.GET,
        queryset=selectors.complaints_for(request.user),
        agencies=selectors.agencies_for(request.user),
        units=selectors.units_for(request.user),
    )
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        header = [
            _("Received"),
            _("Agency code"),
            _("Agency"),
            _("Type"),
            _("Category"),
            _("Description"),
            _("Handler"),
            _("Status"),
            _("Resolution"),
            _("Resolved"),
        ]
        rows = (
            [
                c.received_on,
                c.agency.code,
                c.agency.name,
                c.get_kind_display(),
                c.get_category_display(),
                c.description,
                c.handler.get_full_name() if c.handler else "",
                c.get_status_display(),
                c.resolution,
                c.resolved_on,
            ]
            for c in filterset.qs
        )
        return export(fmt, header, rows, f"complaints-{timezone.localdate():%Y%m%d}", _("Complaints"))
    table = ComplaintTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "customers/complaint_list.html",
        {"filter": filterset, "table": table, "count": filterset.qs.count(), "query": query.urlencode()},
    )


@permission_required("customers.add_complaint", raise_exception=True)
def complaint_create(request):
    agencies = selectors.agencies_for(request.user)
    agency = agency_from_query(request, agencies)
    form = ComplaintForm(
        request.POST or None,
        agencies=agencies,
        handlers=selectors.handlers_for(request.user),
        initial={"agency": agency},
    )
    return edit_page(
        request,
        form,
        save=lambda data: services.register_complaint(user=request.user, **data),
        success=_("The feedback was registered."),
        next_url=lambda complaint: reverse("customers:complaint_detail", args=[complaint.pk]),
        title=_("Register feedback or a complaint"),
        cancel_url=reverse("customers:agency_detail", args=[agency.pk])
        if agency
        else reverse("customers:complaint_list"),
        agency=agency,
    )


@permission_required("customers.view_complaint", raise_exception=True)
def complaint_detail(request, pk):
    complaint = selectors.complaint_for(request.user, pk)
    form = None
    if request.user.has_perm("customers.change_complaint") and complaint.kind != Complaint.Kind.DISPUTE:
        form = ComplaintHandleForm(instance=complaint, handlers=selectors.handlers_for(request.user))
    return render(
        request,
        "customers/complaint_detail.html",
        {
            "complaint": complaint,
            "agency": complaint.agency,
            "form": form,
            "history": complaint.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


@permission_required("customers.change_complaint", raise_exception=True)
def complaint_handle(request, pk):
    complaint = selectors.complaint_for(request.user, pk)
    if complaint.kind == Complaint.Kind.DISPUTE:
        messages.info(
            request, _("An invoice dispute is answered by finance from the invoice, with a reply or a credit note.")
        )
        return redirect("customers:complaint_detail", pk=complaint.pk)
    form = ComplaintHandleForm(request.POST or None, instance=complaint, handlers=selectors.handlers_for(request.user))
    return edit_page(
        request,
        form,
        save=lambda data: services.handle_complaint(complaint=complaint, **data),
        success=_("The complaint was updated."),
        next_url=reverse("customers:complaint_detail", args=[complaint.pk]),
        title=_("Handle feedback from %(agency)s") % {"agency": complaint.agency.name},
        cancel_url=reverse("customers:complaint_detail", args=[complaint.pk]),
        agency=complaint.agency,
    )


@permission_required("customers.view_complaint", raise_exception=True)
def complaint_summary(request):
    this_year = timezone.localdate().year
    years = sorted(set(selectors.complaint_years()) | {this_year}, reverse=True)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and int(year) in years else (selectors.complaint_years() or [this_year])[0]
    tertial = request.GET.get("tertial", "")
    tertial = int(tertial) if tertial in ("1", "2", "3") else None
    units = selectors.units_for(request.user)
    unit_id = request.GET.get("unit", "")
    unit = units.filter(pk=unit_id).first() if unit_id.isdigit() else None
    summary = selectors.complaints_summary(
        year=year, tertial=tertial, unit=unit, agencies=selectors.agencies_for(request.user)
    )
    return render(
        request,
        "customers/complaint_summary.html",
        {"summary": summary, "years": years, "units": units, "unit": unit, "year": year, "tertial": tertial},
    )
