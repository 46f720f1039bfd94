from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.forms import add_service_errors
from core.periods import parse_period, period_of
from core.uploads import import_page
from core.views import form_page
from customers.selectors import agencies_for
from organisation import services as organisation_services
from organisation.models import StaffMember, Target, Unit, UnitLoan
from organisation.selectors import VIEW_ALL_UNITS, units_for
from organisation.targets import target_for

from . import imports, selectors, services
from .filters import AbsenceFilter, StaffFilter
from .forms import (
    AbsenceForm,
    EnquiryForm,
    FileImportForm,
    LoanForm,
    MonthFteForm,
    PhoneForm,
    SkillForm,
    SurveyForm,
    YearForm,
)
from .models import Absence, Category, CustomerSurvey, MonthlyFte, PhoneServiceMonth, Skill
from .tables import AbsenceTable, StaffTable

ZERO = Decimal("0.00")
Ind = Target.Indicator


def _months(year: int) -> list[str]:
    return [f"{year:04d}-{m:02d}" for m in range(1, 13)]


def _year(request, latest_period: str | None) -> int:
    """The year asked for, else the latest year with figures, else this year."""
    form = YearForm(request.GET)
    if "year" in request.GET and form.is_valid():
        return form.cleaned_data["year"]
    if latest_period:
        return int(latest_period[:4])
    return timezone.localdate().year


def _period_or_404(period: str) -> str:
    try:
        parse_period(period)
    except ValidationError as exc:
        raise Http404 from exc
    return period


# --- FTE ----------------------------------------------------------------------------------------


@permission_required("staffing.view_monthlyfte", raise_exception=True)
def fte(request):
    """FTE per month, unit and category for a year, with the year's averages."""
    units = list(units_for(request.user))
    latest = MonthlyFte.objects.filter(unit__in=units).aggregate(latest=Max("period"))["latest"]
    year = _year(request, latest)
    months = _months(year)
    values = selectors.month_fte(periods=months, units=units)
    can_edit = request.user.has_perm("staffing.change_monthlyfte")
    categories = Category.choices
    sections = []
    for unit in units:
        rows = []
        for period in months:
            cells = [values.get((period, unit.pk, c)) for c, _label in categories]
            entered = any(v is not None for v in cells)
            rows.append(
                {
                    "period": period,
                    "cells": cells,
                    "total": sum((v or ZERO for v in cells), ZERO) if entered else None,
                }
            )
        averages = [selectors.average_fte(periods=months, categories=[c], unit=unit) for c, _label in categories]
        sections.append(
            {
                "unit": unit,
                "rows": rows,
                "averages": averages,
                "average_total": sum(averages, ZERO),
                "entered": any(r["total"] is not None for r in rows),
            }
        )
    service = None
    if len(units) > 1:
        service = {
            "averages": [selectors.average_fte(periods=months, categories=[c]) for c, _label in categories],
        }
        service["average_total"] = sum(service["averages"], ZERO)
    return render(
        request,
        "staffing/fte.html",
        {
            "year": year,
            "categories": categories,
            "sections": sections,
            "service": service,
            "can_edit": can_edit,
            "this_period": period_of(timezone.localdate()),
        },
    )


@permission_required("staffing.change_monthlyfte", raise_exception=True)
def fte_edit(request, unit_pk, period):
    """A unit manager enters their own unit's FTE for a month, one field per category."""
    unit = get_object_or_404(units_for(request.user), pk=unit_pk)
    period = _period_or_404(period)
    current = {r.category: r.fte for r in MonthlyFte.objects.filter(unit=unit, period=period)}
    form = MonthFteForm(request.POST or None, initial={c: current.get(c, ZERO) for c in Category.values})
    history = MonthlyFte.history.filter(unit_id=unit.pk, period=period).select_related("history_user")[:20]
    return form_page(
        request,
        form,
        save=lambda data: services.set_month_fte(unit=unit, period=period, values=form.values(), user=request.user),
        success=_("FTE for %(unit)s, %(period)s was saved.") % {"unit": unit.name, "period": period},
        next_url=f"{reverse('staffing:fte')}?year={period[:4]}",
        template="staffing/fte_edit.html",
        context={"unit": unit, "period": period, "history": history, "entered": bool(current)},
    )


