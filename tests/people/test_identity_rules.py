"""Masking of protected identities, pinned rule by rule (mutation testing, bench/mutation.md): one
module, people.identity, decides who sees a protected person and logs every unmasked view."""

import random

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from personnummer import personnummer

from people import identity
from people.models import ProtectedIdentityAccess
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def protected():
    return factories.PersonFactory(name="Hemlig Person", personnummer="19470312-1238", protected_identity=True)


@pytest.fixture
def open_person():
    return factories.PersonFactory(name="Öppen Person", personnummer="19121212-1212")


@pytest.fixture
def allowed():
    user = factories.UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="view_protected_identity", content_type__app_label="people")
    )
    return user


@pytest.fixture
def not_allowed():
    return factories.UserFactory()


def test_a_protected_person_is_masked_for_a_user_without_the_right(protected, not_allowed):
    with translation.override("sv"):
        assert identity.display_personnummer(protected, not_allowed) == "******-****"
        assert identity.display_name(protected, not_allowed) == "Skyddad identitet"


def test_a_protected_person_is_shown_to_a_user_with_the_right(protected, allowed):
    assert identity.display_personnummer(protected, allowed) == "19470312-1238"
    assert identity.display_name(protected, allowed) == "Hemlig Person"


def test_a_person_without_protected_identity_is_never_masked(open_person, not_allowed):
    assert identity.display_personnummer(open_person, not_allowed) == "19121212-1212"
    assert identity.display_name(open_person, not_allowed) == "Öppen Person"


def test_only_a_signed_in_user_with_the_permission_sees_protected_identities(allowed, not_allowed):
    assert identity.can_see_protected(allowed) is True
    assert identity.can_see_protected(not_allowed) is False
    assert identity.can_see_protected(AnonymousUser()) is False
    assert identity.can_see_protected(None) is False


def test_an_unmasked_view_is_logged_for_the_protected_people_only(protected, open_person, allowed):
    identity.log_unmasked_view(allowed, [protected, open_person], "payroll case list")
    access = ProtectedIdentityAccess.objects.get()
    assert (access.user, access.person, access.context) == (allowed, protected, "payroll case list")


def test_nothing_is_logged_for_a_user_who_saw_only_masks(protected, not_allowed):
    identity.log_unmasked_view(not_allowed, [protected], "payroll case list")
    assert not ProtectedIdentityAccess.objects.exists()


def test_the_logged_context_is_cut_to_its_column(protected, allowed):
    identity.log_unmasked_view(allowed, [protected], "x" * 250)
    assert ProtectedIdentityAccess.objects.get().context == "x" * 200


def test_seeing_a_protected_persons_document_is_refused_without_the_right(protected, not_allowed):
    with pytest.raises(PermissionDenied):
        identity.require_sight_of(not_allowed, protected, "payroll document L-1")
    assert not ProtectedIdentityAccess.objects.exists()


def test_seeing_a_protected_persons_document_with_the_right_is_logged(protected, allowed):
    identity.require_sight_of(allowed, protected, "payroll document L-1")
    assert ProtectedIdentityAccess.objects.get().context == "payroll document L-1"


def test_a_document_of_a_person_without_protection_is_neither_refused_nor_logged(open_person, not_allowed, allowed):
    identity.require_sight_of(not_allowed, open_person, "payroll document L-1")
    identity.require_sight_of(allowed, open_person, "payroll document L-1")
    assert not ProtectedIdentityAccess.objects.exists()


@pytest.mark.parametrize(
    ("context", "label"),
    [
        ("pensions: case export (csv)", "Pensionsärenden nedladdade (CSV)"),
        ("payroll case export (xlsx)", "Löneärenden nedladdade (Excel)"),
        ("payroll case export (pdf)", "Löneärenden nedladdade (PDF)"),
        ("payroll case L-2012-7", "Löneärende L-2012-7"),
        ("payroll work queue", "Arbetskön för lön"),
        ("something else", "something else"),
        ("", ""),
    ],
)
def test_the_log_says_where_in_the_readers_words(context, label):
    with translation.override("sv"):
        assert identity.context_label(context) == label


def test_a_personnummer_is_normalised_with_surrounding_spaces_removed():
    assert identity.normalize_personnummer("  121212-1212 ") == "20121212-1212"
    identity.validate_personnummer("121212-1212")


def test_a_refused_personnummer_says_which_value_and_why():
    with pytest.raises(ValidationError) as refused:
        identity.validate_personnummer(" 12345 ")
    assert refused.value.code == "invalid_personnummer"
    assert refused.value.params == {"value": "12345"}
    with translation.override("sv"):
        assert refused.value.messages == ["12345 är inget giltigt svenskt personnummer."]


def test_a_refused_personnummer_quotes_at_most_forty_characters():
    with pytest.raises(ValidationError) as refused:
        identity.normalize_personnummer("9" * 60)
    assert refused.value.params == {"value": "9" * 40}


def test_a_missing_personnummer_is_refused_quoting_nothing():
    with pytest.raises(ValidationError) as refused:
        identity.normalize_personnummer(None)
    assert refused.value.params == {"value": ""}


def test_a_case_shows_its_own_copy_of_the_name_when_it_keeps_one(open_person, not_allowed):
    assert identity.display_name(open_person, not_allowed, name="Namn På Ärendet") == "Namn På Ärendet"
    assert identity.display_name(open_person, not_allowed) == "Öppen Person"


def _library_accepts(raw: str) -> bool:
    try:
        personnummer.parse(raw)
    except (personnummer.PersonnummerException, ValueError, TypeError):
        return False
    return True


def _canonical_forms(count: int) -> list[str]:
    """Numbers in the payroll system's form: birth and coordination days, leap days, serials 000…,
    every check digit (so most are wrong), the end of months and impossible days."""
    rng = random.Random(20261202)
    days = [1, 9, 10, 28, 29, 30, 31, 32, 59, 60, 61, 69, 70, 88, 89, 90, 91, 92, 99]
    forms = []
    for _i in range(count):
        year = rng.choice([1900, 1947, 1999, 2000, 2004, 2023, 2024, 1800 + rng.randrange(300)])
        day = rng.choice(days) if rng.random() < 0.4 else rng.randrange(1, 32)
        serial = rng.choice(["000", "001", "099", "100", "999"]) if rng.random() < 0.1 else f"{rng.randrange(1000):03d}"
        forms.append(f"{year:04d}{rng.randrange(1, 13):02d}{day:02d}-{serial}{rng.randrange(10)}")
    return forms


def test_the_fast_check_of_a_canonical_number_agrees_with_the_library_on_every_number():
    forms = _canonical_forms(6000)
    accepted = [raw for raw in forms if _library_accepts(raw)]
    assert 300 < len(accepted) < len(forms) - 300  # both outcomes are well represented
    disagreements = [raw for raw in forms if identity._canonical(raw) != _library_accepts(raw)]
    assert disagreements == []


@pytest.mark.parametrize(
    ("raw", "valid"),
    [
        ("19121212-1212", True),  # the tax agency's test number
        ("19121212-1213", False),  # wrong check digit
        ("19121272-1219", True),  # coordination number (day 12 + 60)
        ("19121272-1210", False),
        ("20000229-0005", False),  # serial 000: no such birth number
        ("19000229-1234", False),  # 1900 was no leap year
        ("19470312-1238", True),
        ("1947031-21238", False),
    ],
)
def test_a_canonical_number_is_checked_as_the_tax_agency_does(raw, valid):
    assert identity._canonical(raw) is valid
    assert _library_accepts(raw) is valid
