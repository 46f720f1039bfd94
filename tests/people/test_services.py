"""The one rule for writing people, and the one rule for finding them by number."""

import pytest
from django.core.exceptions import ValidationError

from people.models import Person
from people.selectors import matching_personnummer, searched_numbers, without_protected
from people.services import upsert_people, upsert_person
from tests import factories

NUMBER = "19650315-1232"


def test_a_new_number_becomes_a_person_with_the_name_given(db):
    person = upsert_person(personnummer="196503151232", name=" Anna Andersson ")
    assert (person.personnummer, person.name, person.protected_identity) == (NUMBER, "Anna Andersson", False)
    assert person.history.count() == 1


def test_a_known_name_is_never_overwritten_but_an_empty_one_is_filled_in(db):
    assert upsert_person(personnummer=NUMBER, name="").name == ""
    assert upsert_person(personnummer="650315-1232", name="Anna Andersson").name == "Anna Andersson"
    assert upsert_person(personnummer=NUMBER, name="Someone Else").name == "Anna Andersson"
    assert Person.objects.count() == 1


def test_protected_identity_is_added_never_removed(db):
    upsert_person(personnummer=NUMBER, protected_identity=True)
    assert upsert_person(personnummer=NUMBER, protected_identity=False).protected_identity
    assert Person.objects.get().protected_identity


def test_an_invalid_number_is_refused_and_nothing_written(db):
    with pytest.raises(ValidationError):
        upsert_person(personnummer="19650315-1233", name="Typo")
    assert not Person.objects.exists()


def test_many_people_at_once_follow_the_same_rule(db):
    known = factories.PersonFactory(personnummer="19121212-1212", name="")
    named = factories.PersonFactory(personnummer="19701063-2391", name="Kept")
    people = upsert_people(
        {"191212121212": "Filled In", "701063-2391": "Not This", NUMBER: "New", "6503151232": "Late"}
    )
    assert set(people) == {known.personnummer, named.personnummer, NUMBER}
    assert [people[n].name for n in (known.personnummer, named.personnummer, NUMBER)] == ["Filled In", "Kept", "New"]
    assert Person.objects.count() == 3 and people[NUMBER].history.count() == 1


@pytest.mark.parametrize("text", [NUMBER, "196503151232", "650315-1232", "6503151232", " 650315 1232 "])
def test_the_whole_number_in_any_form_finds_the_person(db, text):
    person = factories.PersonFactory(personnummer=NUMBER)
    assert list(Person.objects.filter(matching_personnummer(text))) == [person]


@pytest.mark.parametrize("text", ["650315", "19650315", "1232", "19650315-1233", "abc", "", "20650315-1232x"])
def test_part_of_a_number_or_a_wrong_one_finds_nobody(db, text):
    factories.PersonFactory(personnummer=NUMBER)
    assert not Person.objects.filter(matching_personnummer(text)).exists()


def test_ten_digits_mean_the_number_in_any_century():
    assert searched_numbers("121212-1212") == ["18121212-1212", "19121212-1212", "20121212-1212"]
    assert searched_numbers("20121212-1212") == ["20121212-1212"]


def test_protected_people_are_left_out_for_users_without_the_right(db, case_handler, administrator):
    factories.PersonFactory(personnummer=NUMBER, protected_identity=True)
    people = Person.objects.all()
    assert not without_protected(people, user=case_handler, person="").exists()
    assert without_protected(people, user=administrator, person="").exists()
