"""Customer messages (kundmeddelanden): a unit manager writes to all their agencies or chosen ones; each
agency's functional mailbox gets it through a real SMTP server, each send is recorded, the portal shows it."""

import pytest
from django.urls import reverse

from customers.models import AgencyNotice, CustomerMessage
from tests import factories
from tests.customers.test_notices import smtp  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(unit, other_unit):
    return {
        "RK": factories.AgencyFactory(unit=unit, code="RK", functional_mailbox="hr.rinkeby@stad.example.se"),
        "SK": factories.AgencyFactory(unit=unit, code="SK", functional_mailbox="hr.skarholmen@stad.example.se"),
        "VÄ": factories.AgencyFactory(unit=other_unit, code="VÄ", functional_mailbox="hr.vaster@stad.example.se"),
    }


def test_a_message_to_all_reaches_every_mailbox_of_the_managers_agencies_once(
    client,
    smtp,  # noqa: F811
    agencies,
    unit_manager,
    django_capture_on_commit_callbacks,
):
    client.force_login(unit_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("customers:message_create"),
            {"subject": "Ny blankett för tillägg", "body": "Från 1 april gäller version 3.", "to_all": "on"},
        )
    assert response.status_code == 302
    message = CustomerMessage.objects.get()
    assert message.to_all and sorted(a.code for a in message.agencies.all()) == ["RK", "SK"]
    assert sorted(to[0] for to, _m in smtp.mails) == ["hr.rinkeby@stad.example.se", "hr.skarholmen@stad.example.se"]
    notices = AgencyNotice.objects.filter(kind=AgencyNotice.Kind.CUSTOMER_MESSAGE)
    assert notices.count() == 2 and {n.created_by for n in notices} == {unit_manager}
    assert {n.status for n in notices} == {AgencyNotice.Status.SENT}
    # Shown in the portal of a contact of RK, not of Västerort's.
    rk = factories.AgencyContactAccessFactory(agency=agencies["RK"]).user
    va = factories.AgencyContactAccessFactory(agency=agencies["VÄ"]).user
    client.force_login(rk)
    assert "Från 1 april gäller version 3." in client.get(reverse("portal:message_list")).content.decode()
    client.force_login(va)
    assert "Ny blankett" not in client.get(reverse("portal:message_list")).content.decode()


def test_a_message_to_chosen_agencies_and_one_without_a_text_or_an_agency(client, agencies, unit_manager):
    client.force_login(unit_manager)
    url = reverse("customers:message_create")
    client.post(url, {"subject": "Möte", "body": "Kundmöte 12 mars.", "agencies": [agencies["SK"].pk]})
    assert [a.code for a in CustomerMessage.objects.get().agencies.all()] == ["SK"]
    assert client.post(url, {"subject": "Tom", "body": "", "to_all": "on"}).status_code == 200
    assert client.post(url, {"subject": "Ingen", "body": "Text"}).status_code == 200
    # Another unit's agency is not the unit manager's to write to.
    assert client.post(url, {"subject": "Fel", "body": "Text", "agencies": [agencies["VÄ"].pk]}).status_code == 200
    assert CustomerMessage.objects.count() == 1


def test_a_case_handler_cannot_write_customer_messages(client, case_handler):
    client.force_login(case_handler)
    assert client.get(reverse("customers:message_create")).status_code == 403
