"""The weekly follow-up of cases and signals per ISO week and per handler."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.selectors import units_for

from .. import selectors
from ..forms import (
    WeeklyForm,
)
from .common import VIEW

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
