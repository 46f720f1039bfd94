"""Pages for machines: health probes, the version and Prometheus' scrape. No login; /metrics
asks for its own bearer token."""

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from . import health, metrics
from .version import build


@login_not_required
@never_cache
@require_GET
def live(request):
    """The process answers: nothing else is checked (a restart would not mend a database)."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def ready(request):
    """503 with the failing parts when the service cannot do its work."""
    body = health.readiness()
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


@login_not_required
@never_cache
@require_GET
def version(request):
    return JsonResponse(build())


@login_not_required
@never_cache
@require_GET
def prometheus(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    if not hmac.compare_digest(request.headers.get("Authorization", "").encode(), f"Bearer {token}".encode()):
        return HttpResponseForbidden("A scraper's bearer token is needed.", content_type="text/plain")
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
