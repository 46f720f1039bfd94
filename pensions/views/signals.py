"""Signal lists from the providers: the lists, one list's signals, the import, handling a signal."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.uploads import import_page
from organisation.selectors import units_for

from .. import imports, selectors, services
from ..filters import SignalItemFilter, SignalListFilter
from ..forms import (
    CaseFromSignalForm,
    SignalListImportForm,
)
from ..models import PensionCase, SignalItem
from ..tables import SignalItemTable, SignalListTable
from .common import PER_PAGE, log_shown

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
    log_shown(request.user, table, f"pensions: signal list {signal_list.pk}")
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
    def run(form):
        data = form.cleaned_data
        return imports.import_signal_list(
            file=data["file"],
            provider=data["provider"],
            name=data["name"],
            unit=data["unit"],
            received_on=data["received_on"],
            deadline=data["deadline"],
            user=request.user,
            filename=data["file"].name,
        )

    return import_page(
        request,
        form_class=SignalListImportForm,
        form_kwargs={"units": units_for(request.user)},
        template="pensions/signal_list_import.html",
        run=run,
        done_url=lambda result: reverse("pensions:signal_list_detail", args=[result.target.pk]),
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
