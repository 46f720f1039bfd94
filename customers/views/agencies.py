"""Agencies: the register with its downloads, an agency's page, adding, changing, deactivating, importing."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.uploads import import_page

from .. import imports, selectors, services
from ..filters import AgencyFilter
from ..forms import AgencyForm, DeactivateForm, ImportForm
from ..models import AddonHours, Complaint, CustomerLogEntry
from ..tables import AgencyTable
from .common import PER_PAGE, edit_page, export


@permission_required("customers.view_agency", raise_exception=True)
def agency_list(request):
    filterset = AgencyFilter(
        request.GET, queryset=selectors.agency_list(request.user), units=selectors.units_for(request.user)
    )
    agencies = filterset.qs
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return _agency_export(agencies, fmt)
    table = AgencyTable(agencies)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "customers/agency_list.html",
        {"filter": filterset, "table": table, "count": agencies.count(), "query": query.urlencode()},
    )


def _agency_export(agencies, fmt):
    header = [
        _("Code"),
        _("Name"),
        _("Kind"),
        _("Unit"),
        _("Contact person"),
        _("Contact e-mail"),
        _("Contact phone"),
        _("Functional mailbox"),
        _("Billing reference"),
        _("Postal address"),
        _("Active from"),
        _("Active to"),
        _("Status"),
    ]
    rows = (
        [
            a.code,
            a.name,
            a.get_kind_display(),
            a.unit.name,
            a.primary_contact or "",
            a.primary_contact_email or "",
            a.primary_contact_phone or "",
            a.functional_mailbox,
            a.billing_reference,
            " ".join(a.address.split()),
            a.active_from,
            a.active_to,
            _("Active") if a.is_active else _("Inactive"),
        ]
        for a in agencies
    )
    return export(fmt, header, rows, f"agencies-{timezone.localdate():%Y%m%d}", _("Agencies"))


@permission_required("customers.view_agency", raise_exception=True)
def agency_detail(request, pk):
    agency = selectors.agency_for(request.user, pk)
    context = {
        "agency": agency,
        "contacts": agency.contacts.all(),
        "agreements": agency.agreements.all().order_by("-year"),
        "addon_agreements": agency.addon_agreements.annotate(total_hours=Sum("hours__hours")).prefetch_related(
            Prefetch("hours", queryset=AddonHours.objects.order_by("-period", "-id"))
        ),
        "year": timezone.localdate().year,
    }
    if request.user.has_perm("customers.view_customerlogentry"):
        context["log_entries"] = agency.log_entries.select_related("author")[:10]
        context["log_count"] = agency.log_entries.count()
        context["meetings_by_year"] = list(
            agency.log_entries.filter(kind=CustomerLogEntry.Kind.MEETING)
            .values_list("date__year")
            .annotate(n=Count("id"))
            .order_by("-date__year")[:5]
        )
    if request.user.has_perm("customers.view_complaint"):
        context["complaints"] = agency.complaints.select_related("handler")[:10]
        context["complaint_counts"] = agency.complaints.aggregate(
            total=Count("id"), open=Count("id", filter=~Q(status=Complaint.Status.RESOLVED))
        )
    if request.user.has_perm("customers.view_agencynotice"):
        context["notices"] = selectors.notices_of(agency)[:25]
        context["notice_count"] = agency.notices.count()
    return render(request, "customers/agency_detail.html", context)


@permission_required("customers.add_agency", raise_exception=True)
def agency_create(request):
    form = AgencyForm(request.POST or None, units=selectors.units_for(request.user))
    return edit_page(
        request,
        form,
        save=lambda data: services.save_agency(**data),
        success=lambda agency: _("The agency %(agency)s was added.") % {"agency": agency},
        next_url=lambda agency: reverse("customers:agency_detail", args=[agency.pk]),
        title=_("New agency"),
        cancel_url=reverse("customers:agency_list"),
    )


@permission_required("customers.change_agency", raise_exception=True)
def agency_edit(request, pk):
    agency = selectors.agency_for(request.user, pk)
    form = AgencyForm(request.POST or None, instance=agency, units=selectors.units_for(request.user))
    return edit_page(
        request,
        form,
        save=lambda data: services.save_agency(agency=agency, **data),
        success=_("The changes were saved."),
        next_url=reverse("customers:agency_detail", args=[agency.pk]),
        title=_("Edit %(agency)s") % {"agency": agency.name},
        cancel_url=reverse("customers:agency_detail", args=[agency.pk]),
        agency=agency,
    )


@permission_required("customers.change_agency", raise_exception=True)
def agency_deactivate(request, pk):
    agency = selectors.agency_for(request.user, pk)
    form = DeactivateForm(request.POST or None, agency=agency)
    return edit_page(
        request,
        form,
        save=lambda data: services.deactivate_agency(agency=agency, last_day=data["active_to"]),
        success=lambda _saved: (
            _("%(agency)s is a customer until %(day)s.")
            % {"agency": agency.name, "day": form.cleaned_data["active_to"]}
        ),
        next_url=reverse("customers:agency_detail", args=[agency.pk]),
        title=_("Deactivate %(agency)s") % {"agency": agency.name},
        intro=_(
            "Agencies are never deleted: payroll cases, invoices and the customer log keep referring to them. "
            "A deactivated agency is hidden from the agency list by default. It is invoiced for the work "
            "of the months up to and including the month of its last day, also work of those months "
            "completed later, and never for a month after it."
        ),
        submit=_("Deactivate"),
        cancel_url=reverse("customers:agency_detail", args=[agency.pk]),
        agency=agency,
    )


@require_POST
@permission_required("customers.change_agency", raise_exception=True)
def agency_reactivate(request, pk):
    agency = selectors.agency_for(request.user, pk)
    services.reactivate_agency(agency=agency)
    messages.success(request, _("%(agency)s is an active customer again.") % {"agency": agency.name})
    return redirect("customers:agency_detail", pk=agency.pk)


@permission_required("customers.import_agencies", raise_exception=True)
def agency_import(request):
    return import_page(
        request,
        form_class=ImportForm,
        template="customers/agency_import.html",
        run=lambda form: imports.import_agencies(form.cleaned_data["file"]),
    )
