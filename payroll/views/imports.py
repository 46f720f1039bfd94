"""The monthly payslip import: the upload page (``core.uploads``), the jobs and their results."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from core.importing import ImportResult
from core.jobs import QueueUnavailable
from core.uploads import import_page
from organisation.selectors import VIEW_ALL_UNITS

from .. import imports, selectors, tasks
from ..forms import UploadForm
from ..models import Channel, PayslipImport

# --- the monthly import ----------------------------------------------------------------------------------


@permission_required("payroll.view_payslipimport", raise_exception=True)
def import_list(request):
    jobs = selectors.imports_for(request.user).select_related("uploaded_by", "unit")[:50]
    return render(request, "payroll/import_list.html", {"jobs": jobs})


@permission_required("payroll.import_payslips", raise_exception=True)
def import_upload(request):
    def run(form):
        job = tasks.start_payslip_import(
            uploaded_file=form.cleaned_data["file"], user=request.user, language=get_language()
        )
        return ImportResult(queued=True, target=job)

    scope = None if request.user.has_perm(VIEW_ALL_UNITS) else imports.import_scope_unit(request.user)
    jobs = selectors.imports_for(request.user).select_related("uploaded_by")[:10]
    return import_page(
        request,
        form_class=UploadForm,
        template="payroll/import_upload.html",
        run=run,
        done_url=lambda result: reverse("payroll:import_detail", args=[result.target.pk]),
        context={"jobs": jobs, "scope": scope},
    )


def _import_job(request, pk):
    return get_object_or_404(selectors.imports_for(request.user).select_related("uploaded_by", "unit"), pk=pk)


@permission_required("payroll.view_payslipimport", raise_exception=True)
def import_detail(request, pk):
    job = _import_job(request, pk)
    return render(request, "payroll/import_detail.html", {"job": job, **_import_context(request.user, job)})


@permission_required("payroll.view_payslipimport", raise_exception=True)
def import_status(request, pk):
    """The job's progress or result as a fragment, polled by the detail page while it runs."""
    job = _import_job(request, pk)
    return render(request, "payroll/includes/import_status.html", {"job": job, **_import_context(request.user, job)})


@require_POST
@permission_required("payroll.import_payslips", raise_exception=True)
def import_rerun(request, pk):
    """Run a failed import (its worker died) again: the same file as a new job."""
    job = _import_job(request, pk)
    try:
        rerun = tasks.run_payslip_import_again(job=job, language=get_language())
    except (imports.CannotRunAgain, QueueUnavailable) as exc:
        messages.error(request, str(exc))
        return redirect("payroll:import_detail", pk=job.pk)
    return redirect("payroll:import_detail", pk=rerun.pk)


def _import_context(user, job) -> dict:
    channels = []
    per_agency: dict[str, dict] = {}
    summary = selectors.import_summary_for(user, job)
    for row in summary:
        if row["channel"] not in channels:
            channels.append(row["channel"])
        entry = per_agency.setdefault(row["agency"], {"code": row["agency"], "name": row["agency_name"], "rows": {}})
        entry["rows"][row["channel"]] = row["rows"]
    ordered = [c for c in Channel.values if c in channels]
    labels = dict(Channel.choices)
    table = [
        {**a, "cells": [a["rows"].get(c, 0) for c in ordered], "total": sum(a["rows"].values())}
        for a in per_agency.values()
    ]
    totals = [sum(row["cells"][i] for row in table) for i in range(len(ordered))]
    return {
        "summary_partial": len(summary) < len(job.summary),
        "summary_rows_shown": sum(row["total"] for row in table),
        "summary_channels": [labels[c] for c in ordered],
        "summary_rows": table,
        "summary_totals": totals,
        "import_errors": job.errors if job.status != PayslipImport.Status.DONE else [],
    }
