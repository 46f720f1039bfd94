from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from kombu import Connection

from accounts.roles import ROLE_LABELS, roles_of

from .navigation import start_url_for


def home(request):
    """Send each user to their role's start page; a user with no role sees what they may use."""
    url = start_url_for(request.user)
    if url:
        return redirect(url)
    roles = [ROLE_LABELS[r] for r in roles_of(request.user)]
    return render(request, "home.html", {"roles": roles})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


@login_not_required
@never_cache
def healthz(request):
    checks = {"database": "ok" if _database_ok() else "down"}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = "ok" if _broker_ok() else "down"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)
