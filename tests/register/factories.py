"""Factories of the person register (EPS), beside the shared ones in tests/factories.py."""

import datetime as dt

import factory

from register.models import PersonSignal, RegisterFile
from tests.factories import PersonFactory


class RegisterFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegisterFile

    received_on = dt.date(2025, 3, 3)
    deadline = dt.date(2025, 3, 10)
    sha256 = factory.Sequence(lambda n: f"{n:064d}")
    source_filename = "eps-2025-03.csv"


class PersonSignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonSignal

    register_file = factory.SubFactory(RegisterFileFactory)
    row = factory.Sequence(lambda n: n + 2)
    person = factory.SubFactory(PersonFactory)
    kind = PersonSignal.Kind.ADDRESS
    old_value = "Storgatan 1, 111 22 Stockholm"
    new_value = "Lillgatan 2, 111 33 Stockholm"
    due_on = dt.date(2025, 3, 10)
