"""The person register's pages: the queue scoped to the unit and masked, handling, the import page,
and protection added by the register masking the person on the payroll pages at once."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from people.models import ProtectedIdentityAccess
from register.models import PersonSignal
from tests import factories

from .factories import PersonSignalFactory
from .test_import import HEADER

SECRET = "Hemlig Hemligsson"
SECRET_ADDRESS = "Gömdvägen 9"


@pytest.fixture
def protected_signal(unit):
    person = factories.PersonFactory(name=SECRET, protected_identity=True)
    return PersonSignalFactory(
        unit=unit, person=person, protected=True, old_value="Öppen väg 1", new_value=f"{SECRET_ADDRESS}, 111 22 X"
    )


def test_the_queue_shows_only_the_units_signals_with_its_deadline(client, case_handler, unit, other_unit):
    mine = PersonSignalFactory(unit=unit, person=factories.PersonFactory(name="Anna Lind"), due_on=dt.date(2020, 1, 2))
    PersonSignalFactory(unit=other_unit, person=factories.PersonFactory(name="Bo Annan"))
    client.force_login(case_handler)

    page = client.get(reverse("register:queue")).content.decode()

    assert "Anna Lind" in page and mine.new_value in page
    assert "Bo Annan" not in page
    assert "Försenad" in page  # past its deadline


def test_a_protected_persons_name_and_address_are_masked(client, case_handler, protected_signal):
    client.force_login(case_handler)
    page = client.get(reverse("register:queue")).content.decode()

    assert SECRET not in page and SECRET_ADDRESS not in page
    assert protected_signal.person.personnummer not in page
    assert "Skyddad identitet" in page
    assert not ProtectedIdentityAccess.objects.exists()


def test_unmasked_only_with_need_to_know_and_logged(client, unit, protected_signal):
    user = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit)
    user.groups.add(Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP))
    client.force_login(user)
    page = client.get(reverse("register:queue")).content.decode()

    assert SECRET in page and SECRET_ADDRESS in page
    access = ProtectedIdentityAccess.objects.get()
    assert (access.user, access.person, access.context) == (user, protected_signal.person, "person register: signals")


def test_a_search_by_number_does_not_find_a_protected_person(client, case_handler, protected_signal):
    client.force_login(case_handler)
    response = client.get(reverse("register:queue"), {"personnummer": protected_signal.person.personnummer})
    assert protected_signal.pk not in [row.record.pk for row in response.context["table"].rows]


def test_handle_and_reopen(client, case_handler, unit):
    signal = PersonSignalFactory(unit=unit)
    client.force_login(case_handler)

    client.post(reverse("register:signal_handle", args=[signal.pk]), {"note": "Adress ändrad i lönesystemet"})
    signal.refresh_from_db()
    assert (signal.status, signal.handled_by, signal.note) == ("handled", case_handler, "Adress ändrad i lönesystemet")
    assert reverse("register:queue") in client.get(reverse("register:queue")).request["PATH_INFO"]

    client.post(reverse("register:signal_reopen", args=[signal.pk]))
    signal.refresh_from_db()
    assert signal.is_open and signal.handled_on is None


def test_the_head_of_service_imports_and_protection_masks_the_payroll_pages_at_once(
    client, head_of_service, case_handler, unit
):
    person = factories.PersonFactory(name="Cecilia Ny")
    factories.ManualCaseFactory(agency=factories.AgencyFactory(unit=unit), person=person, period="2025-02")
    client.force_login(case_handler)
    assert "Cecilia Ny" in client.get("/payroll/cases/").content.decode()

    client.force_login(head_of_service)
    upload = io.BytesIO(f"{HEADER}{person.personnummer};Cecilia Ny;;;;;1;\n".encode())
    upload.name = "eps.csv"
    response = client.post(
        reverse("register:file_import"), {"received_on": "2025-03-03", "deadline": "", "file": upload}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    signal = PersonSignal.objects.get()
    assert (signal.kind, signal.unit, signal.due_on) == ("protection_added", unit, dt.date(2025, 3, 10))

    client.force_login(case_handler)
    assert "Cecilia Ny" not in client.get("/payroll/cases/").content.decode()
    assert "Cecilia Ny" not in client.get(reverse("register:queue")).content.decode()


def test_a_bad_file_is_listed_row_by_row_on_the_page(client, head_of_service):
    client.force_login(head_of_service)
    upload = io.BytesIO(f"{HEADER}19470312-1239;Namn;;Väg 1;12345;Solna;0;\n".encode())
    upload.name = "eps.csv"
    response = client.post(reverse("register:file_import"), {"received_on": "2025-03-03", "file": upload})
    assert response.status_code == 400
    assert "personnummer" in response.content.decode()


def test_a_death_shows_on_the_open_payroll_case(client, case_handler, unit):
    from .test_import import _import, _row

    person = factories.PersonFactory(name="Gunnar Holm")
    case = factories.ManualCaseFactory(agency=factories.AgencyFactory(unit=unit), person=person, period="2025-02")
    assert _import([_row(person, name="Gunnar Holm", address=";;;", deceased="2025-02-20")]).imported

    client.force_login(case_handler)
    page = client.get(reverse("payroll:case_detail", args=[case.pk])).content.decode()
    assert "Avliden 2025-02-20 (folkbokföringen)" in page
