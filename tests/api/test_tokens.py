"""Tokens: made and revoked by administrators on the users page, shown once, stored hashed."""

import hashlib

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import roles, services
from accounts.models import ApiToken
from tests import factories

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_administrator_makes_a_token_on_the_users_page_and_sees_it_once(client, administrator, system_account):
    client.force_login(administrator)
    page = client.get(reverse("accounts:token_create", args=[system_account.pk]))
    assert page.status_code == 200
    # Only the scopes the account's role (case handler) allows are offered.
    offered = dict(page.context["form"].fields["scopes"].choices)
    assert "payroll:write" in offered and "invoices:read" not in offered

    response = client.post(
        reverse("accounts:token_create", args=[system_account.pk]),
        {"name": "Lönesystemet", "scopes": ["payroll:read", "payslips:import"]},
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("lon_") and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=system_account)
    assert token.scopes == ["payroll:read", "payslips:import"]
    # Only the hash is kept; the user's page lists the token without its secret.
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    user_page = client.get(reverse("accounts:user_edit", args=[system_account.pk])).content.decode()
    assert token.prefix in user_page and secret not in user_page
    assert LogEntry.objects.filter(object_id=str(system_account.pk), change_message__contains=token.prefix).exists()

    assert ApiClient(secret).get("/api/v1/payroll-cases/").status_code == 200


def test_a_revoked_token_stops_working_at_once(client, administrator, system_account):
    token, secret = services.create_api_token(by=administrator, user=system_account, name="x", scopes=["agencies:read"])
    api = ApiClient(secret)
    assert api.get("/api/v1/agencies/").status_code == 200
    client.force_login(administrator)
    client.post(reverse("accounts:token_revoke", args=[system_account.pk, token.pk]))
    token.refresh_from_db()
    assert token.revoked_by == administrator
    refused = api.get("/api/v1/agencies/")
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"


def test_a_scope_the_roles_do_not_allow_is_refused(administrator, system_account):
    with pytest.raises(ValidationError):
        services.create_api_token(by=administrator, user=system_account, name="x", scopes=["invoices:read"])


def test_a_deactivated_account_and_an_unknown_or_mangled_token_get_401(administrator, system_account):
    _token, secret = services.create_api_token(
        by=administrator, user=system_account, name="x", scopes=["agencies:read"]
    )
    assert ApiClient(secret[:-2] + "xx").get("/api/v1/agencies/").status_code == 401
    assert ApiClient("lon_nothing_here").get("/api/v1/agencies/").status_code == 401
    assert ApiClient(None).get("/api/v1/agencies/").status_code == 401
    services.set_active(by=administrator, user=system_account, active=False)
    assert ApiClient(secret).get("/api/v1/agencies/").status_code == 401


def test_only_administrators_reach_the_token_pages(client, system_account, unit):
    handler = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit)
    client.force_login(handler)
    assert client.get(reverse("accounts:token_create", args=[system_account.pk])).status_code == 403


def test_a_token_past_its_last_day_gets_401(administrator, system_account):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    token, secret = services.create_api_token(
        by=administrator, user=system_account, name="x", scopes=["agencies:read"], expires_on=today
    )
    assert ApiClient(secret).get("/api/v1/agencies/").status_code == 200  # the last day still counts
    ApiToken.objects.filter(pk=token.pk).update(expires_on=today - dt.timedelta(days=1))
    assert ApiClient(secret).get("/api/v1/agencies/").status_code == 401
    token.refresh_from_db()
    assert token.last_used_at is not None
