"""The person register file (EPS): what a row changes, the signals it makes, and the file refused whole."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from payroll.models import Channel, PayrollCase
from people.models import Person
from register import imports
from register.models import FlaggedWork, PersonSignal, RegisterFile
from tests import factories
from tests.factories import refused

HEADER = "personnummer;name;care_of;street_address;postal_code;city;protected_identity;deceased_on\n"
RECEIVED, DEADLINE = dt.date(2025, 3, 3), dt.date(2025, 3, 10)


def _file(rows, header=HEADER):
    return io.BytesIO((header + "\n".join(rows) + "\n").encode("utf-8"))


def _import(rows, **kwargs):
    options = {"received_on": RECEIVED, "deadline": DEADLINE, "filename": "eps.csv"}
    return imports.import_register_file(file=_file(rows) if isinstance(rows, list) else rows, **{**options, **kwargs})


@pytest.fixture
def employee(unit):
    """A person with a payroll case of an agency of ``unit``."""
    agency = factories.AgencyFactory(unit=unit)
    person = factories.PersonFactory(
        name="Anna Berg", street_address="Storgatan 1", postal_code="111 22", city="Stockholm"
    )
    factories.PayrollCaseFactory(agency=agency, person=person)
    return person


def _row(person, *, name="Anna Berg", address=";Storgatan 1;111 22;Stockholm", protected="0", deceased=""):
    return f"{person.personnummer};{name};{address};{protected};{deceased}"


def test_a_known_person_gets_the_registers_name_and_address_and_a_signal_each(employee, unit):
    result = _import([_row(employee, name="Anna Lind", address="Per Lind;Ringvägen 5;11867;Stockholm")])

    assert result.imported, result.errors
    employee.refresh_from_db()
    assert employee.name == "Anna Lind"
    assert employee.address == "c/o Per Lind, Ringvägen 5, 118 67 Stockholm"
    signals = {s.kind: s for s in PersonSignal.objects.all()}
    assert set(signals) == {PersonSignal.Kind.NAME, PersonSignal.Kind.ADDRESS}
    assert (signals["name"].old_value, signals["name"].new_value) == ("Anna Berg", "Anna Lind")
    assert signals["address"].old_value == "Storgatan 1, 111 22 Stockholm"
    assert all(s.unit == unit and s.due_on == DEADLINE and s.is_open for s in signals.values())
    register_file = RegisterFile.objects.get()
    assert (register_file.rows, register_file.people_changed, register_file.unknown_rows) == (1, 1, 0)


def test_an_unchanged_person_gives_no_signal_and_an_unknown_person_is_left_out(employee):
    unknown = "19470312-1238;Okänd Person;;Väg 1;12345;Solna;0;"
    result = _import([_row(employee), unknown])

    assert result.imported, result.errors
    assert not PersonSignal.objects.exists()
    assert not Person.objects.filter(personnummer="19470312-1238").exists()
    assert RegisterFile.objects.get().unknown_rows == 1
    assert len(result.details) == 1 and result.details[0].startswith("1 ")


def test_a_row_without_an_address_keeps_the_address_on_record(employee):
    result = _import([_row(employee, address=";;;", protected="1")])

    assert result.imported, result.errors
    employee.refresh_from_db()
    assert employee.address == "Storgatan 1, 111 22 Stockholm"
    assert employee.protected_identity
    assert list(PersonSignal.objects.values_list("kind", "protected")) == [("protection_added", True)]


def test_protection_removed_by_the_register(employee):
    employee.protected_identity = True
    employee.save()

    assert _import([_row(employee, protected="0")]).imported
    employee.refresh_from_db()
    assert not employee.protected_identity
    assert PersonSignal.objects.get().kind == PersonSignal.Kind.PROTECTION_REMOVED


def test_a_signal_for_every_unit_with_work_for_the_person(employee, unit, other_unit):
    factories.PensionCaseFactory(person=employee, agency=factories.AgencyFactory(unit=other_unit), unit=other_unit)

    assert _import([_row(employee, name="Anna Lind")]).imported
    assert sorted(PersonSignal.objects.values_list("unit__code", flat=True)) == ["lon1", "lon2"]


def test_a_death_flags_open_cases_and_payments_not_yet_made(employee, unit):
    agency = factories.AgencyFactory(unit=unit)
    open_case = factories.PayrollCaseFactory(agency=agency, person=employee, status=PayrollCase.Status.REGISTERED)
    payout = factories.PayrollCaseFactory(
        agency=agency, person=employee, status=PayrollCase.Status.RECEIVED, channel=Channel.GIROVISION
    )
    granted = factories.decided_pension_case(person=employee, agency=agency, decided_on=dt.date(2025, 2, 3))
    factories.PayrollCaseFactory(agency=agency, person=employee)  # completed: not flagged

    result = _import([_row(employee, deceased="2025-02-20")])

    assert result.imported, result.errors
    employee.refresh_from_db()
    assert employee.died_on == dt.date(2025, 2, 20)
    death = PersonSignal.objects.get(kind=PersonSignal.Kind.DEATH)
    flags = {(f.payroll_case_id or f.pension_case_id, f.reason) for f in FlaggedWork.objects.filter(signal=death)}
    assert flags == {
        (open_case.pk, FlaggedWork.Reason.OPEN_CASE),
        (payout.pk, FlaggedWork.Reason.UNPAID),
        (granted.pk, FlaggedWork.Reason.UNPAID),
    }


def test_a_death_already_recorded_is_not_signalled_again(employee):
    employee.died_on = dt.date(2025, 2, 20)
    employee.save()

    assert _import([_row(employee, deceased="2025-02-20")]).imported
    assert not PersonSignal.objects.exists()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("19470312-1239;Namn;;Väg 1;12345;Solna;0;", "personnummer"),
        ("{pnr};;;Väg 1;12345;Solna;0;", "name"),
        ("{pnr};Namn;;Väg 1;1234;Solna;0;", "postal_code"),
        ("{pnr};Namn;;Väg 1;;Solna;0;", "street_address"),
        ("{pnr};Namn;;Väg 1;12345;Solna;ja;", "protected_identity"),
        ("{pnr};Namn;;Väg 1;12345;Solna;0;2025-02-30", "deceased_on"),
        ("{pnr};Namn;;Väg 1;12345;Solna;0;2025-04-01", "deceased_on"),
        ("{pnr};" + "N" * 151 + ";;Väg 1;12345;Solna;0;", "name"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(employee, row, column):
    good = _row(employee, name="Anna Lind")
    errors = refused(_import([good, row.format(pnr=employee.personnummer)]))

    assert [(e.row, e.column) for e in errors if e.column == column] == [(3, column)]
    employee.refresh_from_db()
    assert employee.name == "Anna Berg"
    assert not RegisterFile.objects.exists() and not PersonSignal.objects.exists()


def test_a_person_twice_and_a_file_imported_before_are_refused(employee):
    errors = refused(_import([_row(employee), _row(employee, name="Anna Lind")]))
    assert [(e.row, e.column) for e in errors] == [(3, "personnummer")]

    assert _import([_row(employee, name="Anna Lind")]).imported
    with translation.override("en"):
        errors = refused(_import([_row(employee, name="Anna Lind")]))
    assert "imported before" in errors[0].message
    assert RegisterFile.objects.count() == 1


def test_the_command_imports_with_the_default_deadline(employee, tmp_path):
    path = tmp_path / "eps.csv"
    path.write_text(HEADER + _row(employee, name="Anna Lind") + "\n", encoding="utf-8")

    call_command("import_person_register", str(path), "--received", "2025-03-03")
    assert PersonSignal.objects.get().due_on == dt.date(2025, 3, 10)  # five working days

    path.write_text(HEADER + "nope;;;;;;;\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rejected"):
        call_command("import_person_register", str(path))
