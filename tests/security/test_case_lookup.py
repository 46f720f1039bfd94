"""Registering a payroll case never looks a name up outside the user's scope (issue 14, item 4).

The case page showed the name on record for any number typed, another unit's employee's too, and
whether the number belonged to a protected person. A case now keeps its own copy of the name: as
typed, or as the user's own cases know it; never from another unit's cases, and for a protected
person only for users who may see protected identities.
"""

import pytest
from django.urls import reverse

from payroll.models import PayrollCase
from people.models import ProtectedIdentityAccess
from tests import factories

pytestmark = pytest.mark.django_db


def _register(client, agency, number, name=""):
    data = {
        "agency": agency.pk,
        "period": "2012-03",
        "personnummer": number,
        "name": name,
        "document_type": "change",
        "received_on": "2012-03-05",
        "channel": "manual",
    }
    response = client.post(reverse("payroll:case_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return PayrollCase.objects.order_by("-pk").first(), client.get(response["Location"]).content.decode()


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(unit=unit)


def test_another_units_employee_gives_no_name(client, case_handler, agency, other_unit):
    elsewhere = factories.PersonFactory(name="Främling Annanenhet")
    factories.PayrollCaseFactory(agency=factories.AgencyFactory(unit=other_unit), person=elsewhere)
    client.force_login(case_handler)
    case, page = _register(client, agency, elsewhere.personnummer)
    assert case.person == elsewhere and case.employee_name == ""
    assert "Främling" not in page
    # Nor does the top bar's search, though the person now has a case in the user's scope.
    found = client.get(reverse("search"), {"q": elsewhere.personnummer}).content.decode()
    assert "Främling" not in found
    # A second registration does not take the name from the first probe either.
    _, again = _register(client, agency, elsewhere.personnummer)
    assert "Främling" not in again


def test_the_units_own_case_fills_the_name_in(client, case_handler, agency):
    known = factories.PersonFactory(name="Känd Egenenhet")
    factories.PayrollCaseFactory(agency=agency, person=known, employee_name="Känd Egenenhet")
    client.force_login(case_handler)
    case, page = _register(client, agency, known.personnummer)
    assert case.employee_name == "Känd Egenenhet" and "Känd Egenenhet" in page


def test_a_typed_name_is_the_cases_own(client, case_handler, agency, other_unit):
    elsewhere = factories.PersonFactory(name="Främling Annanenhet")
    client.force_login(case_handler)
    case, page = _register(client, agency, elsewhere.personnummer, name="Skriven Själv")
    assert case.employee_name == "Skriven Själv" and "Skriven Själv" in page and "Främling" not in page
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Främling Annanenhet"  # the record is never overwritten


def test_a_protected_number_fills_in_nothing_and_the_probe_is_logged(client, case_handler, agency):
    protected = factories.PersonFactory(name="Hemlig Skyddad", protected_identity=True)
    factories.PayrollCaseFactory(agency=agency, person=protected, employee_name="Hemlig Skyddad")
    unknown = factories.PersonFactory.build().personnummer
    client.force_login(case_handler)
    first, _ = _register(client, agency, protected.personnummer)
    second, _ = _register(client, agency, unknown)
    # The look-up answers alike: no name from the record or the unit's cases, for either number.
    assert first.employee_name == second.employee_name == ""
    log = ProtectedIdentityAccess.objects.get(user=case_handler)
    assert log.person == protected and log.context == f"payroll case registered {first.reference}"


def test_a_user_with_the_right_gets_the_protected_name(client, case_handler, agency):
    from django.contrib.auth.models import Permission

    case_handler.user_permissions.add(Permission.objects.get(codename="view_protected_identity"))
    protected = factories.PersonFactory(name="Hemlig Skyddad", protected_identity=True)
    factories.PayrollCaseFactory(agency=agency, person=protected, employee_name="Hemlig Skyddad")
    client.force_login(case_handler)
    case, page = _register(client, agency, protected.personnummer)
    assert case.employee_name == "Hemlig Skyddad" and "Hemlig Skyddad" in page


def test_the_case_page_reads_the_cases_copy_not_the_record(client, case_handler, agency):
    person = factories.PersonFactory(name="Nytt Registernamn")
    case = factories.PayrollCaseFactory(agency=agency, person=person, employee_name="Gammalt Namn")
    client.force_login(case_handler)
    page = client.get(reverse("payroll:case_detail", args=[case.pk])).content.decode()
    assert "Gammalt Namn" in page and "Nytt Registernamn" not in page
    listed = client.get(reverse("payroll:case_list")).content.decode()
    assert "Gammalt Namn" in listed and "Nytt Registernamn" not in listed
