"""Document quality (returns per agency and reason, right the first time), the error rate, and the
deviations (the centre's own errors): registered by handlers, followed up by unit managers."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core.periods import current_period, is_period
from core.views import form_page
from customers.selectors import agencies_for
from organisation.selectors import scoped_unit_ids

from .. import quality, services
from ..filters import DeviationFilter
from ..forms import DeviationFollowUpForm, DeviationForm
from ..models import Deviation
from ..selectors import HANDLER_FIGURES, cases_for, handler_figures
from ..tables import DeviationTable

VIEW_QUALITY = "payroll.view_quality"
VIEW = "payroll.view_deviation"
REGISTER = "payroll.add_deviation"
FOLLOW_UP = "payroll.follow_up_deviation"


def _id(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


@permission_required(VIEW_QUALITY, raise_exception=True)
def quality_page(request):
    """Returns per agency and reason and the share right the first time over 13 months, per agency of
    the user's units; one agency month by month; the error rate of the same months."""
    user = request.user
    last = request.GET.get("last", "")
    last = last if is_period(last) and last <= current_period() else current_period()
    periods = quality.last_months(last)
    agencies = agencies_for(user)
    chosen = _id(request.GET.get("agency", ""))
    rows = quality.document_quality(agencies=agencies, periods=periods)
    rows = [r for r in rows if r.returns or r.total.completed or r.agency.pk == chosen]
    detail = next((r for r in rows if r.agency.pk == chosen), None)
    if chosen is not None and detail is None:
        raise Http404
    reasons = quality.reasons_used(rows)
    months = quality.error_rates(periods=periods, unit_ids=scoped_unit_ids(user))
    for row in rows:
        row.by_reason = row.reason_counts([code for code, _label in reasons])
    context = {
        "periods": periods,
        "last": last,
        "rows": rows,
        "detail": detail,
        "reasons": reasons,
        "all_agencies": agencies.order_by("code"),
        "chosen": chosen,
        "total": quality.right_first_time_share(agencies=agencies, periods=periods),
        "error_rates": months,
        "error_rate": quality.error_rate(periods=periods, months=months),
        "year_rate": quality.error_rate(
            periods=[p for p in quality.year_periods(int(last[:4])) if p <= last], unit_ids=scoped_unit_ids(user)
        ),
    }
    return render(request, "payroll/quality.html", context)


@permission_required(VIEW, raise_exception=True)
def deviation_list(request):
    filterset = DeviationFilter(request.GET, queryset=quality.deviations_for(request.user), request=request)
    deviations = filterset.qs
    table = DeviationTable(deviations)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "payroll/deviation_list.html",
        {"filter": filterset, "table": table, "summary": quality.deviation_summary(deviations)},
    )


def _deviation_or_404(user, pk) -> Deviation:
    try:
        return quality.deviation_for(user, pk)
    except Deviation.DoesNotExist as exc:
        raise Http404 from exc


@permission_required(VIEW, raise_exception=True)
def deviation_detail(request, pk):
    deviation = _deviation_or_404(request.user, pk)
    history = deviation.history.select_related("history_user").order_by("-history_date", "-history_id")
    return render(request, "payroll/deviation_detail.html", {"deviation": deviation, "history": history})


@permission_required(REGISTER, raise_exception=True)
def deviation_create(request):
    user = request.user
    initial = {}
    agency = _id(request.GET.get("agency", ""))
    if agency is not None:
        initial["agency"] = agency
    case = _id(request.GET.get("case", ""))
    if case is not None:
        found = cases_for(user).filter(pk=case).first()
        if found is not None:
            initial |= {"case": found.reference, "agency": found.agency_id}
    form = DeviationForm(request.POST or None, initial=initial, user=user, cases=cases_for(user))
    return form_page(
        request,
        form,
        save=lambda data: services.register_deviation(user=user, **data),
        success=lambda d: _("Deviation %(ref)s was registered.") % {"ref": d.reference},
        next_url=lambda d: reverse("payroll:deviation_detail", args=[d.pk]),
        template="payroll/deviation_form.html",
        context={"title": _("Register a deviation"), "cancel_url": reverse("payroll:deviation_list")},
    )


@permission_required(FOLLOW_UP, raise_exception=True)
def deviation_edit(request, pk):
    user = request.user
    deviation = _deviation_or_404(user, pk)
    initial = {
        "agency": deviation.agency_id,
        "case": deviation.case.reference if deviation.case else "",
        "occurred_on": deviation.occurred_on,
        "kind": deviation.kind,
        "cause": deviation.cause,
        "description": deviation.description,
        "correction": deviation.correction,
        "corrected_on": deviation.corrected_on,
        "corrective_action": deviation.corrective_action,
        "status": deviation.status,
    }
    form = DeviationFollowUpForm(request.POST or None, initial=initial, user=user, cases=cases_for(user))
    return form_page(
        request,
        form,
        save=lambda data: services.update_deviation(deviation=deviation, user=user, **data),
        success=_("The changes were saved."),
        next_url=reverse("payroll:deviation_detail", args=[deviation.pk]),
        template="payroll/deviation_form.html",
        context={
            "title": _("Follow up %(ref)s") % {"ref": deviation.reference},
            "cancel_url": reverse("payroll:deviation_detail", args=[deviation.pk]),
        },
    )


@permission_required("payroll.view_handler_figures", raise_exception=True)
def handler_figures_page(request):
    """Per handler: cases registered, completed and returned in a month, and in its year so far."""
    month = request.GET.get("period", "")
    month = month if is_period(month) and month <= current_period() else current_period()
    year = [p for p in quality.year_periods(int(month[:4])) if p <= month]
    rows = handler_figures(cases=cases_for(request.user), periods=year)
    shown = [(r, r.months[month], r.total) for r in rows]
    context = {
        "period": month,
        "rows": [row for row in shown if any(row[1].values()) or any(row[2].values())],
        "keys": HANDLER_FIGURES,
        "first": year[0],
    }
    return render(request, "payroll/handler_figures.html", context)
