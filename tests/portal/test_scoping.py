"""Agency contacts see their own agencies and no page of the centre's own work."""

import pytest
from django.urls import reverse

from accounts import roles
from customers.selectors import agencies_for, contact_agencies
from invoicing.selectors import invoices_for
from tests.factories import AgencyContactAccessFactory, AgencyFactory, UserFactory


@pytest.mark.django_db
def test_an_agency_contact_sees_only_the_agencies_they_are_linked_to(unit):
    mine, also_mine, other = AgencyFactory(unit=unit), AgencyFactory(), AgencyFactory(unit=unit)
    contact = UserFactory(role=roles.AGENCY_CONTACT)
    AgencyContactAccessFactory(user=contact, agency=mine)
    AgencyContactAccessFactory(user=contact, agency=also_mine)
    assert set(agencies_for(contact)) == {mine, also_mine}
    assert set(contact_agencies(contact)) == {mine, also_mine}
    assert other not in agencies_for(contact)
    assert not invoices_for(contact).exclude(agency__in=[mine, also_mine]).exists()


@pytest.mark.django_db
def test_staff_are_linked_to_no_agency_as_contacts(case_handler, unit):
    AgencyFactory(unit=unit)
    assert agencies_for(case_handler).count() == 1
    assert contact_agencies(case_handler).count() == 0


@pytest.mark.django_db
def test_the_fence_refuses_an_agency_contact_every_staff_page(client, agency_contact):
    client.force_login(agency_contact)
    for name in ["customers:agency_list", "payroll:queue", "invoicing:invoice_list", "search", "accounts:user_list"]:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("home")).status_code in (200, 302)


@pytest.mark.django_db
def test_a_contact_who_is_also_staff_is_not_fenced(client, case_handler):
    case_handler.groups.add(*UserFactory(role=roles.AGENCY_CONTACT).groups.all())
    client.force_login(case_handler)
    assert client.get(reverse("payroll:queue")).status_code == 200
