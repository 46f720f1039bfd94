"""Pages for agencies, their agreements and contacts, the customer log and complaints.

Every view checks its permission first; objects are fetched through the selectors'
``*_for(user, pk)`` lookups, so another unit's object answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.exports import csv_bytes, download, xlsx_bytes
from core.uploads import import_page

from . import imports, selectors, services
from .filters import AgencyFilter, ComplaintFilter, LogEntryFilter
from .forms import (
    AddonAgreementForm,
    AddonHoursForm,
    AgencyForm,
    ComplaintForm,
    ComplaintHandleForm,
    ContactForm,
    DeactivateForm,
    ImportForm,
    LogEntryForm,
    MeetingsForm,
    ServiceAgreementForm,
    add_service_errors,
)
from .models import AddonHours, Complaint, CustomerLogEntry
from .tables import AgencyTable, ComplaintTable, LogEntryTable

PER_PAGE = 25


def _export(fmt: str, header: list[str], rows, filename: str, title: str):
    if fmt == "xlsx":
        return download(xlsx_bytes(header, rows, title=title), f"{filename}.xlsx")
    return download(csv_bytes(header, rows), f"{filename}.csv")


def _form_page(request, form, *, title, cancel_url, submit=None, intro="", multipart=False, agency=None):
    return render(
        request,
        "customers/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "submit_label": submit or _("Save"),
            "intro": intro,
            "multipart": multipart,
            "agency": agency,
        },
    )


# --- agencies --------------------------------------------------------------------------------


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
    return _export(fmt, header, rows, f"agencies-{timezone.localdate():%Y%m%d}", _("Agencies"))


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
    return render(request, "customers/agency_detail.html", context)


@permission_required("customers.add_agency", raise_exception=True)
def agency_create(request):
    form = AgencyForm(request.POST or None, units=selectors.units_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.save_agency(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The agency %(agency)s was added.") % {"agency": agency})
            return redirect("customers:agency_detail", pk=agency.pk)
    return _form_page(request, form, title=_("New agency"), cancel_url=reverse("customers:agency_list"))


@permission_required("customers.change_agency", raise_exception=True)
def agency_edit(request, pk):
    agency = selectors.agency_for(request.user, pk)
    form = AgencyForm(request.POST or None, instance=agency, units=selectors.units_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_agency(agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("customers:agency_detail", pk=agency.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(agency)s") % {"agency": agency.name},
        cancel_url=reverse("customers:agency_detail", args=[agency.pk]),
        agency=agency,
    )


@permission_required("customers.change_agency", raise_exception=True)
def agency_deactivate(request, pk):
    agency = selectors.agency_for(request.user, pk)
    form = DeactivateForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.deactivate_agency(agency=agency, last_day=form.cleaned_data["active_to"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(agency)s is a customer until %(day)s.")
                % {"agency": agency.name, "day": form.cleaned_data["active_to"]},
            )
            return redirect("customers:agency_detail", pk=agency.pk)
    return _form_page(
        request,
        form,
        title=_("Deactivate %(agency)s") % {"agency": agency.name},
        intro=_(
            "Agencies are never deleted: payroll cases, invoices and the customer log keep referring to them. "
            "A deactivated agency is hidden from the agency list by default and gets no new invoices "
            "for periods after its last day."
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


# --- contacts --------------------------------------------------------------------------------


@permission_required("customers.add_agencycontact", raise_exception=True)
def contact_create(request, pk):
    agency = selectors.agency_for(request.user, pk)
    form = ContactForm(request.POST or None, initial={"is_primary": not agency.contacts.exists()})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact person was added."))
            return redirect(reverse("customers:agency_detail", args=[agency.pk]) + "#contacts")
    return _form_page(
        request,
        form,
        title=_("New contact person for %(agency)s") % {"agency": agency.name},
        cancel_url=reverse("customers:agency_detail", args=[agency.pk]),
        agency=agency,
    )


@permission_required("customers.change_agencycontact", raise_exception=True)
def contact_edit(request, pk):
    contact = selectors.contact_for(request.user, pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(agency=contact.agency, contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(reverse("customers:agency_detail", args=[contact.agency_id]) + "#contacts")
    return _form_page(
        request,
        form,
        title=_("Edit contact person"),
        cancel_url=reverse("customers:agency_detail", args=[contact.agency_id]),
        agency=contact.agency,
    )


@permission_required("customers.delete_agencycontact", raise_exception=True)
def contact_delete(request, pk):
    contact = selectors.contact_for(request.user, pk)
    if request.method == "POST":
        services.delete_contact(contact=contact)
        messages.success(request, _("%(name)s was removed from the contact people.") % {"name": contact.name})
        return redirect(reverse("customers:agency_detail", args=[contact.agency_id]) + "#contacts")
    return render(
        request,
        "customers/confirm.html",
        {
            "title": _("Remove contact person"),
            "question": _("Remove %(name)s from the contact people of %(agency)s?")
            % {"name": contact.name, "agency": contact.agency.name},
            "submit_label": _("Remove"),
            "cancel_url": reverse("customers:agency_detail", args=[contact.agency_id]),
            "agency": contact.agency,
        },
    )


# --- service agreements ----------------------------------------------------------------------


@permission_required("customers.add_serviceagreement", raise_exception=True)
def agreement_create(request, pk):
    agency = selectors.agency_for(request.user, pk)
    form = ServiceAgreementForm(request.POST or None, request.FILES or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_service_agreement(agency=agency, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The service agreement was saved."))
            return redirect(reverse("customers:agency_detail", args=[agency.pk]) + "#agreements")
    return _form_page(
        request,
        form,
        title=_("New service agreement for %(agency)s") % {"agency": agency.name},
        cancel_url=reverse("customers:agency_detail", args=[agency.pk]),
        multipart=True,
        agency=agency,
    )


@permission_required("customers.change_serviceagreement", raise_exception=True)
def agreement_edit(request, pk):
    agreement = selectors.agreement_for(request.user, pk)
    form = ServiceAgreementForm(
        request.POST or None, request.FILES or None, instance=agreement, agency=agreement.agency
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_service_agreement(agency=agreement.agency, agreement=agreement, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The service agreement was saved."))
            return redirect(reverse("customers:agency_detail", args=[agreement.agency_id]) + "#agreements")
    return _form_page(
        request,
        form,
        title=_("Service agreement %(year)s for %(agency)s")
        % {"year": agreement.year, "agency": agreement.agency.name},
        cancel_url=reverse("customers:agency_detail", args=[agreement.agency_id]),
        multipart=True,
        agency=agreement.agency,
    )


@permission_required("customers.view_serviceagreement", raise_exception=True)
def agreement_document(request, pk):
    """The interface document, only to those who may see the agency (never straight from /media)."""
    agreement = selectors.agreement_for(request.user, pk)
    if not agreement.interface_document:
        raise Http404(_("This agreement has no interface document."))
    try:
        handle = agreement.interface_document.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    return FileResponse(handle, as_attachment=True, filename=agreement.download_name)


# --- add-on agreements and hours -------------------------------------------------------------


@permission_required("customers.add_addonagreement", raise_exception=True)
def addon_create(request, pk):
    agency = selectors.agency_for(request.user, pk)
    form = AddonAgreementForm(
        request.POST or None, initial={"item_code": "addon_hour", "valid_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            addon = services.save_addon_agreement(agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The add-on agreement was saved."))
            return redirect("customers:addon_detail", pk=addon.pk)
    return _form_page(
        request,
        form,
        title=_("New add-on agreement for %(agency)s") % {"agency": agency.name},
        cancel_url=reverse("customers:agency_detail", args=[agency.pk]),
        agency=agency,
    )


@permission_required("customers.change_addonagreement", raise_exception=True)
def addon_edit(request, pk):
    addon = selectors.addon_agreement_for(request.user, pk)
    form = AddonAgreementForm(request.POST or None, instance=addon)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_addon_agreement(agency=addon.agency, agreement=addon, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("customers:addon_detail", pk=addon.pk)
    return _form_page(
        request,
        form,
        title=_("Edit add-on agreement"),
        cancel_url=reverse("customers:addon_detail", args=[addon.pk]),
        agency=addon.agency,
    )


@permission_required("customers.view_addonagreement", raise_exception=True)
def addon_detail(request, pk):
    addon = selectors.addon_agreement_for(request.user, pk)
    form = AddonHoursForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("customers.add_addonhours"):
            raise PermissionDenied
        if form.is_valid():
            try:
                entry = services.register_addon_hours(agreement=addon, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                text = _("%(hours)s h registered for %(period)s.") % {"hours": entry.hours, "period": entry.period}
                if entry.billing_period != entry.period:
                    text += " " + _(
                        "%(period)s has already been invoiced, so the hours are invoiced in %(billing)s."
                    ) % {"period": entry.period, "billing": entry.billing_period}
                messages.success(request, text)
                return redirect("customers:addon_detail", pk=addon.pk)
    hours = list(addon.hours.select_related("registered_by").order_by("-period", "-id"))
    for entry in hours:
        entry.removable = services.hours_can_be_removed(entry)
    return render(
        request,
        "customers/addon_detail.html",
        {
            "addon": addon,
            "agency": addon.agency,
            "hours": hours,
            "total_hours": sum((h.hours for h in hours), start=0),
            "by_period": addon.hours.values("billing_period").annotate(total=Sum("hours")).order_by("-billing_period"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("customers.delete_addonhours", raise_exception=True)
def addon_hours_delete(request, pk):
    entry = selectors.addon_hours_for(request.user, pk)
    try:
        services.remove_addon_hours(entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The hours were removed."))
    return redirect("customers:addon_detail", pk=entry.agreement_id)


# --- customer log ----------------------------------------------------------------------------


@permission_required("customers.view_customerlogentry", raise_exception=True)
def log_list(request):
    agencies = selectors.agencies_for(request.user)
    filterset = LogEntryFilter(
        request.GET,
        queryset=selectors.log_entries_for(request.user),
        agencies=agencies,
        units=selectors.units_for(request.user),
    )
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        header = [_("Date"), _("Agency code"), _("Agency"), _("Kind"), _("Summary"), _("Written by")]
        rows = (
            [e.date, e.agency.code, e.agency.name, e.get_kind_display(), e.summary, e.author.get_full_name()]
            for e in filterset.qs
        )
        return _export(fmt, header, rows, f"customer-log-{timezone.localdate():%Y%m%d}", _("Customer log"))
    table = LogEntryTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "customers/log_list.html",
        {"filter": filterset, "table": table, "count": filterset.qs.count(), "query": query.urlencode()},
    )


def _agency_from_query(request, agencies):
    pk = request.GET.get("agency")
    if pk and pk.isdigit():
        return agencies.filter(pk=pk).first()
    return None


@permission_required("customers.add_customerlogentry", raise_exception=True)
def log_create(request):
    agencies = selectors.agencies_for(request.user)
    agency = _agency_from_query(request, agencies)
    initial = {"agency": agency, "kind": request.GET.get("kind") or CustomerLogEntry.Kind.MEETING}
    form = LogEntryForm(request.POST or None, agencies=agencies, fixed_agency=agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = agency or data.pop("agency")
        data.pop("agency", None)
        try:
            services.add_log_entry(agency=target, author=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The log entry was saved."))
            if agency:
                return redirect(reverse("customers:agency_detail", args=[agency.pk]) + "#log")
            return redirect("customers:log_list")
    return _form_page(
        request,
        form,
        title=_("New log entry for %(agency)s") % {"agency": agency.name} if agency else _("New log entry"),
        cancel_url=reverse("customers:agency_detail", args=[agency.pk]) if agency else reverse("customers:log_list"),
        agency=agency,
    )


@permission_required("customers.change_customerlogentry", raise_exception=True)
def log_edit(request, pk):
    entry = selectors.log_entry_for(request.user, pk)
    form = LogEntryForm(request.POST or None, instance=entry, agencies=selectors.agencies_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_log_entry(entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(reverse("customers:agency_detail", args=[entry.agency_id]) + "#log")
    return _form_page(
        request,
        form,
        title=_("Edit log entry for %(agency)s") % {"agency": entry.agency.name},
        cancel_url=reverse("customers:agency_detail", args=[entry.agency_id]),
        agency=entry.agency,
    )


@permission_required("customers.view_customerlogentry", raise_exception=True)
def meetings(request):
    this_year = timezone.localdate().year
    years = sorted(set(selectors.meeting_years()) | {this_year}, reverse=True)
    units = selectors.units_for(request.user)
    default_year = selectors.meeting_years()[0] if selectors.meeting_years() else this_year
    form = MeetingsForm(request.GET or {"year": default_year}, years=years, units=units)
    year, unit = default_year, None
    if form.is_valid():
        year, unit = form.cleaned_data["year"], form.cleaned_data["unit"]
    summary = selectors.customer_meetings(year=year, unit=unit, agencies=selectors.agencies_for(request.user))
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        header = [_("Code"), _("Agency"), _("Unit"), _("Meetings"), _("Target"), _("Last meeting")]
        rows = (
            [r.agency.code, r.agency.name, r.agency.unit.name, r.meetings, summary.per_agency_target, r.last_meeting]
            for r in summary.per_agency
        )
        return _export(fmt, header, rows, f"customer-meetings-{year}", _("Customer meetings"))
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "customers/meetings.html",
        {"form": form, "summary": summary, "unit": unit, "query": query.urlencode() or f"year={year}"},
    )


# --- feedback and complaints -----------------------------------------------------------------


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
        return _export(fmt, header, rows, f"complaints-{timezone.localdate():%Y%m%d}", _("Complaints"))
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
    agency = _agency_from_query(request, agencies)
    form = ComplaintForm(
        request.POST or None,
        agencies=agencies,
        handlers=selectors.handlers_for(request.user),
        initial={"agency": agency},
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.register_complaint(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The feedback was registered."))
            return redirect("customers:complaint_detail", pk=complaint.pk)
    return _form_page(
        request,
        form,
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
    if request.user.has_perm("customers.change_complaint"):
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
    form = ComplaintHandleForm(request.POST or None, instance=complaint, handlers=selectors.handlers_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.handle_complaint(complaint=complaint, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The complaint was updated."))
            return redirect("customers:complaint_detail", pk=complaint.pk)
    return _form_page(
        request,
        form,
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
