"""Error reports to Sentry (off unless SENTRY_DSN is set), with personal data kept out."""

from .redact import redact


def scrub(event, hint=None):
    """``before_send``: every personal-identity-number-like value in the event is redacted."""
    return redact(event)


def init_sentry(*, dsn: str, environment: str, release: str | None = None, transport=None) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import ignore_logger

    # Django's integration reports a view's exception itself; the request log line would repeat it.
    ignore_logger("django_structlog.middlewares.request")

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No user, cookies, client address (send_default_pii's default, False: sentry-sdk 2.7x
        # deprecates passing it), request bodies or local variables: they can hold the names and
        # numbers of the people whose cases are handled.
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub,
        before_send_transaction=scrub,
        before_breadcrumb=scrub,
        traces_sample_rate=0,
        transport=transport,
    )
