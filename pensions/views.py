from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.csvimport import ImportRejected
from core.exports import csv_bytes, download, xlsx_bytes
from organisation.selectors import units_for
from people.identity import display_name, display_personnummer, log_unmasked_view
from people.services import upsert_person

from . import selectors, services
from .filters import CaseFilter, QueueFilter, SignalItemFilter, SignalListFilter
from .forms import (
    AssignForm,
    CaseEditForm,
    CaseForm,
    CaseFromSignalForm,
    CloseForm,
    DecideForm,
    NoteForm,
    PaidForm,
    SignalListImportForm,
    WaitForm,
    WeeklyForm,
    handler_choices,
)
from .models import PensionCase, SignalItem
from .tables import CaseTable, SignalItemTable, SignalListTable

VIEW = "pensions.view_pensioncase"
CHANGE = "pensions.change_pensioncase"
PER_PAGE = 25


def _log_shown(user, table, context: str) -> None:
    """Log the protected people a table page shows unmasked (nothing when the user sees them masked)."""
    people = [row.record.person for row in table.page.object_list] if table.page else []
    log_unmasked_view(user, people, context)


def _case_or_404(user, pk) -> PensionCase:
    return get_object_or_404(selectors.cases_for(user), pk=pk)


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
    _log_shown(request.user, table, "pensions: work queue")
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
    _log_shown(request.user, table, "pensions: case list")
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


# --- one case -----------------------------------------------------------------------------------


@permission_required("pensions.add_pensioncase", raise_exception=True)
def case_create(request):
    units = units_for(request.user)
    form = CaseForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = upsert_person(
                personnummer=data["personnummer"], name=data["name"], protected_identity=data["protected_identity"]
            )
            case = services.register_case(
                kind=data["kind"],
                agency=data["agency"],
                person=person,
                unit=data["unit"],
                received_on=data["received_on"],
                due_on=data["due_on"],
                handler=data["handler"],
                note=data["note"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Case %(number)s was registered.") % {"number": case.number})
            return redirect("pensions:case_detail", pk=case.pk)
    return render(request, "pensions/case_form.html", {"form": form})


ACTION_FORMS = {
    "investigate": NoteForm,
    "wait": WaitForm,
    "decide": DecideForm,
    "paid": PaidForm,
    "close": CloseForm,
}
ACTION_TARGET = {
    "investigate": PensionCase.Status.INVESTIGATING,
    "wait": PensionCase.Status.WAITING,
    "decide": PensionCase.Status.DECIDED,
    "paid": PensionCase.Status.PAID,
    "close": PensionCase.Status.CLOSED,
}
ACTION_LABELS = {
    "investigate": gettext_lazy("Start investigation"),
    "wait": gettext_lazy("Wait for information"),
    "decide": gettext_lazy("Record decision"),
    "paid": gettext_lazy("Mark paid"),
    "close": gettext_lazy("Close the case"),
}


def _available_actions(case: PensionCase) -> list[str]:
    allowed = services.TRANSITIONS[case.status]
    actions = [name for name, target in ACTION_TARGET.items() if target in allowed]
    if "paid" in actions and case.decision != PensionCase.Decision.GRANTED:
        actions.remove("paid")
    return actions


def _shown_value(field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.choices).get(value, value)
    if field.is_relation:
        obj = field.related_model.objects.filter(pk=value).first()
        return getattr(obj, "code", None) or getattr(obj, "name", None) or str(obj or value)
    return value


def _field_changes(history) -> list[dict]:
    """Changes of other fields than the status (shown in the status history), oldest first."""
    rows = []
    for previous, record in zip(history, history[1:], strict=False):
        for change in record.diff_against(previous).changes:
            if change.field in ("status", "waiting_for", "billing_period"):
                continue
            field = PensionCase._meta.get_field(change.field)
            rows.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "field": field.verbose_name,
                    "old": _shown_value(field, change.old),
                    "new": _shown_value(field, change.new),
                }
            )
    return rows


def _detail(request, case, *, bound: dict | None = None, status=200):
    user = request.user
    can_change = user.has_perm(CHANGE)
    forms = {}
    if can_change:
        for action in _available_actions(case):
            forms[action] = (bound or {}).get(action) or ACTION_FORMS[action](prefix=action)
    log_unmasked_view(user, [case.person], f"pensions: case {case.number}")
    history = list(case.history.select_related("history_user").order_by("history_date", "history_id"))
    field_changes = _field_changes(history)
    context = {
        "case": case,
        "person_name": display_name(case.person, user),
        "person_number": display_personnummer(case.person, user),
        "masked": display_personnummer(case.person, user) != case.person.personnummer,
        "changes": case.changes.select_related("by"),
        "field_changes": field_changes,
        "can_change": can_change,
        "action_forms": [(name, ACTION_LABELS[name], form) for name, form in forms.items()],
        "assign_form": (bound or {}).get("assign") or AssignForm(case=case) if can_change else None,
        "my_staff": getattr(user, "staff_member", None),
        "today": timezone.localdate(),
    }
    return render(request, "pensions/case_detail.html", context, status=status)


