"""System accounts with tokens, and a client that sends them."""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts import roles, services
from tests import factories


@pytest.fixture(autouse=True)
def _eager(settings):
    """Jobs (imports, webhook deliveries) run inline, as without a broker: the tests play the worker.
    (CI sets CELERY_BROKER_URL; the Redis → worker path has its own tests in the apps.)"""
    from lonservice.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the throttles count in the cache
    yield
    cache.clear()


def make_token(user, scopes, *, by=None):
    admin = by or factories.UserFactory(role=roles.ADMINISTRATOR)
    _token, secret = services.create_api_token(by=admin, user=user, name="test", scopes=scopes)
    return secret


def _headers(base, extra):
    """``HTTP_IDEMPOTENCY_KEY="k"`` → ``{"Idempotency-Key": "k"}``, added to the client's own."""
    named = {key.removeprefix("HTTP_").replace("_", "-").title(): value for key, value in extra.items()}
    return {**base, **named}


class ApiClient:
    """Django's test client with the token and Accept-Language on every request."""

    def __init__(self, secret: str | None, language: str | None = None):
        self.client = Client()
        self.headers = {}
        if secret:
            self.headers["Authorization"] = f"Bearer {secret}"
        if language:
            self.headers["Accept-Language"] = language

    def get(self, path, data=None, **headers):
        return self.client.get(path, data, headers=_headers(self.headers, headers))

    def post(self, path, data=None, content_type="application/json", **headers):
        if content_type is None:  # multipart
            return self.client.post(path, data, headers=_headers(self.headers, headers))
        return self.client.post(path, data, content_type=content_type, headers=_headers(self.headers, headers))

    def delete(self, path, **headers):
        return self.client.delete(path, headers=_headers(self.headers, headers))


@pytest.fixture
def system_account(unit):
    """The payroll system's account: a case handler of unit 1."""
    return factories.UserFactory(username="lonesystem", role=roles.CASE_HANDLER, unit=unit)


@pytest.fixture
def ledger_account(db):
    """The ledger's account: finance (every unit's invoices)."""
    return factories.UserFactory(username="agresso", role=roles.FINANCE)


@pytest.fixture
def api_for():
    def build(user, scopes, language=None):
        return ApiClient(make_token(user, scopes), language)

    return build
