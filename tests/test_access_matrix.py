"""Every URL of the project against every role and an anonymous visitor."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import roles
from tests.access import collect_rules

ANONYMOUS = "anonymous"


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if inner == "admin:":
                yield "admin:"
                continue
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


URL_NAMES = sorted(set(_url_names()))
RULES = collect_rules()


def test_every_url_has_an_access_rule():
    missing = [name for name in URL_NAMES if name not in RULES]
    assert not missing, f"URLs without an access rule in tests/<app>/access.py: {missing}"


def test_every_access_rule_names_a_real_url():
    stale = sorted(set(RULES) - set(URL_NAMES))
    assert not stale, f"access rules for URLs that do not exist: {stale}"


def _request(client, rule, url, world):
    data = rule.data(world) if rule.data else {}
    if rule.method == "post":
        return client.post(url, data)
    return client.get(url, data)


def _is_login_redirect(response):
    return response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_access_matrix(url_name, client, unit, users_by_role):
    rule = RULES[url_name]
    world = {"unit": unit, "users": users_by_role}
    lookup = "admin:index" if url_name == "admin:" else url_name
    results = {}
    for who in [ANONYMOUS, *roles.ROLES]:
        client.logout()
        if who != ANONYMOUS:
            client.force_login(users_by_role[who])
        url = reverse(lookup, kwargs=rule.kwargs(world) if rule.kwargs else None)
        response = _request(client, rule, url, world)
        allowed_by_rule = rule.public if who == ANONYMOUS else who in rule.allowed
        if allowed_by_rule:
            granted = response.status_code < 400 and (rule.login_redirect_ok or not _is_login_redirect(response))
            granted = granted or response.status_code in rule.ok_statuses
        else:
            denied_statuses = (401, 403, 404)  # 401: the API, which answers only tokens
            granted = not (
                response.status_code in denied_statuses
                or (who == ANONYMOUS and _is_login_redirect(response))
                or (url_name == "admin:" and _is_login_redirect(response))
            )
        results[who] = (allowed_by_rule, granted, response.status_code)
    wrong = {
        who: f"expected {'allow' if a else 'deny'}, got {status}" for who, (a, g, status) in results.items() if a != g
    }
    assert not wrong, f"{url_name}: {wrong}"
