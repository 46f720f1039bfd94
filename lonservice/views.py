from django.shortcuts import redirect, render

from accounts.roles import ROLE_LABELS, roles_of

from .navigation import start_url_for


def home(request):
    """Send each user to their role's start page; a user with no role sees what they may use."""
    url = start_url_for(request.user)
    if url:
        return redirect(url)
    roles = [ROLE_LABELS[r] for r in roles_of(request.user)]
    return render(request, "home.html", {"roles": roles})
