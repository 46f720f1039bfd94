"""The ground floor: periods, Swedish working days, CSV reading, exports and PDFs."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from core import csvimport, exports, periods, workdays


def test_period_arithmetic_wraps_years():
    assert periods.next_period("2012-12") == "2013-01"
    assert periods.previous_period("2012-01") == "2011-12"
    assert periods.periods_between("2011-11", "2012-02") == ["2011-11", "2011-12", "2012-01", "2012-02"]
    assert periods.period_end("2012-02") == dt.date(2012, 2, 29)


@pytest.mark.parametrize("bad", ["2012-13", "2012-1", "12-03", "", "2012/03", "2012-00"])
def test_bad_periods_are_refused(bad):
    with pytest.raises(ValidationError):
        periods.parse_period(bad)


def test_tertials_are_four_months():
    assert [periods.tertial_of(f"2012-{m:02d}") for m in (1, 4, 5, 8, 9, 12)] == [1, 1, 2, 2, 3, 3]
    assert periods.tertial_periods(2012, 2) == ["2012-05", "2012-06", "2012-07", "2012-08"]


def test_deadline_on_a_sunday_moves_to_monday():
    assert dt.date(2012, 1, 8).weekday() == 6
    assert workdays.document_deadline(2012, 1) == dt.date(2012, 1, 9)


def test_deadline_in_easter_moves_past_easter_monday():
    # 8 April 2012 is Easter Sunday, 9 April Easter Monday.
    assert workdays.document_deadline(2012, 4) == dt.date(2012, 4, 10)


def test_deadline_on_a_working_day_stays():
    assert workdays.document_deadline(2012, 3) == dt.date(2012, 3, 8)


def test_working_days_skip_midsummer_eve_and_christmas():
    assert not workdays.is_working_day(dt.date(2012, 6, 22))  # Midsummer Eve
    assert not workdays.is_working_day(dt.date(2012, 12, 24))
    assert workdays.add_working_days(dt.date(2012, 12, 21), 1) == dt.date(2012, 12, 27)
    assert workdays.working_days_between(dt.date(2012, 12, 21), dt.date(2012, 12, 28)) == 2


def _rows(content: bytes, **kwargs):
    return list(csvimport.read_rows(io.BytesIO(content), **kwargs))


def test_csv_reads_semicolons_with_bom():
    rows = _rows("\ufeffcode;name\nA1;Förvaltning\n".encode(), required=["code", "name"])
    assert rows == [(2, {"code": "A1", "name": "Förvaltning"})]


def test_csv_reads_commas():
    rows = _rows(b"code,name\nA1,X\n\nA2,Y\n", required=["code", "name"])
    assert [r for _, r in rows] == [{"code": "A1", "name": "X"}, {"code": "A2", "name": "Y"}]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"code;name\n\x00\x01", "not a text file"),
        ("code;name\nA1;Förvaltning\n".encode("latin-1"), "UTF-8"),
        (b"code\nA1\n", "name"),
        (b"code;name;extra\nA;B;C\n", "extra"),
    ],
)
def test_csv_file_level_problems_reject_the_file(content, message):
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as exc:
        _rows(content, required=["code", "name"])
    assert message in str(exc.value)


def test_row_shape_problems_are_row_errors():
    errors = csvimport.ErrorCollector()
    rows = _rows(b"code;name\nA;B;C\nD\n" + b"E;" + b"x" * 2000 + b"\n", required=["code", "name"])
    usable = [csvimport.check_row_shape(line, row, errors) for line, row in rows]
    assert usable == [False, False, False]
    assert [e.row for e in errors.errors] == [2, 3, 4]


@pytest.mark.parametrize("text, value", [("58", "58.00"), ("1 376,5", "1376.50"), ("95.00", "95.00")])
def test_decimals_with_comma_or_point(text, value):
    assert csvimport.parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "1.005", "NaN", "Infinity"])
def test_bad_decimals_are_refused(text):
    with pytest.raises(ValueError):
        csvimport.parse_decimal(text)


def test_exports_neutralise_formulas():
    data = exports.csv_bytes(["name", "amount"], [["=cmd|' /C calc'!A0", Decimal("58.00")], ["+1", 3]])
    assert data.decode().splitlines() == ["name,amount", "'=cmd|' /C calc'!A0,58.00", "'+1,3"]
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(["name"], [["@SUM(A1)"]]))).active
    assert sheet["A2"].value == "'@SUM(A1)"


def test_pdfs_never_fetch_from_the_network():
    from core.pdf import _local_only_fetcher

    fetcher = _local_only_fetcher()
    with pytest.raises(ValueError, match="not allowed"):
        fetcher.fetch("https://example.com/logo.png")
    assert fetcher.fetch("static/img/favicon.svg")


def test_importing_the_pdf_module_does_not_load_weasyprint():
    import subprocess
    import sys

    code = "import sys, core.pdf; print('weasyprint' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_csv_rows_of_empty_cells_are_skipped_and_the_rows_after_them_read():
    content = b"a;b\n1;2\n;\n  ;  \n3;4\n"
    rows = list(csvimport.read_rows(io.BytesIO(content), required=["a", "b"]))
    assert rows == [(2, {"a": "1", "b": "2"}), (5, {"a": "3", "b": "4"})]
