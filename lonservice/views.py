from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.roles import ROLE_LABELS, roles_of

from . import search as top_search
from .today import panels_for


def home(request):
    """The start page: what needs doing today for each of the user's roles, each count a link to the work."""
    today = timezone.localdate()
    roles = [ROLE_LABELS[r] for r in roles_of(request.user)]
    return render(request, "home.html", {"roles": roles, "panels": panels_for(request.user, today), "today": today})


def search(request):
    """The top bar's search: cases, employees and agencies the user may see, grouped by kind; a case
    number that finds one case goes straight to it."""
    text = top_search.clean(request.GET.get("q", ""))
    groups = top_search.search(request.user, text)
    target = top_search.direct_hit(groups, text)
    if target:
        return redirect(target)
    return render(request, "search.html", {"q": text, "groups": groups})
