"""The customer log (meetings, calls, visits) and the yearly count of customer meetings."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from .. import selectors, services
from ..filters import LogEntryFilter
from ..forms import LogEntryForm, MeetingsForm
from ..models import CustomerLogEntry
from ..tables import LogEntryTable
from .common import PER_PAGE, agency_from_query, edit_page, export


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
        return export(fmt, header, rows, f"customer-log-{timezone.localdate():%Y%m%d}", _("Customer log"))
    table = LogEntryTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "customers/log_list.html",
        {"filter": filterset, "table": table, "count": filterset.qs.count(), "query": query.urlencode()},
    )


@permission_required("customers.add_customerlogentry", raise_exception=True)
def log_create(request):
    agencies = selectors.agencies_for(request.user)
    agency = agency_from_query(request, agencies)
    initial = {"agency": agency, "kind": request.GET.get("kind") or CustomerLogEntry.Kind.MEETING}
    form = LogEntryForm(request.POST or None, agencies=agencies, fixed_agency=agency, initial=initial)

    def save(data):
        data = dict(data)
        target = agency or data.pop("agency")
        data.pop("agency", None)
        return services.add_log_entry(agency=target, author=request.user, **data)

    back = reverse("customers:agency_detail", args=[agency.pk]) if agency else reverse("customers:log_list")
    return edit_page(
        request,
        form,
        save=save,
        success=_("The log entry was saved."),
        next_url=back + "#log" if agency else back,
        title=_("New log entry for %(agency)s") % {"agency": agency.name} if agency else _("New log entry"),
        cancel_url=back,
        agency=agency,
    )


@permission_required("customers.change_customerlogentry", raise_exception=True)
def log_edit(request, pk):
    entry = selectors.log_entry_for(request.user, pk)
    form = LogEntryForm(request.POST or None, instance=entry, agencies=selectors.agencies_for(request.user))
    agency_page = reverse("customers:agency_detail", args=[entry.agency_id])
    return edit_page(
        request,
        form,
        save=lambda data: services.update_log_entry(entry=entry, **data),
        success=_("The changes were saved."),
        next_url=agency_page + "#log",
        title=_("Edit log entry for %(agency)s") % {"agency": entry.agency.name},
        cancel_url=agency_page,
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
        return export(fmt, header, rows, f"customer-meetings-{year}", _("Customer meetings"))
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "customers/meetings.html",
        {"form": form, "summary": summary, "unit": unit, "query": query.urlencode() or f"year={year}"},
    )
