"""The person register's pages: the signal queue, the files, the import, handling a signal."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.uploads import import_page
from people.identity import log_unmasked_view

from . import imports, selectors, services
from .filters import SignalFilter
from .forms import RegisterImportForm
from .models import FlaggedWork, PersonSignal
from .tables import RegisterFileTable, SignalTable

PER_PAGE = 50


@permission_required("register.view_personsignal", raise_exception=True)
def queue(request):
    today = timezone.localdate()
    signals = selectors.signals_for(request.user).prefetch_related(
        Prefetch("flags", queryset=FlaggedWork.objects.select_related("payroll_case", "pension_case"))
    )
    register_file = None
    file_id = request.GET.get("file", "")
    if file_id.isdigit():
        register_file = get_object_or_404(selectors.files_for(request.user), pk=file_id)
        signals = signals.filter(register_file=register_file)
    counts = signals.aggregate(
        open=Count("id", filter=Q(status=PersonSignal.Status.OPEN)),
        overdue=Count("id", filter=Q(status=PersonSignal.Status.OPEN, due_on__lt=today)),
        deaths=Count("id", filter=Q(status=PersonSignal.Status.OPEN, kind=PersonSignal.Kind.DEATH)),
    )
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = PersonSignal.Status.OPEN
    signal_filter = SignalFilter(data, queryset=signals, request=request, today=today)
    can_change = request.user.has_perm("register.change_personsignal")
    table = SignalTable(signal_filter.qs, user=request.user, can_change=can_change)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    log_unmasked_view(request.user, [row.record.person for row in table.paginated_rows], "person register: signals")
    return render(
        request,
        "register/queue.html",
        {"filter": signal_filter, "table": table, "counts": counts, "register_file": register_file},
    )


@permission_required("register.view_personsignal", raise_exception=True)
def file_list(request):
    unit_signals = selectors.signals_for(request.user)
    files = selectors.files_for(request.user).annotate(
        signal_count=Count("signals", filter=Q(signals__in=unit_signals), distinct=True),
        open_count=Count(
            "signals", filter=Q(signals__in=unit_signals, signals__status=PersonSignal.Status.OPEN), distinct=True
        ),
    )
    table = RegisterFileTable(files)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "register/file_list.html", {"table": table})


@permission_required("register.add_registerfile", raise_exception=True)
def file_import(request):
    def run(form):
        data = form.cleaned_data
        return imports.import_register_file(
            file=data["file"],
            received_on=data["received_on"],
            deadline=data["deadline"],
            user=request.user,
            filename=data["file"].name,
        )

    return import_page(
        request,
        form_class=RegisterImportForm,
        template="register/file_import.html",
        run=run,
        done_url=lambda result: f"{reverse('register:queue')}?file={result.target.pk}",
    )


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("register:queue")


@require_POST
@permission_required("register.change_personsignal", raise_exception=True)
def signal_handle(request, pk):
    signal = get_object_or_404(selectors.signals_for(request.user), pk=pk)
    try:
        services.handle_signal(signal=signal, user=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The signal is handled."))
    return _back(request)


@require_POST
@permission_required("register.change_personsignal", raise_exception=True)
def signal_reopen(request, pk):
    signal = get_object_or_404(selectors.signals_for(request.user), pk=pk)
    try:
        services.reopen_signal(signal=signal, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The signal is open again."))
    return _back(request)
