"""Agency contacts on the portal: another agency's object — even one of the same unit — is not there.

For every portal URL with an object, the object is made on an agency of the contact's own unit that
the contact is not linked to: the contact gets 404, the administrator (the only other role the
portal answers) still gets in. The control makes the same objects on the contact's own agency."""

import pytest
from django.urls import reverse

from accounts import roles
from tests.portal.access import CENTRE_WIDE, RULES

OBJECT_URLS = sorted(name for name, rule in RULES.items() if rule.kwargs and name not in CENTRE_WIDE)


@pytest.mark.parametrize("url_name", OBJECT_URLS)
def test_another_agencys_object_is_out_of_reach_for_a_contact(url_name, client, unit, users_by_role, idor):
    rule = RULES[url_name]
    world = {"unit": unit, "users": users_by_role, "foreign_agency": True}
    client.force_login(users_by_role[roles.AGENCY_CONTACT])
    assert client.get(reverse(url_name, kwargs=rule.kwargs(world))).status_code == 404
    client.force_login(users_by_role[roles.ADMINISTRATOR])
    assert client.get(reverse(url_name, kwargs=rule.kwargs(world))).status_code == 200
    idor.append((f"contact:{url_name}", 2))


@pytest.mark.parametrize("url_name", OBJECT_URLS)
def test_the_contacts_own_agencys_object_is_reachable(url_name, client, unit, users_by_role):
    rule = RULES[url_name]
    world = {"unit": unit, "users": users_by_role}
    client.force_login(users_by_role[roles.AGENCY_CONTACT])
    assert client.get(reverse(url_name, kwargs=rule.kwargs(world))).status_code == 200
