"""The users page by id: nobody but an administrator changes a user, not even their own or their unit's.

(The access matrix and test_idor.py cover every users URL for every role; these check that a refused
POST also leaves the user exactly as they were.)"""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from accounts import roles
from tests import factories

pytestmark = pytest.mark.django_db


def _role_names(user):
    return sorted(user.groups.values_list("name", flat=True))


def _grant_everything(user):
    return {"roles": [roles.ADMINISTRATOR], "protected_identity": "on", "first_name": "X"}


@pytest.mark.parametrize("role", [roles.CASE_HANDLER, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.FINANCE])
def test_no_one_but_an_administrator_changes_a_user_of_their_unit_or_themselves(client, role, users_by_role, unit):
    actor = users_by_role[role]
    colleague = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit)
    client.force_login(actor)
    for target in (colleague, actor):
        before = _role_names(target)
        for name in ("accounts:user_edit", "accounts:user_deactivate", "accounts:user_password_link"):
            response = client.post(reverse(name, args=[target.pk]), _grant_everything(target))
            assert response.status_code == 403, (role, name)
        target.refresh_from_db()
        assert _role_names(target) == before and target.is_active and target.first_name != "X"
    assert not LogEntry.objects.exists()


def test_a_user_id_that_does_not_exist_is_a_404_for_an_administrator(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("accounts:user_edit", args=[999_999])).status_code == 404
    assert client.post(reverse("accounts:user_deactivate", args=[999_999])).status_code == 404