@permission_required(VIEW, raise_exception=True)
def case_detail(request, pk):
    return _detail(request, _case_or_404(request.user, pk))


@permission_required(CHANGE, raise_exception=True)
def case_edit(request, pk):
    case = _case_or_404(request.user, pk)
    form = CaseEditForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(case=case, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The case was updated."))
            return redirect("pensions:case_detail", pk=case.pk)
    return render(request, "pensions/case_edit.html", {"form": form, "case": case})


@require_POST
@permission_required(CHANGE, raise_exception=True)
def case_assign(request, pk):
    case = _case_or_404(request.user, pk)
    form = AssignForm(request.POST, case=case)
    if not form.is_valid():
        return _detail(request, case, bound={"assign": form}, status=400)
    try:
        services.assign_case(case=case, handler=form.cleaned_data["handler"], user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        handler = form.cleaned_data["handler"]
        if handler:
            messages.success(request, _("The case was assigned to %(name)s.") % {"name": handler.name})
        else:
            messages.success(request, _("The case has no handler now."))
    return redirect("pensions:case_detail", pk=case.pk)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def case_action(request, pk, action):
    """One step of the status flow, chosen by ``action``."""
    if action not in ACTION_FORMS:
        raise Http404
    case = _case_or_404(request.user, pk)
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        return _detail(request, case, bound={action: form}, status=400)
    data = form.cleaned_data
    note = data.get("note", "")
    try:
        if action == "investigate":
            services.start_investigation(case=case, user=request.user, note=note)
        elif action == "wait":
            services.wait_for_information(case=case, waiting_for=data["waiting_for"], note=note, user=request.user)
        elif action == "decide":
            services.decide_case(
                case=case,
                decision=data["decision"],
                decided_on=data["decided_on"],
                benefit_start=data.get("benefit_start"),
                note=note,
                user=request.user,
            )
        elif action == "paid":
            services.mark_paid(case=case, paid_on=data["paid_on"], note=note, user=request.user)
        else:
            services.close_case(case=case, note=note, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        case.refresh_from_db()
        return _detail(request, case, bound={action: form}, status=400)
    case.refresh_from_db()
    messages.success(
        request,
        _("%(number)s is now %(status)s.") % {"number": case.number, "status": case.get_status_display().lower()},
    )
    return redirect("pensions:case_detail", pk=case.pk)


# --- signal lists -------------------------------------------------------------------------------


@permission_required("pensions.view_signallist", raise_exception=True)
def signal_lists(request):
    today = timezone.localdate()
    lists = selectors.signal_lists_for(request.user).annotate(
        item_count=Count("items"),
        open_count=Count("items", filter=Q(items__status=SignalItem.Status.OPEN)),
        overdue_count=Count("items", filter=Q(items__status=SignalItem.Status.OPEN, items__due_on__lt=today)),
    )
    list_filter = SignalListFilter(request.GET, queryset=lists, request=request)
    table = SignalListTable(list_filter.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    overdue_items = (
        selectors.signal_items_for(request.user).filter(status=SignalItem.Status.OPEN, due_on__lt=today).count()
    )
    return render(
        request, "pensions/signal_lists.html", {"filter": list_filter, "table": table, "overdue_items": overdue_items}
    )


@permission_required("pensions.view_signallist", raise_exception=True)
def signal_list_detail(request, pk):
    signal_list = get_object_or_404(selectors.signal_lists_for(request.user), pk=pk)
    today = timezone.localdate()
    items = selectors.signal_items_for(request.user).filter(signal_list=signal_list)
    counts = items.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status=SignalItem.Status.OPEN)),
        handled=Count("id", filter=Q(status=SignalItem.Status.HANDLED)),
        cases=Count("id", filter=Q(status=SignalItem.Status.CASE)),
        overdue=Count("id", filter=Q(status=SignalItem.Status.OPEN, due_on__lt=today)),
    )
    item_filter = SignalItemFilter(request.GET, queryset=items, request=request, today=today)
    can_change = request.user.has_perm("pensions.change_signalitem") and request.user.has_perm(
        "pensions.add_pensioncase"
    )
    table = SignalItemTable(item_filter.qs, user=request.user, can_change=can_change)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    _log_shown(request.user, table, f"pensions: signal list {signal_list.pk}")
    return render(
        request,
        "pensions/signal_list_detail.html",
        {
            "signal_list": signal_list,
            "filter": item_filter,
            "table": table,
            "counts": counts,
            "overdue_list": counts["open"] and signal_list.deadline < today,
            "kind_choices": PensionCase._meta.get_field("kind").choices,
        },
    )


@permission_required("pensions.add_signallist", raise_exception=True)
def signal_list_import(request):
    form = SignalListImportForm(request.POST or None, request.FILES or None, units=units_for(request.user))
    import_errors = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                signal_list = services.import_signal_list(
                    file=data["file"],
                    provider=data["provider"],
                    name=data["name"],
                    unit=data["unit"],
                    received_on=data["received_on"],
                    deadline=data["deadline"],
                    user=request.user,
                    filename=data["file"].name,
                )
            except ImportRejected as exc:
                import_errors = exc.errors
                status = 400
            else:
                messages.success(
                    request,
                    _("The signal list was imported with %(count)d signals.") % {"count": signal_list.items.count()},
                )
                return redirect("pensions:signal_list_detail", pk=signal_list.pk)
        else:
            status = 400
    return render(
        request, "pensions/signal_list_import.html", {"form": form, "import_errors": import_errors}, status=status
    )


def _item_or_404(user, pk) -> SignalItem:
    return get_object_or_404(selectors.signal_items_for(user), pk=pk)


def _back_to_list(item):
    return redirect("pensions:signal_list_detail", pk=item.signal_list_id)


@require_POST
@permission_required("pensions.change_signalitem", raise_exception=True)
def signal_item_handle(request, pk):
    item = _item_or_404(request.user, pk)
    try:
        services.handle_signal(item=item, user=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Row %(row)s is handled.") % {"row": item.row})
    return _back_to_list(item)


@require_POST
@permission_required("pensions.change_signalitem", raise_exception=True)
def signal_item_reopen(request, pk):
    item = _item_or_404(request.user, pk)
    try:
        services.reopen_signal(item=item, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Row %(row)s is open again.") % {"row": item.row})
    return _back_to_list(item)


@require_POST
@permission_required("pensions.change_signalitem", raise_exception=True)
@permission_required("pensions.add_pensioncase", raise_exception=True)
def signal_item_case(request, pk):
    item = _item_or_404(request.user, pk)
    form = CaseFromSignalForm(request.POST)
    kind = form.cleaned_data["kind"] if form.is_valid() else None
    try:
        case = services.open_case_from_signal(item=item, user=request.user, kind=kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back_to_list(item)
    messages.success(
        request, _("Case %(number)s was opened from row %(row)s.") % {"number": case.number, "row": item.row}
    )
    return redirect("pensions:case_detail", pk=case.pk)


# --- weekly follow-up ---------------------------------------------------------------------------


def _current_week(year: int) -> int | None:
    iso = timezone.localdate().isocalendar()
    return iso.week if iso.year == year else None


@permission_required(VIEW, raise_exception=True)
def weekly(request):
    """Cases and signals received and handled per week and per handler (the weekly follow-up)."""
    cases = selectors.cases_for(request.user)
    items = selectors.signal_items_for(request.user)
    units = units_for(request.user)
    unit = None
    if request.GET.get("unit"):
        if not request.GET["unit"].isdigit():
            raise Http404
        unit = get_object_or_404(units, pk=request.GET["unit"])
        cases, items = cases.filter(unit=unit), items.filter(signal_list__unit=unit)
    latest = cases.aggregate(latest=Max("received_on"))["latest"]
    default_year = (latest or timezone.localdate()).isocalendar().year
    form = WeeklyForm(request.GET or None, initial={"year": default_year})
    year, week = default_year, None
    if request.GET and form.is_valid():
        year, week = form.cleaned_data["year"], form.cleaned_data.get("week")
    elif request.GET and not form.is_valid():
        messages.error(request, _("Choose a year and, if you like, a week of that year."))
    rows = selectors.weekly_followup(cases=cases, items=items, year=year)
    first, last = selectors.iso_week_range(year, week)
    handlers = selectors.handler_followup(cases=cases, items=items, first=first, last=last)
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("cases_received", "cases_handled", "signals_received", "signals_handled")
    }
    return render(
        request,
        "pensions/weekly.html",
        {
            "form": form,
            "rows": rows,
            "totals": totals,
            "handlers": handlers,
            "year": year,
            "week": week,
            "first": first,
            "last": last,
            "units": units,
            "unit": unit,
            "current_week": _current_week(year),
        },
    )
