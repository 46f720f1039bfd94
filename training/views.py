"""Agency training: the year's sessions against the target, each agency's training beside its machine
share, and registering a session."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.views import form_page
from customers.selectors import agencies_for
from organisation.selectors import scoped_unit_ids, units_for

from . import selectors, services
from .forms import SessionForm


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@permission_required("training.view_trainingsession", raise_exception=True)
def session_list(request):
    year = _year(request)
    return render(
        request,
        "training/list.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "sessions": selectors.sessions_for(request.user).filter(held_on__year=year),
            "indicator": selectors.sessions_in_year(year=year, unit_ids=scoped_unit_ids(request.user)),
            "agencies": selectors.agency_training(user=request.user, year=year),
        },
    )


def _form(request, session=None):
    return SessionForm(
        request.POST or None, instance=session, agencies=agencies_for(request.user), units=units_for(request.user)
    )


@permission_required("training.add_trainingsession", raise_exception=True)
def session_create(request):
    return form_page(
        request,
        _form(request),
        save=lambda data: services.save_session(user=request.user, **data),
        success=_("The training session is saved."),
        next_url=lambda session: f"{reverse('training:list')}?year={session.held_on.year}",
        template="training/form.html",
    )


@permission_required("training.change_trainingsession", raise_exception=True)
def session_edit(request, pk):
    session = get_object_or_404(selectors.sessions_for(request.user), pk=pk)
    return form_page(
        request,
        _form(request, session),
        save=lambda data: services.save_session(user=request.user, session=session, **data),
        success=_("The training session is saved."),
        next_url=lambda saved: f"{reverse('training:list')}?year={saved.held_on.year}",
        template="training/form.html",
        context={"session": session},
    )
