"""gunicorn's access log as structured fields, through the application's JSON formatter."""

from gunicorn.glogging import Logger

from .logs import client_address


def _trusted_proxies() -> int:
    from django.conf import settings

    return settings.TRUSTED_PROXY_COUNT if settings.configured else 0


class AccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        response_headers = {name.lower(): value for name, value in resp.headers}
        method, uri = environ.get("REQUEST_METHOD", "-"), environ.get("RAW_URI", "-")
        try:
            self.access_log.info(
                "%s %s %s",
                method,
                uri,
                status,
                extra={
                    "method": method,
                    "path": uri,  # with the query string: redacted by the formatter like every value
                    "status": int(status),
                    "bytes": getattr(resp, "sent", None),
                    "duration_ms": round(request_time.total_seconds() * 1000, 1),
                    "client_ip": client_address(
                        environ.get("REMOTE_ADDR"), environ.get("HTTP_X_FORWARDED_FOR"), _trusted_proxies()
                    ),
                    "user_agent": environ.get("HTTP_USER_AGENT"),
                    # Set by RequestIdHeaderMiddleware: the same id as the application's lines.
                    "request_id": response_headers.get("x-request-id"),
                },
            )
        except Exception:
            self.exception("access log failed")
