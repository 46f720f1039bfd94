"""Importing agencies: every error kind rejects the whole file with row and column; re-import updates."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.csvimport import ImportRejected
from customers.imports import import_agencies
from customers.models import Agency
from organisation.models import Unit
from tests.factories import AgencyFactory, UnitFactory, refused

pytestmark = pytest.mark.django_db

GOOD = (
    "code;name;kind;unit\n"
    "RK;Rinkeby-Kista stadsdelsförvaltning;district;lon1\n"
    "UTB;Utbildningsförvaltningen;specialist;lon2\n"
)


def _file(text, encoding="utf-8"):
    return io.BytesIO(text.encode(encoding) if isinstance(text, str) else text)


def _errors(content):
    exc_errors = refused(import_agencies(_file(content)))
    return [(e.row, e.column) for e in exc_errors], ImportRejected(exc_errors)


@pytest.fixture
def units(unit, other_unit):
    return unit, other_unit


def test_a_good_file_creates_the_agencies(units):
    result = import_agencies(_file(GOOD))
    assert result.counts["created"] == 2 and result.details == ["Nya: RK, UTB"]
    rk = Agency.objects.get(code="RK")
    assert (rk.kind, rk.unit.code) == ("district", "lon1")


def test_reimporting_updates_and_counts_unchanged(units):
    import_agencies(_file(GOOD))
    changed = GOOD.replace("Utbildningsförvaltningen;specialist;lon2", "Utbildningsförvaltningen;specialist;lon1")
    result = import_agencies(_file(changed))
    assert (result.counts["created"], result.counts["updated"], result.counts["unchanged"]) == (0, 1, 1)
    assert result.details == ["Uppdaterade: UTB"]
    assert Agency.objects.get(code="UTB").unit.code == "lon1"
    assert Agency.objects.count() == 2


def test_a_new_unit_is_created(units):
    result = import_agencies(_file("code;name;kind;unit\nSK;Skarpnäck;district;Löneenhet 3\n"))
    assert result.counts["units_created"] == 1 and "Löneenhet 3" in result.message
    unit = Unit.objects.get(name="Löneenhet 3")
    assert unit.code == "loneenhet-3" and Agency.objects.get(code="SK").unit == unit


def test_units_are_found_by_name_too(units):
    import_agencies(_file("code;name;kind;unit\nSK;Skarpnäck;district;löneenhet 2\n"))
    assert Agency.objects.get(code="SK").unit.code == "lon2" and Unit.objects.count() == 2


def test_comma_separator_bom_and_lower_case_codes_are_accepted(units):
    content = "\ufeffcode,name,kind,unit\nrk,Rinkeby-Kista,DISTRICT,lon1\n".encode()
    import_agencies(_file(content))
    assert Agency.objects.get(code="RK").kind == "district"


def test_unknown_kind_names_row_and_column_and_writes_nothing(units):
    errors, exc = _errors(GOOD + "SOC;Socialförvaltningen;facklig;lon1\n")
    assert errors == [(4, "kind")]
    assert "facklig" in str(exc)
    assert not Agency.objects.exists()


def test_duplicate_code_names_both_rows(units):
    errors, exc = _errors(GOOD + "rk;Rinkeby igen;district;lon1\n")
    assert errors == [(4, "code")]
    assert "rad 2" in exc.errors[0].message
    assert not Agency.objects.exists()


def test_missing_column(units):
    errors, _exc = _errors("code;name;unit\nRK;Rinkeby;lon1\n")
    assert errors == [(1, "kind")]


def test_unknown_column(units):
    errors, _exc = _errors("code;name;kind;unit;colour\nRK;Rinkeby;district;lon1;blå\n")
    assert errors == [(1, "colour")]


def test_wrong_encoding(units):
    errors, exc = _errors(_file(GOOD, "latin-1").getvalue())
    assert errors == [(1, "")] and "UTF-8" in str(exc)


def test_empty_file(units):
    errors, exc = _errors(b"")
    assert errors == [(1, "")] and "tom" in str(exc)


def test_header_without_rows(units):
    errors, _exc = _errors("code;name;kind;unit\n")
    assert errors == [(2, "")]


def test_rows_with_too_many_or_too_few_cells(units):
    errors, _exc = _errors("code;name;kind;unit\nRK;Rinkeby;district;lon1;extra\nUTB;Utbildning;specialist\n")
    assert errors == [(2, ""), (3, "")]


def test_every_error_is_listed_not_only_the_first(units):
    errors, _exc = _errors("code;name;kind;unit\n;;district;lon1\nA B;Namn;x;\n")
    assert errors == [(2, "code"), (2, "name"), (3, "code"), (3, "kind"), (3, "unit")]


def test_a_unit_name_too_like_an_existing_code_is_refused(units):
    UnitFactory(code="lon-3", name="Löneenhet tre")
    errors, _exc = _errors("code;name;kind;unit\nX;X;district;LON 3\n")
    assert errors == [(2, "unit")]
    assert not Unit.objects.filter(name="LON 3").exists()


def test_the_command_imports_and_reports(units, tmp_path):
    path = tmp_path / "agencies.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_agencies", str(path), stdout=out)
    assert "2 nya" in out.getvalue()
    assert Agency.objects.count() == 2


def test_the_command_lists_errors_and_fails(units, tmp_path):
    path = tmp_path / "agencies.csv"
    path.write_text(GOOD + "SOC;Soc;okänd;lon1\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="(?i)nothing was imported"):
        call_command("import_agencies", str(path), stderr=err)
    assert "Rad 4, kolumn kind" in err.getvalue()
    assert not Agency.objects.exists()


def test_upload_page_shows_the_errors_in_a_table(client, administrator, units):
    client.force_login(administrator)
    upload = io.BytesIO((GOOD + "SOC;Soc;okänd;lon1\n").encode())
    upload.name = "agencies.csv"
    response = client.post(reverse("customers:agency_import"), {"file": upload})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Filen avvisades" in text or "rejected" in text
    assert "<td>4</td><td>kind</td>" in text
    assert not Agency.objects.exists()


def test_upload_page_shows_the_result(client, administrator, units):
    AgencyFactory(code="RK", name="Gammalt namn", unit=units[0], kind="district")
    client.force_login(administrator)
    upload = io.BytesIO(GOOD.encode())
    upload.name = "agencies.csv"
    response = client.post(reverse("customers:agency_import"), {"file": upload})
    assert response.status_code == 200
    assert "1 nya, 1 uppdaterade" in response.content.decode()
    assert Agency.objects.get(code="RK").name == "Rinkeby-Kista stadsdelsförvaltning"


def test_unit_managers_cannot_import(client, unit_manager, units):
    client.force_login(unit_manager)
    upload = io.BytesIO(GOOD.encode())
    upload.name = "agencies.csv"
    assert client.post(reverse("customers:agency_import"), {"file": upload}).status_code == 403
    assert not Agency.objects.exists()
