"""Honour award pages: the year's register with its list per agency, the CSV list, one award, the
import of an agency's list, finding those who qualify from the pay on record, and the time spent."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exports import csv_bytes, download
from core.uploads import import_page
from core.views import form_page
from customers.selectors import agencies_for
from organisation.selectors import units_for
from people.identity import can_see_protected, display_name, display_personnummer, log_unmasked_view

from . import imports, selectors, services
from .forms import AwardForm, HonourListImportForm, WorkForm
from .models import HonoursWork


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


def _rows(awards, user):
    return [
        {
            "award": award,
            "name": display_name(award.person, user),
            "number": display_personnummer(award.person, user),
            "masked": award.person.protected_identity and not can_see_protected(user),
        }
        for award in awards
    ]


@permission_required("honours.view_honouraward", raise_exception=True)
def award_list(request):
    year = _year(request)
    awards = selectors.awards_for(request.user).filter(year=year)
    agency = request.GET.get("agency", "")
    shown = awards.filter(agency__code=agency) if agency else awards
    shown = list(shown.order_by("agency__code", "person__name"))
    log_unmasked_view(request.user, [a.person for a in shown], "honour awards")
    work = HonoursWork.objects.filter(year=year, unit__in=units_for(request.user)).select_related("unit")
    return render(
        request,
        "honours/list.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "rows": _rows(shown, request.user),
            "per_agency": selectors.per_agency(awards),
            "agency": agency,
            "work": work,
            "can_change": request.user.has_perm("honours.change_honouraward"),
            "can_set_work": request.user.has_perm("honours.change_honourswork"),
            "work_form": WorkForm(),
            "units": units_for(request.user),
        },
    )


@permission_required("honours.view_honouraward", raise_exception=True)
def award_export(request):
    year = _year(request)
    awards = selectors.awards_for(request.user).filter(year=year).order_by("agency__code", "person__name")
    agency = request.GET.get("agency", "")
    if agency:
        awards = awards.filter(agency__code=agency)
    awards = list(awards)
    log_unmasked_view(request.user, [a.person for a in awards], "honour awards export")
    header = [
        "year",
        "agency_code",
        "agency_name",
        "personnummer",
        "name",
        "employed_since",
        "decision",
        "ceremony_on",
        "gift",
        "delivered_on",
    ]
    rows = [
        [
            a.year,
            a.agency.code,
            a.agency.name,
            display_personnummer(a.person, request.user),
            display_name(a.person, request.user),
            a.employed_since or "",
            a.decision,
            a.ceremony_on or "",
            a.gift,
            a.delivered_on or "",
        ]
        for a in awards
    ]
    return download(csv_bytes(header, rows), f"honour-awards-{year}{'-' + agency if agency else ''}.csv")


@permission_required("honours.change_honouraward", raise_exception=True)
def award_edit(request, pk):
    award = get_object_or_404(selectors.awards_for(request.user), pk=pk)
    initial = {
        "decision": award.decision,
        "ceremony_on": award.ceremony_on,
        "gift": award.gift,
        "delivered_on": award.delivered_on,
        "note": award.note,
    }
    form = AwardForm(request.POST or None, initial=initial)
    log_unmasked_view(request.user, [award.person], "honour award")
    return form_page(
        request,
        form,
        save=lambda data: services.update_award(award=award, user=request.user, **data),
        success=_("The honour award is saved."),
        next_url=f"{reverse('honours:list')}?year={award.year}",
        template="honours/edit.html",
        context={"award": award, "row": _rows([award], request.user)[0]},
    )


@permission_required("honours.add_honouraward", raise_exception=True)
def award_import(request):
    def run(form):
        data = form.cleaned_data
        return imports.import_honour_list(
            file=data["file"], year=data["year"], agencies=agencies_for(request.user), user=request.user
        )

    return import_page(
        request,
        form_class=HonourListImportForm,
        template="honours/import.html",
        run=run,
        done_url=lambda result: reverse("honours:list"),
    )


@require_POST
@permission_required("honours.add_honouraward", raise_exception=True)
def award_find(request):
    year = _year(request)
    added = services.find_from_pay(year=year, agencies=agencies_for(request.user), user=request.user)
    messages.success(
        request, _("%(count)d employees reaching 25 years were found in the pay on record.") % {"count": added}
    )
    return redirect(f"{reverse('honours:list')}?year={year}")


@require_POST
@permission_required("honours.change_honourswork", raise_exception=True)
def work_set(request):
    year = _year(request)
    unit = get_object_or_404(units_for(request.user), pk=request.POST.get("unit", "0") or 0)
    form = WorkForm(request.POST)
    if form.is_valid():
        services.set_honours_work(year=year, unit=unit, fte=form.cleaned_data["fte"], user=request.user)
        messages.success(request, _("The time spent on honour awards is saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('honours:list')}?year={year}")
