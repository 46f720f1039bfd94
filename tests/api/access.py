"""The API in the access matrix (signed-in people, no token).

The API answers only tokens of system accounts (tests/api/test_token_access.py is its matrix by
scope and role; tests/security/test_api_idor.py its object-level checks): a person's session gets
401 on every endpoint. The schema and the documentation page are for every signed-in user."""

from accounts import roles
from tests import factories
from tests.access import EVERY_ROLE, NOBODY, Rule, roles_

ADMIN = roles_(roles.ADMINISTRATOR)


def _pk(w):
    return {"pk": 1}


def _delivery(w):
    return {"pk": 1, "delivery_id": 1}


RULES = {
    "api:schema": Rule(allowed=EVERY_ROLE),
    "api:docs": Rule(allowed=EVERY_ROLE),
    "api:agency-list": Rule(allowed=NOBODY),
    "api:agency-detail": Rule(allowed=NOBODY, kwargs=_pk),
    "api:price-list-list": Rule(allowed=NOBODY),
    "api:price-list-detail": Rule(allowed=NOBODY, kwargs=_pk),
    "api:volume-list": Rule(allowed=NOBODY),
    "api:invoice-list": Rule(allowed=NOBODY),
    "api:invoice-detail": Rule(allowed=NOBODY, kwargs=_pk),
    "api:invoice-pdf": Rule(allowed=NOBODY, kwargs=_pk),
    "api:invoice-ubl": Rule(allowed=NOBODY, kwargs=_pk),
    "api:payroll-case-list": Rule(allowed=NOBODY),
    "api:payroll-case-detail": Rule(allowed=NOBODY, kwargs=_pk),
    "api:payslip-import-list": Rule(allowed=NOBODY),
    "api:payslip-import-detail": Rule(allowed=NOBODY, kwargs=_pk),
    "api:pension-case-list": Rule(allowed=NOBODY),
    "api:pension-case-detail": Rule(allowed=NOBODY, kwargs=_pk),
    "api:webhook-list": Rule(allowed=NOBODY),
    "api:actual-cost-list": Rule(allowed=NOBODY),
    "api:webhook-detail": Rule(allowed=NOBODY, kwargs=_pk),
    "api:webhook-deliveries": Rule(allowed=NOBODY, kwargs=_pk),
    "api:webhook-resend": Rule(allowed=NOBODY, method="post", kwargs=_delivery),
}


def _system_account(w):
    return {"pk": factories.UserFactory(role=roles.CASE_HANDLER, unit=w["unit"]).pk}


def _token(w):
    from accounts.services import create_api_token

    user = factories.UserFactory(role=roles.CASE_HANDLER, unit=w["unit"])
    token, _secret = create_api_token(by=w["users"][roles.ADMINISTRATOR], user=user, name="t", scopes=["agencies:read"])
    return {"pk": user.pk, "token_pk": token.pk}


# The token pages of the users page (administrators only).
ACCOUNT_RULES = {
    "accounts:token_create": Rule(allowed=ADMIN, kwargs=_system_account),
    "accounts:token_revoke": Rule(allowed=ADMIN, method="post", kwargs=_token),
}
RULES.update(ACCOUNT_RULES)
