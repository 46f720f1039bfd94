"""Importing a year's price list: all or nothing, every error by row and column, frozen years refused."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.csvimport import ImportRejected
from pricing import services
from pricing.imports import import_price_list
from pricing.models import PriceItem, PriceList
from pricing.services import price_lines, total
from tests.factories import AgencyFactory, PriceItemFactory, price_list_2012, refused

pytestmark = pytest.mark.django_db

SEED_2012 = """year;item_code;name;unit;price;base_item
2012;self_service;Lön/ersättning via Lisa Självservice;lönespecifikation;58;
2012;lisa_tid;Lön/ersättning via Lisa Tid;lönespecifikation;58;
2012;manual;Lön/ersättning via manuell rapportering;lönespecifikation;95;self_service
2012;agresso;Lön/ersättning via Agresso;lönespecifikation;145;manual
2012;girovision;Akut löneutbetalning via Girovision;lönespecifikation;395;manual
2012;addon_hour;Tilläggstjänst;timme;390;
"""


def _file(text, encoding="utf-8"):
    return io.BytesIO(text.encode(encoding) if isinstance(text, str) else text)


def _errors(content):
    exc_errors = refused(import_price_list(_file(content)))
    return [(e.row, e.column) for e in exc_errors], ImportRejected(exc_errors)


def test_the_seed_list_imports_and_prices_1376():
    result = import_price_list(_file(SEED_2012))
    assert result.counts["created"] and result.counts["items"] == 6
    assert (result.target.year, result.target.version, result.target.effective_from) == (
        2012,
        1,
        dt.date(2012, 1, 1),
    )
    lines = price_lines(
        agency=AgencyFactory(), period="2012-03", quantities={"self_service": 12, "manual": 3, "girovision": 1}
    )
    assert total(lines) == Decimal("1376.00")
    assert PriceItem.objects.get(item_code="agresso").surcharge == Decimal("50")


def test_comma_separated_with_bom_and_decimal_commas():
    content = '\ufeffyear,item_code,name,unit,price\n2013,self_service,Självservice,lönespec,"58,50"\n'
    import_price_list(_file(content))
    assert PriceItem.objects.get().price == Decimal("58.50")


def test_reimporting_an_open_year_replaces_its_newest_version():
    import_price_list(_file(SEED_2012))
    second = SEED_2012.replace(";390;", ";400;").replace(
        "2012;lisa_tid;Lön/ersättning via Lisa Tid;lönespecifikation;58;\n", ""
    )
    result = import_price_list(_file(second))
    assert result.counts["replaced"]
    assert PriceList.objects.count() == 1
    assert PriceItem.objects.get(item_code="addon_hour").price == Decimal("400")
    assert not PriceItem.objects.filter(item_code="lisa_tid").exists()


def test_a_second_list_for_a_frozen_year_is_refused_and_nothing_changes():
    frozen = price_list_2012()
    services.freeze_price_list(price_list=frozen)
    errors, exc = _errors(SEED_2012.replace(";390;", ";999;"))
    assert errors == [(2, "year")]
    assert "låst" in str(exc)
    assert PriceList.objects.count() == 1
    assert PriceItem.objects.get(item_code="addon_hour").price == Decimal("390")


def test_a_year_with_any_frozen_version_is_refused():
    v1 = price_list_2012()
    services.freeze_price_list(price_list=v1)
    services.new_price_list_version(price_list=v1, effective_from=dt.date(2012, 7, 1))
    errors, _exc = _errors(SEED_2012)
    assert errors == [(2, "year")]


def test_bad_price():
    errors, exc = _errors("year;item_code;name;unit;price\n2012;self_service;Självservice;lönespec;58 kr\n")
    assert errors == [(2, "price")] and "58 kr" in str(exc)


def test_negative_and_too_precise_prices():
    errors, _exc = _errors("year;item_code;name;unit;price\n2012;a;A;st;-5\n2012;b;B;st;1.005\n")
    assert errors == [(2, "price"), (3, "price")]


def test_duplicate_item_code():
    errors, _exc = _errors(SEED_2012 + "2012;manual;Manuell igen;lönespecifikation;96;\n")
    assert errors == [(8, "item_code")]


def test_unknown_base_item_and_base_dearer_than_the_item():
    content = (
        "year;item_code;name;unit;price;base_item\n2012;manual;Manuell;st;95;nothing\n2012;cheap;Billig;st;10;manual\n"
    )
    errors, _exc = _errors(content)
    assert errors == [(2, "base_item"), (3, "price")]


def test_one_year_per_file():
    errors, exc = _errors(SEED_2012 + "2013;pension_case;Pensionsärende;ärende;1200;\n")
    assert errors == [(8, "year")]
    assert not PriceList.objects.exists()


def test_missing_column():
    errors, _exc = _errors("year;item_code;name;price\n2012;a;A;1\n")
    assert errors == [(1, "unit")]


def test_wrong_encoding():
    errors, exc = _errors(SEED_2012.encode("latin-1"))
    assert errors == [(1, "")] and "UTF-8" in str(exc)


def test_empty_file_and_header_only():
    assert _errors(b"")[0] == [(1, "")]
    assert _errors("year;item_code;name;unit;price\n")[0] == [(2, "")]


def test_bad_year():
    errors, _exc = _errors("year;item_code;name;unit;price\ntjugo;a;A;st;1\n")
    assert errors == [(2, "year")]


def test_the_command_imports_and_refuses(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text(SEED_2012, encoding="utf-8")
    out = io.StringIO()
    call_command("import_price_list", str(path), stdout=out)
    assert "6 poster" in out.getvalue()
    services.freeze_price_list(price_list=PriceList.objects.get())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_price_list", str(path), stderr=err)
    assert "kolumn year" in err.getvalue()


def test_upload_page(client, administrator):
    client.force_login(administrator)
    upload = io.BytesIO(SEED_2012.encode())
    upload.name = "prislista.csv"
    response = client.post(reverse("pricing:pricelist_import"), {"file": upload})
    assert response.status_code == 200
    assert "skapades med 6 poster" in response.content.decode()
    bad = io.BytesIO(b"year;item_code;name;unit;price\n2014;a;A;st;x\n")
    bad.name = "bad.csv"
    response = client.post(reverse("pricing:pricelist_import"), {"file": bad})
    assert response.status_code == 400
    assert "<td>2</td><td>price</td>" in response.content.decode()
    assert not PriceList.objects.filter(year=2014).exists()


def test_exported_list_can_be_imported_again(client, administrator):
    price_list = price_list_2012()
    client.force_login(administrator)
    exported = client.get(reverse("pricing:pricelist_detail", args=[price_list.pk]), {"export": "csv"}).content
    rows = exported.decode().splitlines()
    assert rows[0] == "year,item_code,name,unit,price,base_item,note,kind"
    assert "2012,manual,Manuell rapportering,lönespec,95.00,self_service,,per_unit" in rows
    result = import_price_list(io.BytesIO(exported))
    assert result.counts["replaced"] and result.counts["items"] == 7


def test_a_round_trip_keeps_fixed_monthly_items_and_their_agency_amounts(client, administrator):
    price_list = price_list_2012()
    PriceItemFactory(
        price_list=price_list,
        item_code="fixed_base",
        name="Fast månadsavgift",
        unit="månad",
        price="0",
        kind=PriceItem.Kind.FIXED_MONTHLY,
    )
    agency = AgencyFactory(code="SDF07")
    services.set_monthly_amounts(price_list=price_list, item_code="fixed_base", amounts={agency: Decimal("35583.33")})
    client.force_login(administrator)
    exported = client.get(reverse("pricing:pricelist_detail", args=[price_list.pk]), {"export": "csv"}).content
    assert "2012,fixed_base,Fast månadsavgift,månad,0.00,,,fixed_monthly" in exported.decode().splitlines()
    result = import_price_list(io.BytesIO(exported))
    assert result.counts == {"items": 8, "created": 0, "replaced": 1}
    item = PriceItem.objects.get(price_list=price_list, item_code="fixed_base")
    assert item.kind == PriceItem.Kind.FIXED_MONTHLY
    assert list(item.agency_amounts.values_list("agency__code", "amount")) == [("SDF07", Decimal("35583.33"))]
    lines = price_lines(agency=agency, period="2012-03", quantities={"self_service": 10})
    assert [(line.item_code, line.amount) for line in lines] == [
        ("self_service", Decimal("580.00")),
        ("fixed_base", Decimal("35583.33")),
    ]


def test_kind_column_is_optional_and_checked():
    content = (
        "year;item_code;name;unit;price;base_item;kind\n"
        "2012;self_service;Lön via Lisa Självservice;lönespec;58;;\n"
        "2012;manual;Manuell rapportering;lönespec;95;self_service;per_unit\n"
        "2012;fixed_base;Fast månadsavgift;månad;0;;fixed_monthly\n"
    )
    assert import_price_list(_file(content)).counts["items"] == 3
    kinds = dict(PriceItem.objects.filter(price_list__year=2012).values_list("item_code", "kind"))
    assert kinds == {"self_service": "per_unit", "manual": "per_unit", "fixed_base": "fixed_monthly"}
    errors, _exc = _errors(
        "year;item_code;name;unit;price;base_item;kind\n2013;a;A;st;1;;monthly\n2013;b;B;st;2;a;fixed_monthly\n"
    )
    assert errors == [(2, "kind"), (3, "base_item")]
    assert not PriceList.objects.filter(year=2013).exists()
