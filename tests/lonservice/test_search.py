"""The top bar's search: cases by number, employees by number or name, agencies by code or name,
grouped by kind and scoped by unit; a protected person is found only by those allowed to see them,
and nobody else can tell from the page — its hits, counts, words or length — that they exist."""

import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.http import urlencode

from accounts import roles
from people.identity import MASKED_NAME
from people.models import ProtectedIdentityAccess
from tests import factories

pytestmark = pytest.mark.django_db

SECRET_NAME = "Hemlig Hemligsson"
# Valid numbers (check digit) nobody in the tests has.
UNUSED_NUMBER = "19121212-1212"


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(unit=unit, code="SDF01", name="Stadsdelsförvaltning Norr")


@pytest.fixture
def foreign_agency(other_unit):
    return factories.AgencyFactory(unit=other_unit, code="FF09", name="Fastighetsförvaltningen")


@pytest.fixture
def secret(agency):
    return factories.PersonFactory(name=SECRET_NAME, protected_identity=True)


@pytest.fixture
def secret_case(agency, secret):
    return factories.ManualCaseFactory(agency=agency, person=secret)


@pytest.fixture
def secrecy_handler(unit):
    user = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit)
    user.groups.add(Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP))
    return user


def _search(client, text, **extra):
    return client.get(reverse("search"), {"q": text}, **extra)


def _groups(response):
    return {group.key: group for group in response.context["groups"]}


def test_a_case_number_goes_straight_to_the_case(client, case_handler, agency):
    case = factories.ManualCaseFactory(agency=agency)
    client.force_login(case_handler)
    for typed in (f"L-{case.pk}", f"l{case.pk}", f" L {case.pk} "):
        response = _search(client, typed)
        assert response.status_code == 302, typed
        assert response.url == reverse("payroll:case_detail", args=[case.pk])


def test_a_pension_case_number_goes_straight_to_the_case(client, pension_handler, agency):
    case = factories.PensionCaseFactory(agency=agency, number="PE-2012-00042")
    client.force_login(pension_handler)
    response = _search(client, "pe-2012-00042")
    assert response.status_code == 302 and response.url == reverse("pensions:case_detail", args=[case.pk])
    # A part of the number lists it instead.
    response = _search(client, "2012-00042")
    assert [hit.title for hit in _groups(response)["pensions"].hits] == ["PE-2012-00042"]


def test_results_are_grouped_by_kind(client, unit_manager, agency):
    person = factories.PersonFactory(name="Sara Stadsdel")
    factories.ManualCaseFactory(agency=agency, person=person)
    factories.PensionCaseFactory(agency=agency, person=factories.PersonFactory(name="Stig Stadsdelsson"))
    client.force_login(unit_manager)
    groups = _groups(_search(client, "stadsdel"))
    assert [hit.title for hit in groups["people"].hits] == ["Sara Stadsdel", "Stig Stadsdelsson"]
    assert [hit.title for hit in groups["agencies"].hits] == ["SDF01 Stadsdelsförvaltning Norr"]
    assert "payroll" not in groups and "pensions" not in groups  # a name finds people, not every case
    html = _search(client, "stadsdel").content.decode()
    assert html.index('id="group-people"') < html.index('id="group-agencies"')


def test_a_personal_identity_number_finds_the_person_and_their_cases(client, case_handler, agency):
    person = factories.PersonFactory(name="Åsa Öberg")
    case = factories.ManualCaseFactory(agency=agency, person=person)
    client.force_login(case_handler)
    digits = person.personnummer.replace("-", "")
    for typed in (person.personnummer, digits, digits[2:], f"{digits[2:8]}-{digits[8:]}"):
        groups = _groups(_search(client, typed))
        assert [hit.title for hit in groups["people"].hits] == ["Åsa Öberg"], typed
        assert [hit.title for hit in groups["payroll"].hits] == [case.reference], typed
    # A part of the number finds nobody.
    assert _search(client, digits[:8]).context["groups"] == []


