"""The API's access matrix: each role's system account, with a token of every scope its role
allows, against every endpoint; and a token without the endpoint's scope refused everywhere."""

import pytest

from accounts import roles
from api.urls import router

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db

R = roles
# The API is for the city's systems, whose accounts have staff roles; an agency contact's account gets nothing.
EVERYONE = set(roles.STAFF_ROLES)
# endpoint (router basename) → (path, roles whose account may read it). Decided here, by hand.
READ = {
    "agency": ("/api/v1/agencies/", EVERYONE),
    "price-list": ("/api/v1/price-lists/", {R.UNIT_MANAGER, R.HEAD_OF_SERVICE, R.FINANCE, R.ADMINISTRATOR}),
    "volume": ("/api/v1/volumes/?from=2012-03", {R.UNIT_MANAGER, R.HEAD_OF_SERVICE, R.FINANCE, R.ADMINISTRATOR}),
    "invoice": ("/api/v1/invoices/", {R.HEAD_OF_SERVICE, R.FINANCE, R.ADMINISTRATOR}),
    "payroll-case": ("/api/v1/payroll-cases/", {R.CASE_HANDLER, R.UNIT_MANAGER, R.HEAD_OF_SERVICE, R.ADMINISTRATOR}),
    "payslip-import": ("/api/v1/payslip-imports/", {R.CASE_HANDLER, R.ADMINISTRATOR}),
    "pension-case": ("/api/v1/pension-cases/", {R.PENSION_HANDLER, R.UNIT_MANAGER, R.HEAD_OF_SERVICE, R.ADMINISTRATOR}),
    "webhook": ("/api/v1/webhooks/", EVERYONE),
    "actual-cost": ("/api/v1/actual-costs/", {R.UNIT_MANAGER, R.HEAD_OF_SERVICE, R.FINANCE, R.ADMINISTRATOR}),
}
WRITE = {
    "payroll-case": ("/api/v1/payroll-cases/", {R.CASE_HANDLER, R.ADMINISTRATOR}),
    "payslip-import": ("/api/v1/payslip-imports/", {R.CASE_HANDLER, R.ADMINISTRATOR}),
    "webhook": ("/api/v1/webhooks/", EVERYONE),
    "actual-cost": ("/api/v1/actual-costs/", {R.HEAD_OF_SERVICE, R.FINANCE, R.ADMINISTRATOR}),
}


def test_every_endpoint_is_in_this_matrix():
    assert {basename for _prefix, _viewset, basename in router.registry} == set(READ)


def test_an_agency_contact_gets_no_api_token(users_by_role):
    from django.core.exceptions import ValidationError

    contact = users_by_role[roles.AGENCY_CONTACT]
    assert roles.allowed_scopes(contact) == []
    with pytest.raises(ValidationError):
        make_token(contact, list(roles.API_SCOPES))


@pytest.mark.parametrize("role", roles.STAFF_ROLES)
def test_each_roles_account_reaches_what_its_role_allows(role, users_by_role):
    account = users_by_role[role]
    api = ApiClient(make_token(account, roles.allowed_scopes(account)))
    wrong = {}
    for name, (path, allowed) in READ.items():
        status = api.get(path).status_code
        if (status == 200) != (role in allowed) or status not in (200, 403):
            wrong[f"GET {name}"] = status
    for name, (path, allowed) in WRITE.items():
        status = api.post(path, {}, content_type="application/json").status_code
        # An empty body: 400 when allowed (the fields are checked), 403 when not.
        if (status == 400) != (role in allowed) or status not in (400, 403):
            wrong[f"POST {name}"] = status
    assert not wrong, f"{role}: {wrong}"


@pytest.mark.parametrize("scope", list(roles.API_SCOPES))
def test_a_token_reaches_only_its_scopes_endpoints(scope, administrator):
    api = ApiClient(make_token(administrator, [scope]))
    reached = {name for name, (path, _allowed) in READ.items() if api.get(path).status_code == 200}
    expected = {
        "agencies:read": {"agency"},
        "prices:read": {"price-list"},
        "volumes:read": {"volume"},
        "invoices:read": {"invoice"},
        "payroll:read": {"payroll-case"},
        "payroll:write": set(),
        "payslips:import": {"payslip-import"},
        "pensions:read": {"pension-case"},
        "webhooks": {"webhook"},
        "costs:read": {"actual-cost"},
        "costs:write": set(),
    }[scope]
    assert reached == expected
