from django.shortcuts import render
from django.utils import timezone

from accounts.roles import ROLE_LABELS, roles_of

from .today import panels_for


def home(request):
    """The start page: what needs doing today for each of the user's roles, each count a link to the work."""
    today = timezone.localdate()
    roles = [ROLE_LABELS[r] for r in roles_of(request.user)]
    return render(request, "home.html", {"roles": roles, "panels": panels_for(request.user, today), "today": today})
