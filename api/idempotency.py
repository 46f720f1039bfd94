"""``Idempotency-Key`` on POST (the IETF draft's header): the first request with a key is carried
out and its answer kept; the same key again with the same request gets that answer again
(``Idempotent-Replayed: true``), with another request a 422, while the first is still running a 409.
An answer that is an error is not kept: the request may simply be sent again with the key."""

import datetime as dt
import functools
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response

from .models import IdempotencyRecord
from .problems import problem

HEADER = "Idempotency-Key"


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b" " + request.path.encode() + b"\n")
    plain, files = {}, {}
    data = request.data
    for name in sorted(data.keys()) if hasattr(data, "keys") else []:
        value = data.getlist(name) if hasattr(data, "getlist") else data[name]
        plain[name] = value
    for name, upload in sorted(request.FILES.items()):
        file_digest = hashlib.sha256()
        for chunk in upload.chunks():
            file_digest.update(chunk)
        upload.seek(0)
        files[name] = [upload.name, file_digest.hexdigest()]
        plain.pop(name, None)
    digest.update(json.dumps({"data": plain, "files": files}, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def idempotent(method):
    """Wraps a view's ``post``/``create``."""

    @functools.wraps(method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "")
        if not key:
            return method(view, request, *args, **kwargs)
        if len(key) > 255:
            return problem(400, _("The Idempotency-Key is longer than 255 characters."), request=request)
        fingerprint = _fingerprint(request)
        since = timezone.now() - dt.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
        IdempotencyRecord.objects.filter(created_at__lt=since).delete()  # forgotten after the window (indexed)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=request.user, key=key, method=request.method, path=request.path[:500], fingerprint=fingerprint
                )
        except IntegrityError:
            earlier = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
            if earlier is None:
                return problem(409, _("A request with this Idempotency-Key is being carried out."), request=request)
            if earlier.fingerprint != fingerprint:
                return problem(
                    422,
                    _("This Idempotency-Key was used for another request."),
                    kind="idempotency-key-reused",
                    request=request,
                )
            if not earlier.completed:
                return problem(409, _("A request with this Idempotency-Key is being carried out."), request=request)
            headers = {"Idempotent-Replayed": "true"}
            if earlier.location:
                headers["Location"] = earlier.location
            return Response(earlier.body, status=earlier.status_code, headers=headers)
        try:
            response = method(view, request, *args, **kwargs)
        except Exception:
            record.delete()
            raise
        if response.status_code >= 400:
            record.delete()
            return response
        record.completed = True
        record.status_code = response.status_code
        record.body = json.loads(json.dumps(response.data, default=str))
        record.location = response.get("Location", "")[:500]
        record.save(update_fields=["completed", "status_code", "body", "location"])
        return response

    return wrapper
