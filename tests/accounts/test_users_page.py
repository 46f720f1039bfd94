"""The users page: administrators see, create, change and deactivate users; every change is audited."""

import re

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()


def _role_keys(user):
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in roles.ROLES if roles.GROUP_NAMES[role] in names]


def _entries(user):
    return list(LogEntry.objects.filter(object_id=str(user.pk)).order_by("action_time", "pk"))


def _form(**values):
    data = {"first_name": "", "last_name": "", "email": "", "roles": [], "unit": "", "protected_identity": ""}
    data.update(values)
    return {key: value for key, value in data.items() if value not in ("", None)}


def test_the_list_shows_roles_unit_protected_identity_and_sign_in_in_swedish(client, administrator, unit):
    handler = factories.UserFactory(
        username="hanna", first_name="Hanna", last_name="Ek", role=roles.CASE_HANDLER, unit=unit
    )
    handler.groups.add(Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP))
    client.force_login(administrator)

    html = client.get(reverse("accounts:user_list")).content.decode()

    link = f'<a href="{reverse("accounts:user_edit", args=[handler.pk])}">Hanna Ek</a>'
    row = re.search(r"<tr[^>]*>\s*<td[^>]*>" + re.escape(link) + r".*?</tr>", html, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:8] == ["Hanna Ek", "hanna", "Löneadministratör", "Löneenhet 1", "—", "ja", "Lösenord", "ja"]
    assert "<th" in html and "Förvaltningar" in html and "Skyddad identitet" in html


def test_the_list_filters_by_role_and_text(client, administrator, unit):
    factories.UserFactory(username="hanna", role=roles.CASE_HANDLER, unit=unit)
    factories.UserFactory(username="ulf", role=roles.UNIT_MANAGER, unit=unit)
    client.force_login(administrator)
    html = client.get(reverse("accounts:user_list"), {"role": roles.UNIT_MANAGER}).content.decode()
    assert ">ulf<" in html and ">hanna<" not in html
    html = client.get(reverse("accounts:user_list"), {"text": "hann"}).content.decode()
    assert ">hanna<" in html and ">ulf<" not in html


def test_creating_a_user_with_a_password_gives_a_link_that_sets_it(client, administrator, unit):
    client.force_login(administrator)
    response = client.post(
        reverse("accounts:user_create"),
        _form(username="ny.handlaggare", first_name="Ny", last_name="Person", roles=[roles.CASE_HANDLER], unit=unit.pk),
    )
    assert response.status_code == 200
    user = User.objects.get(username="ny.handlaggare")
    assert not user.has_usable_password()
    assert _role_keys(user) == [roles.CASE_HANDLER] and user.staff_member.unit == unit
    link = re.search(r'value="(http://testserver/set-password/[^"]+)"', response.content.decode()).group(1)
    created, link_made = _entries(user)
    assert created.action_flag == ADDITION and created.user == administrator
    assert "Roller: Löneadministratör" in created.change_message and "Enhet: Löneenhet 1" in created.change_message
    assert link_made.change_message == "En länk för att välja lösenord skapades."

    client.logout()
    form_page = client.get(link, follow=True)
    password = "a-new-long-password-42"
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert response["Location"] == reverse("login")
    assert client.post(reverse("login"), {"username": "ny.handlaggare", "password": password}).status_code == 302
    assert [panel.title for panel in client.get(reverse("home")).context["panels"]] == ["Dina löneärenden"]
    client.logout()
    assert client.get(link, follow=True).context["validlink"] is False  # used once


def test_creating_a_user_for_single_sign_on_gives_no_password(client, administrator, settings):
    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID = "http://127.0.0.1:9", "client"
    client.force_login(administrator)
    response = client.post(
        reverse("accounts:user_create"), _form(username="sso.person", sign_in="sso", roles=[roles.FINANCE])
    )
    user = User.objects.get(username="sso.person")
    assert response["Location"] == reverse("accounts:user_edit", args=[user.pk])
    assert not user.has_usable_password() and _role_keys(user) == [roles.FINANCE]
    assert [entry.action_flag for entry in _entries(user)] == [ADDITION]  # no set-password link made


