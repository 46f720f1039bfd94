from accounts import roles
from tests.access import EVERY_ROLE, Rule, roles_

RULES = {
    "home": Rule(allowed=EVERY_ROLE),
    # Everyone may search; each group of hits is read through its own permission and unit scope.
    "search": Rule(allowed=EVERY_ROLE, data=lambda w: {"q": "lon"}),
    # Readiness answers everyone; 503 is its verdict (no worker runs beside the tests), not a refusal.
    "healthz": Rule(public=True, allowed=EVERY_ROLE, ok_statuses=frozenset({503})),
    "healthz_live": Rule(public=True, allowed=EVERY_ROLE),
    "healthz_ready": Rule(public=True, allowed=EVERY_ROLE, ok_statuses=frozenset({503})),
    "version": Rule(public=True, allowed=EVERY_ROLE),
    # Only a scraper with METRICS_TOKEN's bearer token (tests/lonservice/test_observability.py); no user.
    "metrics": Rule(),
    "login": Rule(public=True, allowed=EVERY_ROLE),
    "logout": Rule(allowed=EVERY_ROLE, method="post", login_redirect_ok=True),
    "password_change": Rule(allowed=EVERY_ROLE),
    "password_change_done": Rule(allowed=EVERY_ROLE),
    "set_language": Rule(public=True, allowed=EVERY_ROLE, method="post", data=lambda w: {"language": "en"}),
    # The whole admin site is for administrators; its index stands for every admin URL.
    "admin:": Rule(allowed=roles_(roles.ADMINISTRATOR)),
}