def _import_page(request, *, importer, template: str, result_url_name: str):
    """Upload page of a monthly-figures import: on to the year imported."""
    return import_page(
        request,
        form_class=FileImportForm,
        template=template,
        run=lambda form: importer(file=form.cleaned_data["file"], user=request.user),
        done_url=lambda result: f"{reverse(result_url_name)}?year={result.target[-1][:4]}",
    )


@permission_required("staffing.import_fte", raise_exception=True)
def fte_import(request):
    return _import_page(
        request, importer=imports.import_fte, template="staffing/fte_import.html", result_url_name="staffing:fte"
    )


@permission_required("staffing.view_absence", raise_exception=True)
def staff(request):
    units = units_for(request.user)
    staff_filter = StaffFilter(request.GET, queryset=selectors.staff_for(request.user), units=units)
    table = StaffTable(staff_filter.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "staffing/staff.html", {"filter": staff_filter, "table": table})


# --- the skills matrix --------------------------------------------------------------------------------


@permission_required("staffing.view_skill", raise_exception=True)
def skills(request):
    """The skills matrix of the user's units: each staff member's case types and agencies."""
    rows = selectors.skills_matrix(selectors.staff_for(request.user))
    return render(request, "staffing/skills.html", {"rows": rows, "case_types": Skill.CaseType.choices})


@permission_required("staffing.change_skill", raise_exception=True)
def skill_edit(request, pk):
    member = get_object_or_404(StaffMember, pk=pk, unit__in=units_for(request.user), active=True)
    current = member.skills.all()
    initial = {
        "case_types": [s.case_type for s in current if s.case_type],
        "agencies": [s.agency_id for s in current if s.agency_id],
    }
    return form_page(
        request,
        SkillForm(request.POST or None, initial=initial),
        save=lambda data: services.set_skills(
            staff_member=member, case_types=data["case_types"], agencies=data["agencies"], user=request.user
        ),
        success=_("The skills of %(name)s were saved.") % {"name": member.name},
        next_url=reverse("staffing:skills"),
        template="staffing/skill_form.html",
        context={"member": member},
    )


# --- sick leave and absences --------------------------------------------------------------------


@permission_required("staffing.view_absence", raise_exception=True)
def sick_leave(request):
    """Sick-leave rate per month and unit against the year's target."""
    units = list(units_for(request.user))
    latest = MonthlyFte.objects.filter(unit__in=units).aggregate(latest=Max("period"))["latest"]
    year = _year(request, latest)
    months = _months(year)
    rates = selectors.sick_leave_by_month(periods=months, units=units)
    target = target_for(Ind.SICK_LEAVE, year)
    rows = []
    for period in months:
        cells = [rates.get((period, u.pk)) for u in units]
        total = selectors.sick_leave_rate(periods=[period]) if len(units) > 1 else None
        rows.append({"period": period, "cells": cells, "total": total})
    year_cells = [selectors.sick_leave_rate(periods=months, unit=u) for u in units]
    year_total = selectors.sick_leave_rate(periods=months) if len(units) > 1 else None
    return render(
        request,
        "staffing/sick_leave.html",
        {
            "year": year,
            "units": units,
            "rows": rows,
            "year_cells": year_cells,
            "year_total": year_total,
            "target": target,
            "show_total": len(units) > 1,
        },
    )


@permission_required("staffing.view_absence", raise_exception=True)
def absences(request):
    units = units_for(request.user)
    absence_filter = AbsenceFilter(request.GET, queryset=selectors.absences_for(request.user), units=units)
    table = AbsenceTable(absence_filter.qs, can_change=request.user.has_perm("staffing.change_absence"))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "staffing/absences.html", {"filter": absence_filter, "table": table})


def _absence_or_404(user, pk) -> Absence:
    return get_object_or_404(selectors.absences_for(user), pk=pk)


def _save_absence(request, form, absence=None):
    data = form.cleaned_data
    fields = {k: data[k] for k in ("kind", "first_day", "last_day", "extent", "note")}
    if absence is None:
        return services.register_absence(staff_member=data["staff_member"], user=request.user, **fields)
    return services.update_absence(absence=absence, user=request.user, **fields)


@permission_required("staffing.add_absence", raise_exception=True)
def absence_create(request):
    form = AbsenceForm(request.POST or None, staff=selectors.staff_for(request.user))
    return form_page(
        request,
        form,
        save=lambda data: _save_absence(request, form),
        success=_("The absence was registered."),
        next_url=reverse("staffing:absences"),
        template="staffing/absence_form.html",
        context={"absence": None},
    )


