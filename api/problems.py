"""Every error of the API as an RFC 9457 problem detail (``application/problem+json``):

    {"type": "urn:lonservice:problem:validation", "title": "Uppgifterna är inte giltiga", "status": 400,
     "detail": "…", "instance": "/api/v1/payroll-cases/", "errors": [{"field": "period", "detail": "…"}]}

Titles and details follow the request's Accept-Language (Swedish unless English is asked for);
``errors`` lists each field (or each row and column of a refused file).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:lonservice:problem:"


def _titles():
    return {
        400: ("validation", _("The request is not valid")),
        401: ("unauthenticated", _("A valid token is needed")),
        403: ("forbidden", _("Not allowed")),
        404: ("not-found", _("Not found")),
        405: ("method-not-allowed", _("Method not allowed")),
        406: ("not-acceptable", _("Not acceptable")),
        409: ("conflict", _("Conflict")),
        413: ("too-large", _("Too large")),
        415: ("unsupported-media-type", _("Unsupported media type")),
        422: ("unprocessable", _("The request cannot be carried out")),
        429: ("rate-limited", _("Too many requests")),
        503: ("unavailable", _("Temporarily unavailable")),
    }


def problem(
    status_code: int,
    detail: str = "",
    *,
    kind: str = "",
    title: str = "",
    errors=None,
    request=None,
    headers=None,
    **extra,
) -> Response:
    default_kind, default_title = _titles().get(status_code, ("error", _("Error")))
    body = {
        "type": TYPE_PREFIX + (kind or default_kind),
        "title": title or default_title,
        "status": status_code,
    }
    if detail:
        body["detail"] = str(detail)
    if request is not None:
        body["instance"] = request.get_full_path()
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_JSON, headers=headers)


def field_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of {"field", "detail"}."""
    found = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = prefix if key in ("non_field_errors", "__all__") else (f"{prefix}.{key}" if prefix else str(key))
            found += field_errors(value, name)
    elif isinstance(detail, list):
        for item in detail:
            found += field_errors(item, prefix)
    else:
        entry = {"detail": str(detail)}
        if prefix:
            entry = {"field": prefix, **entry}
        found.append(entry)
    return found


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django's 500 (and Sentry)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    code = exc.status_code
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        return problem(
            status.HTTP_400_BAD_REQUEST,
            _("Correct the fields listed in errors."),
            errors=errors,
            request=request,
            headers=headers,
        )
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        code = status.HTTP_401_UNAUTHORIZED
        headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    detail = exc.detail
    if not isinstance(detail, str):
        detail = "; ".join(str(e["detail"]) for e in field_errors(detail))
    return problem(code, detail, request=request, headers=headers)
