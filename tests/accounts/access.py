from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import roles
from tests import factories
from tests.access import EVERY_ROLE, Rule, roles_

ADMIN = roles_(roles.ADMINISTRATOR)


def _user_in_unit(w):
    return {"pk": factories.UserFactory(role=roles.CASE_HANDLER, unit=w["unit"]).pk}


def _set_password_link(w):
    user = factories.UserFactory()
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


RULES = {
    # Sign-in through the identity provider: public; without OIDC configured (the matrix's settings) 404.
    "accounts:oidc_login": Rule(public=True, allowed=EVERY_ROLE, ok_statuses=frozenset({404})),
    "accounts:oidc_callback": Rule(public=True, allowed=EVERY_ROLE, ok_statuses=frozenset({404})),
    # The users page is for administrators (auth.view_user / add_user / change_user).
    "accounts:user_list": Rule(allowed=ADMIN),
    "accounts:user_create": Rule(allowed=ADMIN),
    "accounts:user_edit": Rule(allowed=ADMIN, kwargs=_user_in_unit),
    "accounts:user_deactivate": Rule(allowed=ADMIN, method="post", kwargs=_user_in_unit),
    "accounts:user_activate": Rule(allowed=ADMIN, method="post", kwargs=_user_in_unit),
    "accounts:user_password_link": Rule(allowed=ADMIN, method="post", kwargs=_user_in_unit),
    # The link's token is the access: whoever holds it sets the password, logged in or not.
    "accounts:set_password": Rule(public=True, allowed=EVERY_ROLE, kwargs=_set_password_link),
}
