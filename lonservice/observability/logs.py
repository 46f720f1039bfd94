"""Structured logs: one JSON object a line on stdout (structlog + django-structlog).

Every line has ``timestamp`` (UTC, with its offset), ``level``, ``logger`` and ``event``; lines
written while a request is served add ``request_id`` and ``user_id``, lines written by a Celery
task add ``task_id`` and the ``job_id`` it runs (and the request's ids when a page queued it).
Personal identity numbers are redacted from every value (``redact.py``).

This module is imported by settings.py and by gunicorn's config before Django is set up: it
reads Django's settings only inside functions that run later.
"""

import datetime as dt
import inspect
import ipaddress

import structlog

from .redact import redact

# Fields a log record may carry from ``extra=``; others (Django's request object) are dropped.
EXTRA_FIELDS = [
    "status_code",
    "method",
    "path",
    "status",
    "bytes",
    "duration_ms",
    "client_ip",
    "user_agent",
    "request_id",
    "job_id",
    "alert",
]


def add_utc_timestamp(_logger, _name, event_dict):
    event_dict["timestamp"] = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    return event_dict


def redact_personal_numbers(_logger, _name, event_dict):
    return redact(event_dict)


# Processors for records from the standard library's loggers (Django, Celery, gunicorn).
FOREIGN_PRE_CHAIN = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.ExtraAdder(allow=EXTRA_FIELDS),
    add_utc_timestamp,
]


def _renderer(fmt: str):
    if fmt == "console":
        return structlog.dev.ConsoleRenderer(colors=False)
    return structlog.processors.JSONRenderer(ensure_ascii=False)


def _formatter(fmt: str) -> dict:
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "foreign_pre_chain": FOREIGN_PRE_CHAIN,
        "processors": [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact_personal_numbers,
            _renderer(fmt),
        ],
    }


def logging_config(*, level: str = "INFO", fmt: str = "json") -> dict:
    """The ``LOGGING`` dict: everything to stdout through one formatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": _formatter(fmt)},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "structured",
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # django-structlog's request_finished line (with the request id; 403 and 404 without a
            # traceback) and request_failed line (a 500, with it) replace Django's own.
            "django.request": {"level": "CRITICAL"},
            "django.server": {"level": "WARNING"},
            "gunicorn.error": {"handlers": ["stdout"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            # WeasyPrint logs seven progress steps for every PDF at INFO: noise in a close of 330 invoices.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.filter_by_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.add_log_level,
            structlog.stdlib.PositionalArgumentsFormatter(),
            add_utc_timestamp,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def client_address(
    remote_addr: str | None, forwarded_for: str | None, trusted_proxies: int, proxy_addresses=()
) -> str | None:
    """The client's address: ``trusted_proxies`` proxies in front each appended one to X-Forwarded-For,
    so the entry that many places from the right was added by the outermost trusted proxy.
    With ``proxy_addresses`` (addresses or networks), X-Forwarded-For is read only from a request
    that came from one of them; anyone else's header is ignored."""
    if trusted_proxies <= 0 or not forwarded_for:
        return remote_addr
    if proxy_addresses and not _is_proxy(remote_addr, proxy_addresses):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) < trusted_proxies:
        return remote_addr
    return hops[-trusted_proxies]


def _is_proxy(address: str | None, proxy_addresses) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in proxy_addresses)


def request_client_address(request) -> str | None:
    """The client address of a request as the configured proxies report it (``TRUSTED_PROXY_COUNT``,
    ``TRUSTED_PROXIES``): the log's ``client_ip`` and the log-in lock-out's address (django-axes)."""
    from django.conf import settings

    return client_address(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.TRUSTED_PROXY_COUNT,
        settings.TRUSTED_PROXIES,
    )


def bind_client_ip(request, **kwargs):
    """django-structlog signal: bind the client's address as the trusted proxies saw it."""
    structlog.contextvars.bind_contextvars(client_ip=request_client_address(request))


def bind_job_id(task, **kwargs):
    """django-structlog signal: a task that runs a job (``job_id`` argument) logs that id on every line."""
    try:
        arguments = inspect.signature(task.run).bind_partial(*(task.request.args or ()), **(task.request.kwargs or {}))
    except TypeError:
        return
    if "job_id" in arguments.arguments:
        structlog.contextvars.bind_contextvars(job_id=arguments.arguments["job_id"], task=task.name)


class RequestIdHeaderMiddleware:
    """Send the request id back as ``X-Request-ID``, so gunicorn's access line and the proxy's log
    carry the same id as the application's lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        request_id = structlog.contextvars.get_contextvars().get("request_id")
        if request_id:
            response.headers.setdefault("X-Request-ID", request_id)
        return response
