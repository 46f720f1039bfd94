"""Object-level access through the API: a token of a unit-bound account never reaches another
unit's agency, case, import, invoice or pension case by id (404), while a service-wide account
does; and another account's webhook subscription does not exist for it."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts import roles
from invoicing.services.close import close_month
from pensions.models import PensionCase
from tests import factories
from tests.api.conftest import ApiClient, make_token
from tests.payroll.helpers import payslip_file, pnr, run_import
from webhooks import services as webhooks

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(other_unit):
    """One of each object, in the other unit."""
    factories.price_list_2012()
    agency = factories.AgencyFactory(code="FF02", unit=other_unit)
    case = factories.PayrollCaseFactory(agency=agency)
    close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    owner = factories.UserFactory(role=roles.CASE_HANDLER, unit=other_unit)
    job = run_import(payslip_file([f"2012-04;FF02;Q1;{pnr(9)};self_service"]), user=owner)
    job.unit, job.uploaded_by = other_unit, owner
    job.status = "rejected"  # a refused file of the other unit: its errors may quote its rows
    job.save()
    today = timezone.localdate()
    pension = PensionCase.objects.create(
        number="P-9",
        kind="old_age",
        agency=agency,
        person=case.person,
        unit=other_unit,
        received_on=today,
        due_on=today,
    )
    subscription = webhooks.create_subscription(owner=owner, url="https://x.example.se/h", events=["close.done"])
    return {
        "agencies": agency.pk,
        "payroll-cases": case.pk,
        "invoices": agency.invoices.get().pk,
        "invoices/{}/pdf": agency.invoices.get().pk,
        "invoices/{}/ubl": agency.invoices.get().pk,
        "payslip-imports": job.pk,
        "pension-cases": pension.pk,
        "webhooks": subscription.pk,
        "webhooks/{}/deliveries": subscription.pk,
    }


def _path(kind, pk):
    return f"/api/v1/{kind.format(pk)}/" if "{}" in kind else f"/api/v1/{kind}/{pk}/"


@pytest.mark.parametrize("role", [roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.UNIT_MANAGER])
def test_unit_bound_accounts_get_404_for_another_units_objects(role, users_by_role, foreign):
    account = users_by_role[role]
    api = ApiClient(make_token(account, roles.allowed_scopes(account)))
    reached = {}
    for kind, pk in foreign.items():
        status = api.get(_path(kind, pk)).status_code
        if status not in (403, 404):
            reached[kind] = status
    assert not reached, f"{role} reached another unit's {reached}"


def test_service_wide_accounts_reach_them(users_by_role, foreign):
    for role, kinds in {
        roles.HEAD_OF_SERVICE: ["agencies", "payroll-cases", "invoices", "invoices/{}/pdf", "pension-cases"],
        roles.FINANCE: ["agencies", "invoices", "invoices/{}/pdf", "invoices/{}/ubl"],
        roles.ADMINISTRATOR: ["agencies", "payroll-cases", "invoices", "payslip-imports", "pension-cases"],
    }.items():
        account = users_by_role[role]
        api = ApiClient(make_token(account, roles.allowed_scopes(account)))
        for kind in kinds:
            assert api.get(_path(kind, foreign[kind])).status_code == 200, (role, kind)
        # A subscription is its own account's, whoever asks.
        assert api.get(_path("webhooks", foreign["webhooks"])).status_code == 404


LISTS = [
    "/api/v1/agencies/",
    "/api/v1/invoices/",
    "/api/v1/payroll-cases/",
    "/api/v1/payslip-imports/",
    "/api/v1/pension-cases/",
    "/api/v1/volumes/?from=2012-03&to=2012-04",
    "/api/v1/webhooks/",
]


@pytest.mark.parametrize("role", [roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.UNIT_MANAGER])
def test_lists_hold_nothing_of_another_unit(role, users_by_role, unit, foreign):
    mine = factories.AgencyFactory(code="SDF01", unit=unit)
    factories.PayrollCaseFactory(agency=mine, period="2012-04")
    account = users_by_role[role]
    api = ApiClient(make_token(account, roles.allowed_scopes(account)))
    shown = {}
    for path in LISTS:
        response = api.get(path)
        if response.status_code == 200:
            shown[path] = response.content.decode()
    assert shown, role
    leaking = [path for path, text in shown.items() if "FF02" in text or "P-9" in text]
    assert not leaking, f"{role} sees the other unit in {leaking}"
    if role == roles.CASE_HANDLER:
        assert "SDF01" in shown["/api/v1/agencies/"] and "SDF01" in shown["/api/v1/payroll-cases/"]