@permission_required("staffing.change_absence", raise_exception=True)
def absence_edit(request, pk):
    absence = _absence_or_404(request.user, pk)
    form = AbsenceForm(request.POST or None, instance=absence, staff=selectors.staff_for(request.user))
    form.fields["staff_member"].disabled = True
    return form_page(
        request,
        form,
        save=lambda data: _save_absence(request, form, absence),
        success=_("The absence was updated."),
        next_url=reverse("staffing:absences"),
        template="staffing/absence_form.html",
        context={"absence": absence},
    )


@permission_required("staffing.delete_absence", raise_exception=True)
def absence_delete(request, pk):
    absence = _absence_or_404(request.user, pk)
    if request.method == "POST":
        services.delete_absence(absence=absence, user=request.user)
        messages.success(request, _("The absence was removed."))
        return redirect("staffing:absences")
    return render(request, "staffing/absence_delete.html", {"absence": absence})


# --- phone service ------------------------------------------------------------------------------


@permission_required("staffing.view_phoneservicemonth", raise_exception=True)
def phone(request):
    latest = PhoneServiceMonth.objects.aggregate(latest=Max("period"))["latest"]
    year = _year(request, latest)
    months = _months(year)
    by_period = {row.period: row for row in PhoneServiceMonth.objects.filter(period__in=months)}
    rows = []
    for period in months:
        row = by_period.get(period)
        rows.append(
            {"period": period, "row": row, "figures": selectors.phone_service(periods=[period]) if row else None}
        )
    return render(
        request,
        "staffing/phone.html",
        {
            "year": year,
            "rows": rows,
            "total": selectors.phone_service(periods=months),
            "targets": {
                "answered_25s": target_for(Ind.PHONE_WITHIN_25S, year),
                "first_contact": target_for(Ind.FIRST_CONTACT, year),
                "emails": target_for(Ind.EMAIL_WITHIN_DAY, year),
            },
            "can_edit": request.user.has_perm("staffing.change_phoneservicemonth")
            and request.user.has_perm("staffing.add_phoneservicemonth"),
        },
    )


@permission_required("staffing.add_phoneservicemonth", raise_exception=True)
@permission_required("staffing.change_phoneservicemonth", raise_exception=True)
def phone_edit(request, period=None):
    """Enter a month's phone figures by hand (a new month, or correct one)."""
    row = None
    if period is not None:
        period = _period_or_404(period)
        row = PhoneServiceMonth.objects.filter(period=period).first()
    initial = {}
    if row is not None:
        initial = {n: getattr(row, n) for n in services.PHONE_COUNTS}
    form = PhoneForm(request.POST or None, initial=initial, fixed_period=period)

    def chosen() -> str:
        return period or form.cleaned_data["period"]

    return form_page(
        request,
        form,
        save=lambda data: services.save_phone_month(period=chosen(), values=form.values(), user=request.user),
        success=lambda _saved: _("The phone figures for %(period)s were saved.") % {"period": chosen()},
        next_url=lambda _saved: f"{reverse('staffing:phone')}?year={chosen()[:4]}",
        template="staffing/phone_edit.html",
        context={"period": period, "row": row},
    )


@permission_required("staffing.add_phoneservicemonth", raise_exception=True)
@permission_required("staffing.change_phoneservicemonth", raise_exception=True)
def phone_import(request):
    return _import_page(
        request, importer=imports.import_phone, template="staffing/phone_import.html", result_url_name="staffing:phone"
    )


# --- customer survey ----------------------------------------------------------------------------


@permission_required("staffing.view_customersurvey", raise_exception=True)
def survey(request):
    """Each year's survey against that year's target of satisfied customers."""
    surveys = [(s, target_for(Ind.SATISFIED_CUSTOMERS, s.year)) for s in CustomerSurvey.objects.all()]
    target = target_for(Ind.SATISFIED_CUSTOMERS, surveys[0][0].year if surveys else timezone.localdate().year)
    return render(request, "staffing/survey.html", {"surveys": surveys, "target": target})


