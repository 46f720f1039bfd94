"""Work distribution: the unit manager's workload page and assigning cases in bulk."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.selectors import agencies_for
from people.identity import display_name

from .. import selectors, services
from ..services.distribution import DISTRIBUTE
from .common import log_people, refused

MAX_SHOWN = 200


def _id(value: str) -> int | None:
    """A database id written in a query string, or None (not ASCII digits, or beyond any id)."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _chosen_handler(request, name="handler"):
    """The handler a form names: a user, None for "nobody", or False when it names no one of them."""
    value = request.POST.get(name) if request.method == "POST" else request.GET.get(name)
    if value in (None, ""):
        return False
    if value == "none":
        return None
    eligible = {str(u.pk): u for u in selectors.eligible_handlers(request.user)}
    if value in eligible:
        return eligible[value]
    # A case may still be held by someone no longer in the unit: they can be filtered on, never assigned.
    pk = _id(value)
    return get_user_model().objects.filter(pk=pk).first() if pk is not None else False


@permission_required(DISTRIBUTE, raise_exception=True)
def workload(request):
    user = request.user
    rows = selectors.workload(user)
    cases = selectors.cases_for(user).filter(status__in=selectors.OPEN).select_related("agency", "person", "handler")
    shown_handler = _chosen_handler(request)
    if shown_handler is None:
        cases = cases.filter(handler__isnull=True)
    elif shown_handler:
        cases = cases.filter(handler=shown_handler)
    agency = request.GET.get("agency", "")
    agencies = agencies_for(user).order_by("code")
    if _id(agency) is not None:
        cases = cases.filter(agency_id=_id(agency))
    cases = list(cases.order_by(F("due_on").asc(nulls_last=True), "id")[: MAX_SHOWN + 1])
    more = len(cases) > MAX_SHOWN
    cases = cases[:MAX_SHOWN]
    log_people(user, [case.person for case in cases], "payroll work distribution")
    return render(
        request,
        "payroll/workload.html",
        {
            "rows": rows,
            "cases": [(case, display_name(case.person, user, name=case.employee_name)) for case in cases],
            "more": more,
            "handlers": selectors.eligible_handlers(user),
            "shown_handler": shown_handler,
            "agencies": agencies,
            "agency": agency,
            "max_shown": MAX_SHOWN,
        },
    )


@require_POST
@permission_required(DISTRIBUTE, raise_exception=True)
def assign(request):
    handler = _chosen_handler(request, "to")
    back = request.POST.get("back", "")
    next_url = back if back.startswith(reverse("payroll:workload")) else reverse("payroll:workload")
    eligible = {u.pk for u in selectors.eligible_handlers(request.user)}
    if handler is False or (handler is not None and handler.pk not in eligible):
        messages.error(request, _("Choose whom to give the cases to."))
        return redirect(next_url)
    try:
        changed = services.assign_cases(
            case_ids=[v for v in request.POST.getlist("cases") if v.isdigit()], handler=handler, user=request.user
        )
    except ValidationError as error:
        refused(request, error)
    else:
        name = (handler.get_full_name() or handler.get_username()) if handler else _("nobody")
        messages.success(request, _("%(n)s cases now belong to %(name)s.") % {"n": changed, "name": name})
    return redirect(next_url)
