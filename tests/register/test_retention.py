"""The person register's data goes with the rest of a person's data after the retention limit."""

import datetime as dt

from audit.retention import purge_personal_data
from people.models import Person
from register.models import PersonSignal
from tests import factories

from .factories import PersonSignalFactory, RegisterFileFactory


def test_an_old_signal_is_emptied_and_the_address_goes_with_the_name(unit):
    person = factories.PersonFactory(name="Anna Gammal", street_address="Storgatan 1", postal_code="111 22", city="X")
    old_file = RegisterFileFactory(received_on=dt.date(2011, 3, 1), deadline=dt.date(2011, 3, 8))
    signal = PersonSignalFactory(
        register_file=old_file, person=person, unit=unit, status="handled", handled_on=dt.date(2011, 3, 4)
    )
    recent = factories.PersonFactory(name="Fia Ny")
    PersonSignalFactory(person=recent, unit=unit)  # open: kept

    purge_personal_data(today=dt.date(2020, 3, 1), years=7)

    person.refresh_from_db()
    assert (person.name, person.address) == ("", "")
    signal.refresh_from_db()
    assert (signal.old_value, signal.new_value) == ("", "")
    assert PersonSignal.history.filter(id=signal.pk).exclude(old_value="").count() == 0
    assert Person.objects.get(pk=recent.pk).name == "Fia Ny"
