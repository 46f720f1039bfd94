"""Single sign-on against a real OpenID Connect provider on localhost (see conftest.py)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from accounts.models import SsoIdentity
from tests import factories

from .provider import forms_of, sign_in, submit, walk

pytestmark = pytest.mark.django_db


def _role_keys(user):
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in roles.ROLES if roles.GROUP_NAMES[role] in names]


@pytest.fixture
def units(unit, other_unit):
    return unit, other_unit


def test_first_sign_in_creates_the_user_with_the_mapped_role_and_unit(client, idp, units):
    idp.set_user(
        "anna.berg",
        groups=["lon-handlaggare", "lon-enhet-1", "a-group-nobody-mapped"],
        given_name="Anna",
        family_name="Berg",
        email="anna.berg@stad.example.se",
    )
    response, walked = sign_in(client, idp, "anna.berg", next_url="/customers/")

    assert walked.saw_login_form
    assert response.status_code == 302 and response["Location"] == "/customers/"
    user = get_user_model().objects.get(username="anna.berg")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert (user.first_name, user.last_name, user.email) == ("Anna", "Berg", "anna.berg@stad.example.se")
    assert _role_keys(user) == [roles.CASE_HANDLER]
    assert user.staff_member.unit.code == "lon1"
    assert not user.has_usable_password() and not user.is_staff
    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (idp.issuer, "sub-anna.berg")
    # The case handler starts on their own start page (their payroll cases, of their own unit's agencies).
    assert [panel.title for panel in client.get(reverse("home")).context["panels"]] == ["Dina löneärenden"]
    entry = LogEntry.objects.get(object_id=str(user.pk))
    assert entry.user == user and "Löneadministratör" in entry.change_message and "Löneenhet 1" in entry.change_message


def test_a_user_removed_from_a_group_loses_that_role_at_the_next_sign_in(client, idp, units):
    idp.set_user("bo.ek", groups=["lon-handlaggare", "lon-enhetschef", "lon-enhet-1"])
    sign_in(client, idp, "bo.ek")
    user = get_user_model().objects.get(username="bo.ek")
    assert _role_keys(user) == [roles.CASE_HANDLER, roles.UNIT_MANAGER]
    # An administrator gave the protected-identity permission here; the provider knows nothing of it.
    user.groups.add(Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP))
    client.post(reverse("logout"))

    idp.set_user("bo.ek", groups=["lon-enhetschef", "lon-enhet-2"])  # left the case handlers, moved unit
    response, _walked = sign_in(client, idp, "bo.ek")

    assert response.status_code == 302
    user.refresh_from_db()
    assert _role_keys(user) == [roles.UNIT_MANAGER]
    assert user.staff_member.unit.code == "lon2"
    assert user.groups.filter(name=roles.PROTECTED_IDENTITY_GROUP).exists()
    assert get_user_model().objects.filter(username="bo.ek").count() == 1
    change = LogEntry.objects.filter(object_id=str(user.pk)).latest("action_time").change_message
    assert "Löneadministratör, Enhetschef → Enhetschef" in change and "Löneenhet 1 → Löneenhet 2" in change

    idp.set_user("bo.ek", groups=[])  # out of every group: no role at all, and no unit
    client.post(reverse("logout"))
    sign_in(client, idp, "bo.ek")
    user.refresh_from_db()
    assert _role_keys(user) == [] and not hasattr(user, "staff_member")
    assert client.get(reverse("payroll:queue")).status_code == 403


def test_an_administrator_from_the_provider_gets_the_admin_site(client, idp):
    idp.set_user("it.admin", groups=["lon-admin"])
    sign_in(client, idp, "it.admin")
    assert client.get(reverse("admin:index")).status_code == 200
    idp.set_user("it.admin", groups=["lon-ekonomi"])
    client.post(reverse("logout"))
    sign_in(client, idp, "it.admin")
    user = get_user_model().objects.get(username="it.admin")
    assert not user.is_staff and _role_keys(user) == [roles.FINANCE]


def test_logout_ends_the_session_here_and_at_the_provider(client, idp):
    idp.set_user("cilla", groups=["lon-ekonomi"])
    sign_in(client, idp, "cilla")

    response = client.post(reverse("logout"))

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(f"{idp.issuer}/session/end") and "id_token_hint=" in end_session
    walked = walk(idp, end_session)
    confirm = next(form for form in forms_of(walked.page.text) if form["id"] == "op.logoutForm")
    back = submit(idp, walked.page, confirm, logout="yes")
    assert back == f"http://testserver{reverse('login')}"
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    # The provider forgot the browser too: signing in again asks for the password.
    response, walked = sign_in(client, idp, "cilla")
    assert walked.saw_login_form and response.status_code == 302


def test_without_provider_logout_the_provider_still_knows_the_browser(client, idp, settings):
    """The control for the test above: a local logout only, and the provider signs the browser straight in."""
    settings.OIDC_PROVIDER_LOGOUT = False
    idp.set_user("cilla", groups=["lon-ekonomi"])
    sign_in(client, idp, "cilla")
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    response, walked = sign_in(client, idp, "cilla")
    assert not walked.saw_login_form and response.status_code == 302


def test_a_wrong_password_at_the_provider_signs_nobody_in(client, idp):
    idp.set_user("dan", groups=["lon-handlaggare"])
    response, walked = sign_in(client, idp, "dan", password="not-the-password")
    assert response is None and "Wrong user name or password" in walked.page.text
    assert not get_user_model().objects.filter(username="dan").exists()
    assert "_auth_user_id" not in client.session


def test_a_local_user_with_a_password_is_not_taken_over_by_the_same_name(client, idp):
    local = factories.UserFactory(username="admin", role=roles.ADMINISTRATOR)
    idp.set_user("admin", groups=["lon-handlaggare"])
    response, _walked = sign_in(client, idp, "admin")
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "did not succeed" in client.get(reverse("login")).content.decode().replace(
        "lyckades inte", "did not succeed"
    )
    assert not SsoIdentity.objects.exists()
    assert _role_keys(local) == [roles.ADMINISTRATOR]


def test_a_deactivated_user_cannot_sign_in(client, idp):
    idp.set_user("eva", groups=["lon-handlaggare"])
    sign_in(client, idp, "eva")
    client.post(reverse("logout"))
    get_user_model().objects.filter(username="eva").update(is_active=False)
    response, _walked = sign_in(client, idp, "eva")
    assert response["Location"] == reverse("login") and "_auth_user_id" not in client.session


def test_a_user_in_two_unit_groups_is_refused(client, idp, units):
    idp.set_user("fia", groups=["lon-handlaggare", "lon-enhet-1", "lon-enhet-2"])
    response, _walked = sign_in(client, idp, "fia")
    assert response["Location"] == reverse("login")
    assert not get_user_model().objects.filter(username="fia").exists()


def test_a_callback_without_the_state_it_was_sent_with_is_refused(client, idp):
    response = client.get(reverse("accounts:oidc_callback"), {"code": "made-up", "state": "made-up"})
    assert response["Location"] == reverse("login") and "_auth_user_id" not in client.session