def test_a_taken_user_name_or_an_unknown_role_is_refused_and_nothing_is_written(client, administrator):
    factories.UserFactory(username="taken")
    client.force_login(administrator)
    before = User.objects.count()
    response = client.post(reverse("accounts:user_create"), _form(username="Taken"))
    assert "Det finns redan en användare med det användarnamnet." in response.content.decode()
    response = client.post(reverse("accounts:user_create"), _form(username="new.one", roles=["superhero"]))
    assert response.status_code == 200 and "roles" in response.context["form"].errors
    assert User.objects.count() == before and not LogEntry.objects.exists()


def test_changing_roles_unit_and_protected_identity_is_audited_and_shown_in_the_audit_trail(
    client, administrator, unit, other_unit
):
    person = factories.UserFactory(username="lisa", role=roles.CASE_HANDLER, unit=unit)
    client.force_login(administrator)
    response = client.post(
        reverse("accounts:user_edit", args=[person.pk]),
        _form(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            roles=[roles.UNIT_MANAGER],
            unit=other_unit.pk,
            protected_identity="on",
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert _role_keys(person) == [roles.UNIT_MANAGER]
    assert person.staff_member.unit == other_unit
    assert person.groups.filter(name=roles.PROTECTED_IDENTITY_GROUP).exists()
    (entry,) = _entries(person)
    assert entry.action_flag == CHANGE and entry.user == administrator
    assert entry.change_message == (
        "Roller: Löneadministratör → Enhetschef; Enhet: Löneenhet 1 → Löneenhet 2; Skyddad identitet: nej → ja"
    )

    trail = client.get(reverse("audit:trail"), {"source": "admin_site"}).content.decode()
    assert "användare: lisa" in trail
    assert "Roller: Löneadministratör → Enhetschef" in trail

    # Saving again without a change writes nothing.
    client.post(
        reverse("accounts:user_edit", args=[person.pk]),
        _form(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            roles=[roles.UNIT_MANAGER],
            unit=other_unit.pk,
            protected_identity="on",
        ),
    )
    assert len(_entries(person)) == 1


def test_removing_the_unit_leaves_the_staff_record_without_the_user(client, administrator, unit):
    person = factories.UserFactory(username="lisa", role=roles.CASE_HANDLER, unit=unit)
    staff = person.staff_member
    client.force_login(administrator)
    client.post(reverse("accounts:user_edit", args=[person.pk]), _form(roles=[roles.CASE_HANDLER]))
    staff.refresh_from_db()
    assert staff.user is None and staff.unit == unit  # its FTE and absences keep their unit


def test_a_deactivated_user_cannot_log_in_and_their_session_ends(client, administrator, case_handler):
    from django.test import Client

    their_browser = Client()
    their_browser.force_login(case_handler)
    client.force_login(administrator)

    response = client.post(reverse("accounts:user_deactivate", args=[case_handler.pk]))

    assert response["Location"] == reverse("accounts:user_edit", args=[case_handler.pk])
    case_handler.refresh_from_db()
    assert not case_handler.is_active and User.objects.filter(pk=case_handler.pk).exists()  # never deleted
    assert their_browser.get(reverse("payroll:queue"))["Location"].startswith(reverse("login"))
    login = their_browser.post(
        reverse("login"), {"username": case_handler.username, "password": factories.TEST_PASSWORD}
    )
    assert login.status_code == 200 and login.context["user"].is_anonymous
    assert _entries(case_handler)[-1].change_message == "Aktiv: ja → nej"

    client.post(reverse("accounts:user_activate", args=[case_handler.pk]))
    case_handler.refresh_from_db()
    assert case_handler.is_active and _entries(case_handler)[-1].change_message == "Aktiv: nej → ja"


def test_an_administrator_cannot_deactivate_themselves_or_drop_their_own_role(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("accounts:user_deactivate", args=[administrator.pk]), follow=True)
    assert "Du kan inte avaktivera dig själv." in response.content.decode()
    response = client.post(reverse("accounts:user_edit", args=[administrator.pk]), _form(roles=[roles.FINANCE]))
    assert "Du kan inte ta bort din egen administratörsroll." in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active and _role_keys(administrator) == [roles.ADMINISTRATOR]
    assert not LogEntry.objects.exists()


def test_the_users_page_is_in_the_navigation_for_administrators_only(client, administrator, unit_manager):
    client.force_login(administrator)
    assert f'href="{reverse("accounts:user_list")}"' in client.get(reverse("audit:trail")).content.decode()
    client.force_login(unit_manager)
    assert f'href="{reverse("accounts:user_list")}"' not in client.get(reverse("audit:trail")).content.decode()
