from accounts import roles
from tests.access import EVERY_ROLE, Rule, roles_

RULES = {
    "home": Rule(allowed=EVERY_ROLE),
    "healthz": Rule(public=True, allowed=EVERY_ROLE),
    "login": Rule(public=True, allowed=EVERY_ROLE),
    "logout": Rule(allowed=EVERY_ROLE, method="post", login_redirect_ok=True),
    "password_change": Rule(allowed=EVERY_ROLE),
    "password_change_done": Rule(allowed=EVERY_ROLE),
    "set_language": Rule(public=True, allowed=EVERY_ROLE, method="post", data=lambda w: {"language": "en"}),
    # The whole admin site is for administrators; its index stands for every admin URL.
    "admin:": Rule(allowed=roles_(roles.ADMINISTRATOR)),
}
