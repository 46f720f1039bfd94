"""Object-level access (IDOR): another unit's objects, reached by id, are not there for unit-bound roles.

For every URL of the access matrix whose kwargs builder makes an object in the world's unit, the
object is made in ANOTHER unit (the builder called with a world whose ``unit`` is ``other_unit`` and
whose users work there). The roles bound to a unit — case handler, pension handler, unit manager of
``lon1`` — must get 403 or 404 on every detail, edit, action, download and export URL of it, while the
head of service, finance and administrators keep exactly the access the matrix gives them. A builder
that never reads ``w["unit"]`` makes objects that belong to no unit: it must be listed in
NOT_UNIT_BOUND with the reason, so a new URL cannot slip through unexamined.
"""

import pytest
from django.urls import reverse

from accounts import roles
from tests import factories
from tests.access import collect_rules

RULES = collect_rules()
UNIT_BOUND_ROLES = (roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.UNIT_MANAGER)
SERVICE_WIDE_ROLES = (roles.HEAD_OF_SERVICE, roles.FINANCE, roles.ADMINISTRATOR)
DENIED = (403, 404)

# URLs whose objects belong to no unit, and why that is right.
NOT_UNIT_BOUND = {
    "pricing:pricelist_detail": "price lists are the board's, the same for every unit",
    "pricing:pricelist_edit": "price lists are the board's, the same for every unit",
    "pricing:pricelist_new_version": "price lists are the board's, the same for every unit",
    "pricing:pricelist_freeze": "price lists are the board's, the same for every unit",
    "pricing:pricelist_decide": "price lists are the board's, the same for every unit",
    "pricing:monthly_amounts_edit": "price lists are the board's, the same for every unit",
    "economy:scenario": "next year's price scenarios are the whole service's (head of service and finance)",
    "economy:scenario_price_list": "next year's price scenarios are the whole service's (head of service and finance)",
    "payroll:case_export_job": "a background download is its user's own: anyone else gets 404 (test_export_jobs.py)",
    "payroll:case_export_status": "a background download is its user's own: anyone else gets 404 (test_export_jobs.py)",
    "payroll:case_export_file": "a background download is its user's own: anyone else gets 404 (test_export_jobs.py)",
    "invoicing:close_detail": "the monthly close covers every unit (finance only)",
    "invoicing:close_status": "the monthly close covers every unit (finance only)",
    "invoicing:close_issue_held": "the monthly close covers every unit (finance only)",
    "invoicing:close_retry_pdfs": "the monthly close covers every unit (finance only)",
    "invoicing:invoice_zip": "a month's invoices of every agency (finance and head of service only)",
    "invoicing:erp_file": "a month's invoices of every agency (finance and head of service only)",
    "invoicing:invoice_zip_status": "a month's invoices of every agency (finance and head of service only)",
    "invoicing:sie_file": "a month named by its period, not an object: its vouchers hold the invoices the user sees",
    "invoicing:reconciliation": "a month named by its period, not an object: it reconciles the invoices the user sees",
    "reporting:target_edit": "the board's targets for the whole service",
    "reporting:commitment_edit": "the commitments are the whole service's (head of service only)",
    "reporting:control_plan_edit": "the internal control plan is the whole service's (head of service only)",
    "reporting:delivery_resend": "the reports e-mailed are the whole service's (head of service only)",
    "staffing:phone_edit": "the phone service is one for the whole service centre",
    "staffing:survey_edit": "the customer survey is one for the whole service centre",
    "workplaces:report_file": "the city's report to Statistics Sweden covers every unit (head of service only)",
    "accounts:set_password": "the link's token is the access: it is for whoever holds it, logged in or not",
    "customers:form_version_download": "the centre's forms are the same for every agency and unit",
    "portal:form_download": "the centre's forms are the same for every agency and unit",
}

# The API answers no session (401 for every person): its object-level checks are made with tokens
# in tests/security/test_api_idor.py.
NOT_UNIT_BOUND.update(
    {
        name: "token-only API: see test_api_idor.py"
        for name, rule in RULES.items()
        if name.startswith("api:") and rule.kwargs
    }
)

UNIT_BOUND_URLS = sorted(name for name, rule in RULES.items() if rule.kwargs and name not in NOT_UNIT_BOUND)


class _World(dict):
    """The matrix's world that notes which keys a builder reads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


@pytest.fixture
def other_unit_users(other_unit):
    """The other unit's own staff: the people who make and own its objects."""
    users = {role: factories.UserFactory(role=role, unit=other_unit) for role in UNIT_BOUND_ROLES}
    other_unit.manager = users[roles.UNIT_MANAGER]
    other_unit.save()
    return users


def _request(client, rule, name, kwargs, world):
    url = reverse(name, kwargs=kwargs)
    data = rule.data(world) if rule.data else {}
    return client.post(url, data) if rule.method == "post" else client.get(url, data)


@pytest.mark.parametrize("url_name", UNIT_BOUND_URLS)
def test_another_units_object_is_out_of_reach(
    url_name, client, unit, other_unit, users_by_role, other_unit_users, idor
):
    rule = RULES[url_name]
    foreign = _World({"unit": other_unit, "users": {**users_by_role, **other_unit_users}})
    wrong = {}
    checks = 0
    for role in roles.ROLES:
        kwargs = rule.kwargs(foreign)  # a fresh object for every role: an allowed POST may change it
        assert "unit" in foreign.read, (
            f"{url_name}: its kwargs builder ignores w['unit']; build the object in the world's unit, "
            "or list the URL in NOT_UNIT_BOUND with the reason"
        )
        client.force_login(users_by_role[role])
        response = _request(client, rule, url_name, kwargs, foreign)
        if role in UNIT_BOUND_ROLES or role == roles.AGENCY_CONTACT:  # a contact: only their own agencies
            ok = response.status_code in DENIED
            expected = "403/404"
        elif role in rule.allowed:
            ok = response.status_code < 400 or response.status_code in rule.ok_statuses
            expected = "allowed"
        else:
            ok = response.status_code in DENIED
            expected = "403/404"
        checks += 1
        if not ok:
            wrong[role] = f"expected {expected}, got {response.status_code}"
    idor.append((url_name, checks))
    assert not wrong, f"{url_name} on another unit's object: {wrong}"


def test_the_same_objects_in_the_users_own_unit_are_reachable(client, unit, users_by_role):
    """The control: built in the users' own unit, the unit-bound roles the matrix allows get in."""
    reached = []
    for url_name in UNIT_BOUND_URLS:
        rule = RULES[url_name]
        world = {"unit": unit, "users": users_by_role}
        for role in sorted(set(UNIT_BOUND_ROLES) & rule.allowed):
            client.force_login(users_by_role[role])
            response = _request(client, rule, url_name, rule.kwargs(world), world)
            assert response.status_code < 400 or response.status_code in rule.ok_statuses, (url_name, role)
            reached.append((url_name, role))
    assert len(reached) >= 40


def test_not_unit_bound_urls_are_real_rules():
    for name in NOT_UNIT_BOUND:
        assert name in RULES and RULES[name].kwargs, name