def test_words_of_a_name_in_any_order(client, case_handler, agency):
    factories.ManualCaseFactory(agency=agency, person=factories.PersonFactory(name="Anna Karin Lind"))
    client.force_login(case_handler)
    assert [h.title for h in _groups(_search(client, "lind anna"))["people"].hits] == ["Anna Karin Lind"]
    assert _search(client, "a").context["groups"] == []  # one letter is no search


def test_an_agency_by_code_first(client, finance, agency, foreign_agency):
    factories.AgencyFactory(unit=agency.unit, code="XSDF01X", name="Annan")
    client.force_login(finance)
    hits = _groups(_search(client, "sdf01"))["agencies"].hits
    assert [hit.title for hit in hits] == ["SDF01 Stadsdelsförvaltning Norr", "XSDF01X Annan"]
    # Finance sees no cases or people at all: only the agencies group.
    assert set(_groups(_search(client, "sdf01"))) == {"agencies"}


def test_another_units_cases_people_and_agencies_are_not_found(client, case_handler, foreign_agency):
    person = factories.PersonFactory(name="Främling Utanför")
    case = factories.ManualCaseFactory(agency=foreign_agency, person=person)
    pension = factories.PensionCaseFactory(agency=foreign_agency, number="PE-2012-07777")
    client.force_login(case_handler)
    for typed in (f"L-{case.pk}", person.personnummer, "Främling", "FF09", "Fastighets", pension.number):
        response = _search(client, typed)
        assert response.status_code == 200 and response.context["groups"] == [], typed
    # The head of service sees every unit.
    head = factories.UserFactory(role=roles.HEAD_OF_SERVICE)
    client.force_login(head)
    assert _search(client, f"L-{case.pk}").status_code == 302
    assert set(_groups(_search(client, "Främling"))) == {"people"}


def test_a_person_only_in_another_units_cases_is_not_found_through_own_cases_of_others(
    client, case_handler, agency, foreign_agency
):
    """Someone with a case in each unit is found, but the group lists only the own unit's case."""
    person = factories.PersonFactory(name="Delad Person")
    own = factories.ManualCaseFactory(agency=agency, person=person)
    factories.ManualCaseFactory(agency=foreign_agency, person=person)
    client.force_login(case_handler)
    groups = _groups(_search(client, person.personnummer))
    assert [hit.title for hit in groups["payroll"].hits] == [own.reference]


def test_payroll_handlers_find_no_pension_cases(client, case_handler, agency):
    case = factories.PensionCaseFactory(agency=agency, number="PE-2012-00099")
    client.force_login(case_handler)
    assert _search(client, case.number).context["groups"] == []


# --- hostile: protected identity ------------------------------------------------------------------------


def _normalised(response, text):
    """The page with what differs between any two searches taken out: the typed text and the CSRF tokens."""
    html = response.content.decode()
    for form in (urlencode({"q": text})[2:], quote(text), text):
        html = html.replace(form, "QUERY")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("how", ["name", "surname", "number", "ten digits"])
def test_a_protected_person_is_indistinguishable_from_nobody(client, case_handler, secret, secret_case, how):
    """For a case handler without the right, searching a protected person's name or number gives
    byte for byte the page a search for someone who does not exist gives."""
    client.force_login(case_handler)
    digits = secret.personnummer.replace("-", "")
    typed, absent = {
        "name": (SECRET_NAME, "Okänd Okändsson"),
        "surname": ("Hemligsson", "Okändsson"),
        "number": (secret.personnummer, UNUSED_NUMBER),
        "ten digits": (digits[2:], UNUSED_NUMBER.replace("-", "")[2:]),
    }[how]
    found = _search(client, typed)
    nobody = _search(client, absent)
    assert found.status_code == nobody.status_code == 200
    assert found.context["groups"] == nobody.context["groups"] == []
    assert _normalised(found, typed) == _normalised(nobody, absent)
    # The page says the typed text back (the field, the language switch's return address), and only that.
    assert SECRET_NAME not in _normalised(found, typed) and secret.personnummer not in _normalised(found, typed)
    assert not ProtectedIdentityAccess.objects.exists()


