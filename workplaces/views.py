"""Workplace pages: the register, a workplace with its employees, linking an employee, and the
reports of changes to Statistics Sweden with their files."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exports import csv_bytes, download
from core.forms import add_service_errors
from core.views import form_page
from customers.selectors import agencies_for
from people.identity import can_see_protected, display_name, display_personnummer, log_unmasked_view

from . import selectors, services
from .forms import LinkForm, WorkplaceForm
from .models import WorkplaceReport


@permission_required("workplaces.view_workplace", raise_exception=True)
def workplace_list(request):
    workplaces = selectors.workplaces_for(request.user)
    agency = request.GET.get("agency", "")
    if agency:
        workplaces = workplaces.filter(agency__code=agency)
    counts = dict(
        selectors.current_assignments()
        .filter(workplace__in=workplaces)
        .values("workplace")
        .annotate(n=Count("id"))
        .values_list("workplace", "n")
    )
    rows = [(w, counts.get(w.pk, 0)) for w in workplaces]
    unreported = selectors.unreported().count() if request.user.has_perm("workplaces.add_workplacereport") else None
    return render(request, "workplaces/list.html", {"rows": rows, "agency": agency, "unreported": unreported})


def _workplace(request, pk):
    return get_object_or_404(selectors.workplaces_for(request.user), pk=pk)


@permission_required("workplaces.add_workplace", raise_exception=True)
def workplace_create(request):
    form = WorkplaceForm(request.POST or None, agencies=agencies_for(request.user))
    return form_page(
        request,
        form,
        save=lambda data: services.save_workplace(user=request.user, **data),
        success=_("The workplace is saved."),
        next_url=lambda workplace: reverse("workplaces:detail", args=[workplace.pk]),
        template="workplaces/form.html",
    )


@permission_required("workplaces.change_workplace", raise_exception=True)
def workplace_edit(request, pk):
    workplace = _workplace(request, pk)
    form = WorkplaceForm(request.POST or None, instance=workplace, agencies=agencies_for(request.user))
    return form_page(
        request,
        form,
        save=lambda data: services.save_workplace(user=request.user, workplace=workplace, **data),
        success=_("The workplace is saved."),
        next_url=reverse("workplaces:detail", args=[workplace.pk]),
        template="workplaces/form.html",
        context={"workplace": workplace},
    )


def _employees(workplace, user):
    assignments = list(selectors.employees_at(workplace))
    log_unmasked_view(user, [a.person for a in assignments], f"workplace {workplace.cfar}")
    return [
        {
            "assignment": a,
            "name": display_name(a.person, user),
            "number": display_personnummer(a.person, user),
            "masked": a.person.protected_identity and not can_see_protected(user),
        }
        for a in assignments
    ]


@permission_required("workplaces.view_workplace", raise_exception=True)
def workplace_detail(request, pk, form=None):
    workplace = _workplace(request, pk)
    return render(
        request,
        "workplaces/detail.html",
        {"workplace": workplace, "employees": _employees(workplace, request.user), "form": form or LinkForm()},
        status=400 if form is not None else 200,
    )


@require_POST
@permission_required("workplaces.add_workplaceassignment", raise_exception=True)
def workplace_link(request, pk):
    workplace = _workplace(request, pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            services.link_employee(user=request.user, workplace=workplace, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The employee is linked to the workplace."))
            return redirect("workplaces:detail", pk=workplace.pk)
    return workplace_detail(request, pk, form=form)


@permission_required("workplaces.view_workplacereport", raise_exception=True)
def report_list(request):
    reports = WorkplaceReport.objects.annotate(change_count=Count("changes")).select_related("created_by")
    return render(
        request,
        "workplaces/reports.html",
        {"reports": reports, "unreported": selectors.unreported().count()},
    )


@require_POST
@permission_required("workplaces.add_workplacereport", raise_exception=True)
def report_create(request):
    try:
        report = services.create_report(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Report %(id)s is made: download its file.") % {"id": report.pk})
    return redirect("workplaces:reports")


@permission_required("workplaces.view_workplacereport", raise_exception=True)
def report_file(request, pk):
    report = get_object_or_404(WorkplaceReport, pk=pk)
    rows, left_out = services.report_rows(report=report, user=request.user)
    response = download(csv_bytes(services.REPORT_HEADER, rows), f"scb-arbetsstallen-{report.pk}.csv")
    response["X-Protected-Left-Out"] = str(left_out)
    return response
