"""The pension work queue, the case list and its download."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from core.exports import csv_bytes, download, xlsx_bytes
from organisation.selectors import units_for
from people.identity import display_name, display_personnummer, log_unmasked_view

from .. import selectors
from ..filters import CaseFilter, QueueFilter
from ..forms import (
    handler_choices,
)
from ..tables import CaseTable
from .common import PER_PAGE, VIEW, log_shown

# --- queue and lists ----------------------------------------------------------------------------

TAB_LABELS = {
    "mine": gettext_lazy("Mine"),
    "team": gettext_lazy("The team's"),
    "unassigned": gettext_lazy("Unassigned"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "waiting": gettext_lazy("Waiting"),
}


@permission_required(VIEW, raise_exception=True)
def queue(request):
    """The pension handlers' work queue: mine, the team's, unassigned, due soon, overdue, waiting."""
    has_staff = getattr(request.user, "staff_member", None) is not None
    tab = request.GET.get("tab") or ("mine" if has_staff else "team")
    if tab not in selectors.QUEUE_TABS:
        raise Http404
    tabs = selectors.queue_tabs(request.user)
    counts = selectors.queue_counts(tabs)
    units = units_for(request.user)
    case_filter = QueueFilter(request.GET, queryset=tabs[tab], request=request, handlers=handler_choices(units))
    table = CaseTable(case_filter.qs, user=request.user)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    log_shown(request.user, table, "pensions: work queue")
    tab_links = [{"name": name, "label": TAB_LABELS[name], "count": counts[name]} for name in selectors.QUEUE_TABS]
    return render(
        request,
        "pensions/queue.html",
        {"tab": tab, "tabs": tab_links, "filter": case_filter, "table": table, "today": timezone.localdate()},
    )


@permission_required(VIEW, raise_exception=True)
def case_list(request):
    units = units_for(request.user)
    case_filter = CaseFilter(
        request.GET, queryset=selectors.cases_for(request.user), request=request, handlers=handler_choices(units)
    )
    table = CaseTable(case_filter.qs, user=request.user)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    log_shown(request.user, table, "pensions: case list")
    return render(
        request,
        "pensions/case_list.html",
        {"filter": case_filter, "table": table, "query": request.GET.urlencode()},
    )


EXPORT_HEADER = [
    "case",
    "kind",
    "agency",
    "agency_name",
    "personnummer",
    "name",
    "handler",
    "received_on",
    "due_on",
    "status",
    "decision",
    "decided_on",
    "benefit_start",
]


@permission_required(VIEW, raise_exception=True)
def case_export(request):
    """The filtered case list as CSV or Excel, masked like the pages."""
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    units = units_for(request.user)
    case_filter = CaseFilter(
        request.GET, queryset=selectors.cases_for(request.user), request=request, handlers=handler_choices(units)
    )
    cases = list(case_filter.qs.order_by("received_on", "id"))
    user = request.user
    rows = [
        [
            c.number,
            c.get_kind_display(),
            c.agency.code,
            c.agency.name,
            display_personnummer(c.person, user),
            display_name(c.person, user),
            c.handler.name if c.handler else "",
            c.received_on.isoformat(),
            c.due_on.isoformat(),
            c.get_status_display(),
            c.get_decision_display() if c.decision else "",
            c.decided_on.isoformat() if c.decided_on else "",
            c.benefit_start.isoformat() if c.benefit_start else "",
        ]
        for c in cases
    ]
    log_unmasked_view(user, [c.person for c in cases], f"pensions: case export ({fmt})")
    name = f"pensionsarenden-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        return download(xlsx_bytes(EXPORT_HEADER, rows, title=_("Pension cases")), name)
    return download(csv_bytes(EXPORT_HEADER, rows), name)