def test_a_protected_person_is_not_counted_among_others(client, case_handler, agency, secret, secret_case):
    """A name shared with others: the protected person is not among the hits, nor in the count."""
    factories.ManualCaseFactory(agency=agency, person=factories.PersonFactory(name="Hemlig Öppen"))
    client.force_login(case_handler)
    people = _groups(_search(client, "Hemlig"))["people"]
    assert [hit.title for hit in people.hits] == ["Hemlig Öppen"] and not people.more
    html = _search(client, "Hemlig").content.decode()
    assert SECRET_NAME not in html and "badge warn" not in html  # no "protected identity" badge


def test_a_protected_persons_case_by_its_number_is_masked(client, case_handler, secret, secret_case):
    """The case is the unit's own work (it is in the queue, masked): its number finds it, masked."""
    client.force_login(case_handler)
    response = client.get(reverse("search"), {"q": f"L-{secret_case.pk}"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain and SECRET_NAME not in html and secret.personnummer not in html
    # The case number together with a name search: only the case, masked; the person stays hidden.
    groups = top_search_groups(case_handler, f"L-{secret_case.pk}")
    (hit,) = groups["payroll"].hits
    assert hit.protected and hit.details[0] == str(MASKED_NAME) and SECRET_NAME not in str(hit)
    assert "people" not in groups


def top_search_groups(user, text):
    from lonservice.search import search

    return {group.key: group for group in search(user, text)}


def test_people_allowed_find_a_protected_person_and_it_is_logged(client, secrecy_handler, secret, secret_case):
    client.force_login(secrecy_handler)
    groups = _groups(_search(client, SECRET_NAME))
    assert [hit.title for hit in groups["people"].hits] == [SECRET_NAME]
    assert groups["people"].hits[0].protected
    access = ProtectedIdentityAccess.objects.get()
    assert access.user == secrecy_handler and access.person == secret and access.context == "search"
    groups = _groups(_search(client, secret.personnummer))
    assert [hit.title for hit in groups["payroll"].hits] == [secret_case.reference]


def test_allowed_but_in_another_unit_finds_nothing(client, other_unit, secret, secret_case):
    """The right to see protected identities does not widen the unit: another unit's person stays unfound."""
    outsider = factories.UserFactory(role=roles.CASE_HANDLER, unit=other_unit)
    outsider.groups.add(Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP))
    client.force_login(outsider)
    for typed in (SECRET_NAME, secret.personnummer, f"L-{secret_case.pk}"):
        assert _search(client, typed).context["groups"] == [], typed
    assert not ProtectedIdentityAccess.objects.exists()


@pytest.mark.parametrize(
    "typed",
    [
        "' OR 1=1 --",
        "%",
        "_",
        "%%%%",
        "<script>alert(1)</script>",
        "L-99999999999999",
        "L-",
        "\x00",
        "x" * 5000,
        "19650315-1232; DROP TABLE people_person",
        "PE-%",
    ],
)
def test_hostile_text_finds_nothing_and_is_escaped(client, case_handler, agency, secret, secret_case, typed):
    factories.ManualCaseFactory(agency=agency, person=factories.PersonFactory(name="Vanlig Person"))
    client.force_login(case_handler)
    response = _search(client, typed)
    assert response.status_code == 200
    assert response.context["groups"] == []
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert SECRET_NAME not in html


def test_the_top_bar_has_the_search_field(client, case_handler):
    client.force_login(case_handler)
    html = client.get(reverse("home")).content.decode()
    assert 'role="search"' in html and 'id="topsearch-q"' in html and f'action="{reverse("search")}"' in html