@permission_required("staffing.add_customersurvey", raise_exception=True)
@permission_required("staffing.change_customersurvey", raise_exception=True)
def survey_edit(request, year=None):
    survey_row = CustomerSurvey.objects.filter(year=year).first() if year else None
    initial = {}
    if survey_row is not None:
        initial = {
            "satisfied_pct": survey_row.satisfied_pct,
            "nki": survey_row.nki,
            "respondents": survey_row.respondents,
            "note": survey_row.note,
        }
    form = SurveyForm(request.POST or None, initial=initial, fixed_year=year)

    def save(data):
        return services.save_survey(
            year=year or data["year"],
            satisfied_pct=data["satisfied_pct"],
            nki=data["nki"],
            respondents=data["respondents"],
            note=data["note"],
            user=request.user,
        )

    return form_page(
        request,
        form,
        save=save,
        success=lambda survey: _("The survey result for %(year)s was saved.") % {"year": survey.year},
        next_url=reverse("staffing:survey"),
        template="staffing/survey_edit.html",
        context={"year": year},
    )


# --- loans of staff between units -------------------------------------------------------------------


def _lending_units(user):
    """The units whose staff the user may lend: those they manage (every unit with view_all_units)."""
    return Unit.objects.all() if user.has_perm(VIEW_ALL_UNITS) else Unit.objects.filter(manager=user)


@permission_required("organisation.view_unitloan", raise_exception=True)
def loans(request):
    """Loans of staff from and to the user's units; a manager lends their own staff from here."""
    user = request.user
    units = units_for(user)
    lending = _lending_units(user)
    may_lend = user.has_perm("organisation.add_unitloan") and lending.exists()
    form = LoanForm(request.POST or None, own_units=lending) if may_lend else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                loan = organisation_services.lend_staff(user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is lent to %(unit)s from %(start)s until %(end)s.")
                    % {
                        "name": loan.staff_member.name,
                        "unit": loan.to_unit,
                        "start": loan.starts_on,
                        "end": loan.ends_on,
                    },
                )
                return redirect("staffing:loans")
    rows = (
        UnitLoan.objects.filter(Q(staff_member__unit__in=units) | Q(to_unit__in=units))
        .select_related("staff_member__unit", "to_unit", "decided_by")
        .order_by("-starts_on", "-id")[:200]
    )
    today = timezone.localdate()
    may_end = user.has_perm("organisation.change_unitloan")
    lending_ids = set(lending.values_list("pk", flat=True))
    shown = [
        {
            "loan": loan,
            "active": loan.is_active(today),
            "ended": loan.last_day < today,
            "can_end": may_end and loan.staff_member.unit_id in lending_ids and loan.last_day >= today,
        }
        for loan in rows
    ]
    context = {"form": form, "loans": shown, "today": today}
    if may_lend:
        # Who can handle what, read when choosing whom to lend: the lending units' staff with their case
        # types and the agencies they know (with each agency's unit).
        context["skills"] = selectors.skills_matrix(StaffMember.objects.filter(unit__in=lending))
        context["case_types"] = Skill.CaseType.choices
    return render(request, "staffing/loans.html", context)


@require_POST
@permission_required("organisation.change_unitloan", raise_exception=True)
def loan_end(request, pk):
    loan = get_object_or_404(UnitLoan, pk=pk, staff_member__unit__in=_lending_units(request.user))
    try:
        organisation_services.end_loan(loan=loan, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The loan of %(name)s has ended.") % {"name": loan.staff_member.name})
    return redirect("staffing:loans")


# --- the phone service's enquiries --------------------------------------------------------------------


@permission_required("staffing.view_enquiry", raise_exception=True)
def enquiries(request):
    """Register an enquiry; the e-mails waiting for an answer (overdue past 24 hours first); the latest."""
    user = request.user
    may_add = user.has_perm("staffing.add_enquiry")
    agencies = agencies_for(user).order_by("code")
    form = EnquiryForm(request.POST or None, agencies=agencies) if may_add else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.register_enquiry(user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The enquiry is registered."))
                return redirect("staffing:enquiries")
    now = timezone.now()
    queue = [{"enquiry": e, "overdue": e.answer_due < now} for e in selectors.email_queue(user)[:200]]
    month = period_of(timezone.localdate())
    return render(
        request,
        "staffing/enquiries.html",
        {
            "form": form,
            "queue": queue,
            "latest": selectors.enquiries_for(user)[:25],
            "figures": selectors.enquiry_figures(periods=[month]),
            "month": month,
            "can_answer": user.has_perm("staffing.change_enquiry"),
        },
    )


@require_POST
@permission_required("staffing.change_enquiry", raise_exception=True)
def enquiry_answer(request, pk):
    enquiry = get_object_or_404(selectors.enquiries_for(request.user), pk=pk)
    try:
        services.answer_enquiry(enquiry=enquiry, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The enquiry is answered."))
    return redirect("staffing:enquiries")
