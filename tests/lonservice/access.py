from accounts import roles
from tests.access import ALL_ROLES, EVERY_ROLE, Rule, roles_

RULES = {
    "home": Rule(allowed=ALL_ROLES),
    # Everyone may search; each group of hits is read through its own permission and unit scope.
    "search": Rule(allowed=EVERY_ROLE, data=lambda w: {"q": "lon"}),
    # Readiness answers everyone; 503 is its verdict (no worker runs beside the tests), not a refusal.
    "healthz": Rule(public=True, allowed=ALL_ROLES, ok_statuses=frozenset({503})),
    "healthz_live": Rule(public=True, allowed=ALL_ROLES),
    "healthz_ready": Rule(public=True, allowed=ALL_ROLES, ok_statuses=frozenset({503})),
    "version": Rule(public=True, allowed=ALL_ROLES),
    # Only a scraper with METRICS_TOKEN's bearer token (tests/lonservice/test_observability.py); no user.
    "metrics": Rule(),
    "login": Rule(public=True, allowed=ALL_ROLES),
    "logout": Rule(allowed=ALL_ROLES, method="post", login_redirect_ok=True),
    "password_change": Rule(allowed=ALL_ROLES),
    "password_change_done": Rule(allowed=ALL_ROLES),
    "set_language": Rule(public=True, allowed=ALL_ROLES, method="post", data=lambda w: {"language": "en"}),
    # The whole admin site is for administrators; its index stands for every admin URL.
    "admin:": Rule(allowed=roles_(roles.ADMINISTRATOR)),
}
