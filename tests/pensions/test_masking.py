"""People with protected identity are masked on every pension page and export, exactly as payroll
masks them (people.identity); users allowed to see them are logged when they do."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from people.identity import MASK
from people.models import ProtectedIdentityAccess
from tests import factories


@pytest.fixture
def protected(db):
    return factories.PersonFactory(name="Hemlig Person", personnummer="19470312-1238", protected_identity=True)


@pytest.fixture
def case(agency, handler, protected):
    return factories.PensionCaseFactory(agency=agency, handler=handler, person=protected)


@pytest.fixture
def allowed(unit):
    """Another pension handler of the unit who has been granted access to protected identities."""
    user = factories.UserFactory(role=roles.PENSION_HANDLER, unit=unit)
    user.user_permissions.add(
        Permission.objects.get(codename="view_protected_identity", content_type__app_label="people")
    )
    return user


PAGES = [
    lambda c: reverse("pensions:queue") + "?tab=team",
    lambda c: reverse("pensions:case_list"),
    lambda c: reverse("pensions:case_detail", args=[c.pk]),
]


@pytest.mark.parametrize("page", PAGES, ids=["queue", "list", "detail"])
def test_pages_mask_a_protected_person(client, pension_handler, case, page):
    client.force_login(pension_handler)
    body = client.get(page(case)).content.decode()
    assert "Hemlig Person" not in body and "19470312-1238" not in body
    assert MASK in body and "Skyddad identitet" in body
    assert not ProtectedIdentityAccess.objects.exists()


@pytest.mark.parametrize("page", PAGES, ids=["queue", "list", "detail"])
def test_allowed_user_sees_the_person_and_the_view_is_logged(client, allowed, case, page):
    client.force_login(allowed)
    body = client.get(page(case)).content.decode()
    assert "Hemlig Person" in body and "19470312-1238" in body
    access = ProtectedIdentityAccess.objects.get()
    assert (access.user, access.person) == (allowed, case.person)
    assert access.context.startswith("pensions:")


def test_signal_list_masks_a_protected_person(client, pension_handler, unit, agency, protected):
    item = factories.SignalItemFactory(signal_list__unit=unit, agency=agency, person=protected)
    client.force_login(pension_handler)
    body = client.get(reverse("pensions:signal_list_detail", args=[item.signal_list_id])).content.decode()
    assert "Hemlig Person" not in body and "19470312-1238" not in body and MASK in body


def test_csv_export_masks_a_protected_person(client, pension_handler, case, agency):
    open_person = factories.PensionCaseFactory(agency=agency, person__name="Öppen Person")
    client.force_login(pension_handler)
    response = client.get(reverse("pensions:case_export"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_case = {row["case"]: row for row in rows}
    assert by_case[case.number]["personnummer"] == MASK
    assert by_case[case.number]["name"] == "Skyddad identitet"
    assert by_case[open_person.number]["name"] == "Öppen Person"
    assert "19470312-1238" not in response.content.decode()


def test_excel_export_masks_and_logs_for_an_allowed_user(client, pension_handler, allowed, case):
    client.force_login(pension_handler)
    sheet = load_workbook(io.BytesIO(client.get(reverse("pensions:case_export"), {"format": "xlsx"}).content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "19470312-1238" not in values and MASK in values
    client.force_login(allowed)
    sheet = load_workbook(io.BytesIO(client.get(reverse("pensions:case_export"), {"format": "xlsx"}).content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "19470312-1238" in values and "Hemlig Person" in values
    assert ProtectedIdentityAccess.objects.filter(user=allowed, context__contains="export").count() == 1


def test_search_does_not_confirm_a_protected_persons_case(client, pension_handler, allowed, case):
    client.force_login(pension_handler)
    for text in ("19470312-1238", "4703121238", "Hemlig"):
        response = client.get(reverse("pensions:case_list"), {"q": text})
        assert response.context["table"].paginator.count == 0, text
    # The case number is not personal data: it still finds the case, masked.
    assert client.get(reverse("pensions:case_list"), {"q": case.number}).context["table"].paginator.count == 1
    client.force_login(allowed)
    assert client.get(reverse("pensions:case_list"), {"q": "4703121238"}).context["table"].paginator.count == 1


def test_export_formula_in_a_name_is_neutralised(client, pension_handler, agency):
    factories.PensionCaseFactory(agency=agency, person__name="=HYPERLINK(1)")
    client.force_login(pension_handler)
    content = client.get(reverse("pensions:case_export"), {"format": "csv"}).content.decode()
    assert "'=HYPERLINK(1)" in content
