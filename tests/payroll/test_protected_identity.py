"""Protected identity: masked in every list, page, export and PDF unless the user may see it;
every unmasked view is logged."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts import roles
from payroll import services
from people.models import ProtectedIdentityAccess
from tests import factories

pytestmark = pytest.mark.django_db

SECRET_NAME = "Hemlig Hemligsson"


@pytest.fixture
def protected_case(unit, case_handler):
    person = factories.PersonFactory(name=SECRET_NAME, protected_identity=True)
    agency = factories.AgencyFactory(unit=unit)
    case = factories.ManualCaseFactory(agency=agency, person=person, handler=case_handler, period="2012-03")
    return case


@pytest.fixture
def secrecy_handler(unit):
    user = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit)
    user.groups.add(Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP))
    return user


def _pages(case):
    return [
        "/payroll/?bucket=team",
        "/payroll/cases/",
        f"/payroll/cases/{case.pk}/",
    ]


def test_pages_mask_name_and_number_for_a_case_handler(client, case_handler, protected_case):
    client.force_login(case_handler)
    number = protected_case.person.personnummer
    for url in _pages(protected_case):
        html = client.get(url).content.decode()
        assert SECRET_NAME not in html and number not in html, url
        assert "******-****" in html and "Protected identity" in html, url
    assert not ProtectedIdentityAccess.objects.exists()


def test_exports_mask_the_protected_person(client, case_handler, protected_case):
    client.force_login(case_handler)
    csv_text = client.get("/payroll/cases/export/?format=csv").content.decode()
    assert SECRET_NAME not in csv_text and protected_case.person.personnummer not in csv_text
    assert "******-****" in csv_text
    xlsx = client.get("/payroll/cases/export/?format=xlsx").content
    cells = [c for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True) for c in row]
    assert SECRET_NAME not in cells and protected_case.person.personnummer not in cells
    assert "******-****" in cells
    assert not ProtectedIdentityAccess.objects.exists()


def test_the_cover_letter_masks_the_protected_person(client, case_handler, protected_case):
    case_return = services.return_case(
        case=protected_case, user=case_handler, missing=["signature"], returned_on=dt.date(2012, 3, 6)
    )
    client.force_login(case_handler)
    response = client.get(f"/payroll/returns/{case_return.pk}/cover-letter.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert SECRET_NAME not in text and protected_case.person.personnummer not in text
    assert "******-****" in text and "Signature of the authorising manager" in text


def test_a_user_allowed_to_see_protected_identities_sees_them_and_every_view_is_logged(
    client, secrecy_handler, protected_case
):
    client.force_login(secrecy_handler)
    for url in _pages(protected_case):
        html = client.get(url).content.decode()
        assert SECRET_NAME in html and protected_case.person.personnummer in html, url
    csv_text = client.get("/payroll/cases/export/?format=csv").content.decode()
    assert SECRET_NAME in csv_text
    case_return = services.return_case(
        case=protected_case, user=secrecy_handler, missing=["signature"], returned_on=dt.date(2012, 3, 6)
    )
    pdf = client.get(f"/payroll/returns/{case_return.pk}/cover-letter.pdf").content
    assert SECRET_NAME in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    log = list(ProtectedIdentityAccess.objects.order_by("id").values_list("user", "person", "context"))
    assert [entry[2] for entry in log] == [
        "payroll work queue",
        "payroll case list",
        f"payroll case {protected_case.reference}",
        "payroll case export (csv)",
        f"payroll cover letter {protected_case.reference}",
    ]
    assert {(entry[0], entry[1]) for entry in log} == {(secrecy_handler.pk, protected_case.person.pk)}


def test_people_without_protected_identity_are_shown_and_not_logged(client, secrecy_handler, unit):
    case = factories.ManualCaseFactory(agency=factories.AgencyFactory(unit=unit))
    client.force_login(secrecy_handler)
    assert case.person.name in client.get(f"/payroll/cases/{case.pk}/").content.decode()
    assert not ProtectedIdentityAccess.objects.exists()


def test_only_administrators_and_the_protected_identity_group_hold_the_permission(users_by_role, secrecy_handler):
    allowed = {role for role, user in users_by_role.items() if user.has_perm("people.view_protected_identity")}
    assert allowed == {roles.ADMINISTRATOR}
    assert secrecy_handler.has_perm("people.view_protected_identity")


def test_searching_by_number_does_not_reveal_a_protected_person(client, case_handler, secrecy_handler, protected_case):
    url = f"/payroll/cases/?personnummer={protected_case.person.personnummer}"
    client.force_login(case_handler)
    response = client.get(url)
    assert list(response.context["table"].paginated_rows) == []
    assert "No cases match the filters." in response.content.decode()
    client.force_login(secrecy_handler)
    assert [r.record for r in client.get(url).context["table"].paginated_rows] == [protected_case]
