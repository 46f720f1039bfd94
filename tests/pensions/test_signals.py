"""Signal lists: import (all or nothing, errors by row and column), deadlines, handling, cases."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from pensions import imports
from pensions.models import PensionCase, SignalItem, SignalList
from people.models import Person
from tests import factories
from tests.factories import refused

HEADER = "personnummer;agency;signal;event_date;name;due_date;note\n"
GOOD = [
    "19470312-1238;SDF01;retirement;2012-05-01;Gösta Berg;;",
    "470115-1237;sdf01;death;2012-02-20;Elsa Ek;2012-03-15;Make avliden",
]


def _file(rows, header=HEADER):
    return io.BytesIO((header + "\n".join(rows) + "\n").encode("utf-8"))


def _import(unit, rows, **kwargs):
    options = {
        "provider": "kpa",
        "name": "KPA mars 2012",
        "unit": unit,
        "received_on": dt.date(2012, 3, 1),
        "deadline": dt.date(2012, 3, 30),
    }
    return imports.import_signal_list(file=_file(rows) if isinstance(rows, list) else rows, **{**options, **kwargs})


def _nothing_written():
    return not SignalList.objects.exists() and not SignalItem.objects.exists() and not Person.objects.exists()


def test_a_list_is_imported_with_its_items_and_deadlines(unit, agency, pension_handler):
    signal_list = _import(unit, GOOD, user=pension_handler).target
    items = list(signal_list.items.order_by("row"))
    assert [(i.row, i.signal, i.due_on) for i in items] == [
        (2, "retirement", dt.date(2012, 3, 30)),  # the list's deadline
        (3, "death", dt.date(2012, 3, 15)),  # its own
    ]
    assert items[1].person.personnummer == "19470115-1237" and items[1].person.name == "Elsa Ek"
    assert items[1].note == "Make avliden" and items[0].agency == agency
    assert signal_list.imported_by == pension_handler


def test_a_known_person_is_reused_and_keeps_their_protection(unit, agency):
    known = factories.PersonFactory(personnummer="19470312-1238", name="Riktigt Namn", protected_identity=True)
    signal_list = _import(unit, GOOD[:1]).target
    item = signal_list.items.get()
    assert item.person == known
    known.refresh_from_db()
    assert known.name == "Riktigt Namn" and known.protected_identity


@pytest.mark.parametrize(
    "row, column",
    [
        ("19470312-1234;SDF01;retirement;2012-05-01;;;", "personnummer"),
        ("19470312-1238;NOPE;retirement;2012-05-01;;;", "agency"),
        ("19470312-1238;SDF01;birthday;2012-05-01;;;", "signal"),
        ("19470312-1238;SDF01;retirement;1/5 2012;;;", "event_date"),
        ("19470312-1238;SDF01;retirement;2012-05-01;;2012-13-01;", "due_date"),
        ("19470312-1238;SDF01;retirement;2012-05-01;;2012-04-15;", "due_date"),  # after the list's deadline
        ("19470312-1238;SDF01;retirement;2012-05-01;;2012-02-01;", "due_date"),  # before it arrived
        ("19470312-1238;SDF01;retirement;2012-05-01", ""),  # too few cells
        ("19470312-1238;SDF01;retirement;2012-05-01;;;;extra", ""),  # too many
    ],
)
def test_each_kind_of_row_error_rejects_the_whole_file(unit, agency, row, column):
    rejected_errors = refused(_import(unit, [GOOD[0], row]))
    errors = rejected_errors
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert _nothing_written()


def test_the_same_signal_twice_is_an_error_naming_the_first_row(unit, agency):
    rejected_errors = refused(_import(unit, [GOOD[0], GOOD[1], GOOD[0]]))
    (error,) = rejected_errors
    assert (error.row, error.column) == (4, "personnummer")
    assert "2" in error.message
    assert _nothing_written()


def test_every_error_is_reported_not_just_the_first(unit, agency):
    rows = ["1;SDF01;retirement;2012-05-01;;;", "19470312-1238;X;death;2012;;;"]
    rejected_errors = refused(_import(unit, rows))
    assert [(e.row, e.column) for e in rejected_errors] == [
        (2, "personnummer"),
        (3, "agency"),
        (3, "event_date"),
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"personnummer;agency;signal\n19470312-1238;SDF01;retirement\n",  # event_date missing
        b"personnummer;agency;signal;event_date;colour\n",  # unknown column
        "personnummer;agency;signal;event_date\n19470312-1238;SDF01;retirement;2012-05-01;Åsa\n".encode("latin-1"),
        b"personnummer;agency;signal;event_date\n",  # no rows
    ],
    ids=["empty", "missing-column", "unknown-column", "not-utf8", "no-rows"],
)
def test_a_broken_file_is_rejected_whole(unit, agency, content):
    refused(_import(unit, io.BytesIO(content)))
    assert _nothing_written()


def test_deadline_before_receipt_is_refused(unit, agency):
    refused(_import(unit, GOOD, deadline=dt.date(2012, 2, 1)))
    assert _nothing_written()


def test_upload_page_imports_and_shows_the_list(client, pension_handler, unit, agency):
    client.force_login(pension_handler)
    upload = io.BytesIO((HEADER + "\n".join(GOOD)).encode())
    upload.name = "kpa.csv"
    response = client.post(
        reverse("pensions:signal_list_import"),
        {"provider": "kpa", "name": "KPA mars", "unit": unit.pk, "received_on": "2012-03-01",
         "deadline": "2012-03-30", "file": upload},
    )  # fmt: skip
    signal_list = SignalList.objects.get()
    assert response["Location"] == reverse("pensions:signal_list_detail", args=[signal_list.pk])
    assert signal_list.source_filename == "kpa.csv" and signal_list.items.count() == 2


def test_upload_page_lists_errors_by_row_and_column_and_imports_nothing(client, pension_handler, unit, agency):
    client.force_login(pension_handler)
    upload = io.BytesIO((HEADER + GOOD[0] + "\n19470312-1238;NOPE;retirement;2012-05-01;;;\n").encode())
    upload.name = "kpa.csv"
    response = client.post(
        reverse("pensions:signal_list_import"),
        {"provider": "kpa", "name": "KPA mars", "unit": unit.pk, "received_on": "2012-03-01",
         "deadline": "2012-03-30", "file": upload},
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "Filen avvisades. Ingenting importerades." in body
    assert "<td>3</td><td>agency</td><td>ingen förvaltning har koden NOPE</td>" in body
    assert _nothing_written()


def test_command_imports_and_refuses_a_bad_file(tmp_path, unit, agency):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\n".join(GOOD), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_signal_list", str(good), provider="afa", name="AFA", unit=unit.code, received="2012-03-01",
        deadline="2012-03-30", stdout=out,
    )  # fmt: skip
    assert "2 signals" in out.getvalue() or "2 signaler" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "19470312-1238;SDF01;nothing;2012-05-01;;;", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_signal_list", str(bad), provider="afa", name="AFA 2", unit=unit.code, received="2012-03-01",
            deadline="2012-03-30", stderr=err,
        )  # fmt: skip
    assert "Rad 2, kolumn signal" in err.getvalue() or "Row 2, column signal" in err.getvalue()
    assert SignalList.objects.count() == 1


def test_overdue_signals_are_flagged_on_the_lists_and_the_list(client, pension_handler, unit, agency):
    today = timezone.localdate()
    late_list = factories.SignalListFactory(
        unit=unit, received_on=today - dt.timedelta(days=30), deadline=today - dt.timedelta(days=2)
    )
    late = factories.SignalItemFactory(signal_list=late_list, agency=agency)
    factories.SignalItemFactory(
        signal_list=late_list, agency=agency, status="handled", handled_on=today - dt.timedelta(days=5)
    )
    client.force_login(pension_handler)
    lists = client.get(reverse("pensions:signal_lists"))
    assert "1 signal har passerat sista dag och är fortfarande öppen." in lists.content.decode()
    record = next(row.record for row in lists.context["table"].rows)
    assert (record.item_count, record.open_count, record.overdue_count) == (2, 1, 1)
    detail = client.get(reverse("pensions:signal_list_detail", args=[late_list.pk]), {"overdue": "on"})
    assert [row.record.pk for row in detail.context["table"].rows] == [late.pk]
    assert "Sista dag passerad" in detail.content.decode()


def test_handling_a_signal_records_who_and_when(client, pension_handler, handler, unit, agency):
    item = factories.SignalItemFactory(signal_list__unit=unit, agency=agency)
    client.force_login(pension_handler)
    response = client.post(reverse("pensions:signal_item_handle", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.handled_by, item.handled_on) == ("handled", handler, timezone.localdate())
    client.post(reverse("pensions:signal_item_handle", args=[item.pk]))  # twice: refused with a message
    item.refresh_from_db()
    assert item.status == "handled"
    client.post(reverse("pensions:signal_item_reopen", args=[item.pk]))
    item.refresh_from_db()
    assert (item.status, item.handled_on) == ("open", None)


def test_a_signal_turned_into_a_case_carries_its_person_agency_and_deadline(client, pension_handler, handler, unit,
                                                                            agency):  # fmt: skip
    item = factories.SignalItemFactory(
        signal_list__unit=unit, agency=agency, signal="death", due_on=dt.date(2012, 3, 20)
    )
    client.force_login(pension_handler)
    response = client.post(reverse("pensions:signal_item_case", args=[item.pk]), {"kind": "survivor"})
    case = PensionCase.objects.get()
    assert response["Location"] == reverse("pensions:case_detail", args=[case.pk])
    assert (case.kind, case.person, case.agency, case.unit) == ("survivor", item.person, agency, unit)
    assert (case.received_on, case.due_on, case.handler) == (dt.date(2012, 3, 1), dt.date(2012, 3, 20), handler)
    item.refresh_from_db()
    assert (item.status, item.case) == ("case", case)
    assert client.post(reverse("pensions:signal_item_case", args=[item.pk])).status_code == 302
    assert PensionCase.objects.count() == 1  # not twice


def test_another_units_signals_are_not_found(client, pension_handler, other_unit):
    item = factories.SignalItemFactory(signal_list__unit=other_unit)
    client.force_login(pension_handler)
    assert client.get(reverse("pensions:signal_list_detail", args=[item.signal_list_id])).status_code == 404
    assert client.post(reverse("pensions:signal_item_handle", args=[item.pk])).status_code == 404
    assert client.post(reverse("pensions:signal_item_case", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.status == "open"


def test_unit_manager_reads_signal_lists_without_action_buttons(client, unit_manager, unit, agency):
    item = factories.SignalItemFactory(signal_list__unit=unit, agency=agency)
    client.force_login(unit_manager)
    response = client.get(reverse("pensions:signal_list_detail", args=[item.signal_list_id]))
    assert response.status_code == 200
    assert reverse("pensions:signal_item_handle", args=[item.pk]) not in response.content.decode()
    assert client.post(reverse("pensions:signal_item_handle", args=[item.pk])).status_code == 403


def test_the_command_finds_the_unit_by_its_name_too(tmp_path, unit, agency):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\n".join(GOOD), encoding="utf-8")
    call_command(
        "import_signal_list", str(good), provider="afa", name="AFA", unit=unit.name.upper(), received="2012-03-01",
        deadline="2012-03-30", stdout=io.StringIO(),
    )  # fmt: skip
    assert SignalList.objects.get().unit == unit
