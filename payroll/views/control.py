"""Internal control: drawing samples of completed cases and recording each check."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.forms import add_service_errors

from .. import selectors, services
from ..forms import CheckForm, DrawSampleForm
from ..models import ControlCheck
from ..tables import CheckTable
from .common import log_people, refused

# --- internal control ------------------------------------------------------------------------------------


@permission_required("payroll.view_controlsample", raise_exception=True)
def control_list(request):
    samples = selectors.samples_for(request.user).select_related("unit", "drawn_by")[:100]
    form = DrawSampleForm(user=request.user) if request.user.has_perm("payroll.draw_control_sample") else None
    return render(request, "payroll/control_list.html", {"samples": samples, "form": form})


@require_POST
@permission_required("payroll.draw_control_sample", raise_exception=True)
def control_draw(request):
    form = DrawSampleForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            sample = services.draw_control_sample(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            drawn = sample.checks.count()
            messages.success(
                request,
                ngettext("%(n)d case drawn for checking.", "%(n)d cases drawn for checking.", drawn) % {"n": drawn},
            )
            return redirect("payroll:control_detail", pk=sample.pk)
    samples = selectors.samples_for(request.user).select_related("unit", "drawn_by")[:100]
    return render(request, "payroll/control_list.html", {"samples": samples, "form": form}, status=400)


@permission_required("payroll.view_controlsample", raise_exception=True)
def control_detail(request, pk):
    sample = get_object_or_404(selectors.samples_for(request.user).select_related("unit", "drawn_by"), pk=pk)
    checks = sample.checks.select_related("case__agency", "case__person", "checked_by")
    table = CheckTable(checks)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    log_people(request.user, [row.record.case.person for row in table.paginated_rows], "internal control sample")
    outcomes = dict.fromkeys(ControlCheck.Outcome.values, 0)
    for outcome in sample.checks.values_list("outcome", flat=True):
        outcomes[outcome] += 1
    context = {
        "sample": sample,
        "table": table,
        "outcomes": outcomes,
        "repeatable": services.repeat_draw(sample),
        "check_form": CheckForm(),
    }
    return render(request, "payroll/control_detail.html", context)


@require_POST
@permission_required("payroll.record_control_check", raise_exception=True)
def control_check(request, pk):
    check = get_object_or_404(selectors.checks_for(request.user), pk=pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.record_check(check=check, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("The check of %(ref)s is recorded.") % {"ref": check.case.reference})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("payroll:control_detail", pk=check.sample_id)
