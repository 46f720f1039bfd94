"""Role, group and permission names in the reader's language, the admin site included; keys stay."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import roles
from accounts.labels import permission_label

pytestmark = pytest.mark.django_db


def test_the_admin_group_list_shows_the_roles_in_swedish(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("admin:auth_group_changelist")).content.decode()
    for label in ("Löneadministratör", "Pensionshandläggare", "Enhetschef", "Ekonomi", "Skyddad identitet"):
        assert label in html, label


def test_the_admin_group_page_shows_swedish_permission_names_and_keeps_the_key(client, administrator):
    group = Group.objects.get(name=roles.GROUP_NAMES[roles.CASE_HANDLER])
    client.force_login(administrator)
    html = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert "Löneadministratör" in html
    assert "Kunder | förvaltning | Kan visa förvaltning" in html
    assert "Can view agency" not in html and "Can add" not in html
    assert 'name="name"' not in html  # the role's key cannot be renamed here (roles.py keeps groups by it)


def test_the_admin_user_page_shows_swedish_groups_and_permissions(client, administrator, case_handler):
    client.force_login(administrator)
    html = client.get(reverse("admin:auth_user_change", args=[case_handler.pk])).content.decode()
    assert ">Löneadministratör</option>" in html and ">Skyddad identitet</option>" in html
    assert "Kan visa förvaltning" in html and "Can view" not in html


def test_custom_permissions_are_translated_too():
    permission = Permission.objects.get(codename="view_all_units")
    assert permission.name == "Can see every unit's agencies, cases and figures"  # stored as written
    with translation.override("sv"):
        assert permission_label(permission).endswith("| Kan se alla enheters förvaltningar, ärenden och siffror")
    with translation.override("en"):
        assert permission_label(permission).endswith("| Can see every unit's agencies, cases and figures")


def test_english_readers_get_english_names(administrator):
    browser = Client()
    browser.cookies["django_language"] = "en"
    browser.force_login(administrator)
    html = browser.get(reverse("admin:auth_group_changelist")).content.decode()
    assert "Case handler" in html and "Löneadministratör" not in html


def test_the_audit_trail_names_a_changed_role_group_in_swedish(client, administrator):
    group = Group.objects.get(name=roles.GROUP_NAMES[roles.CASE_HANDLER])
    client.force_login(administrator)
    permission = Permission.objects.get(codename="view_pricelist")
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"permissions": [*group.permissions.values_list("pk", flat=True), permission.pk]},
    )
    assert response.status_code == 302
    html = client.get(reverse("audit:trail"), {"source": "admin_site"}).content.decode()
    assert "grupp: Löneadministratör" in html
