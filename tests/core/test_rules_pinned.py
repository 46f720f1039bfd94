"""Rules of the ground floor pinned by mutation testing (`make mutation`, bench/mutation.md): each test
fails when the rule it is named for breaks."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core import csvimport, importing, periods, workdays


def test_counting_working_days_forward_visits_every_day():
    # Monday 5 March 2012: three working days on is Thursday the 8th, not a day further.
    assert workdays.add_working_days(dt.date(2012, 3, 5), 3) == dt.date(2012, 3, 8)


def test_counting_working_days_backwards_skips_christmas_and_the_weekend():
    # Two working days before Thursday 27 December 2012: Friday the 21st, then Thursday the 20th
    # (24-26 December are holidays, 22-23 a weekend).
    assert workdays.add_working_days(dt.date(2012, 12, 27), -2) == dt.date(2012, 12, 20)
    assert workdays.add_working_days(dt.date(2012, 12, 27), -1) == dt.date(2012, 12, 21)


def test_zero_working_days_on_is_the_day_itself():
    assert workdays.add_working_days(dt.date(2012, 12, 24), 0) == dt.date(2012, 12, 24)


def test_working_days_between_count_the_days_after_start_up_to_end():
    # Monday 5 to Wednesday 7 March 2012: Tuesday and Wednesday.
    assert workdays.working_days_between(dt.date(2012, 3, 5), dt.date(2012, 3, 7)) == 2
    assert workdays.working_days_between(dt.date(2012, 3, 5), dt.date(2012, 3, 5)) == 0


def test_no_working_days_lie_between_an_end_before_its_start():
    assert workdays.working_days_between(dt.date(2012, 3, 7), dt.date(2012, 3, 5)) == 0


def test_a_period_of_year_0000_is_refused_as_a_period_not_a_date():
    with pytest.raises(ValidationError) as refused:
        periods.period_start("0000-01")
    assert refused.value.code == "invalid_period"


def test_a_malformed_period_says_how_to_write_one():
    with pytest.raises(ValidationError) as refused:
        periods.parse_period("2012-13")
    assert refused.value.code == "invalid_period"
    with translation.override("sv"):
        assert refused.value.messages == ["Ange period som ÅÅÅÅ-MM, t.ex. 2012-03."]


def test_the_years_1900_to_2100_are_periods_and_the_years_outside_are_not():
    assert periods.parse_period("1900-01") == (1900, 1)
    assert periods.parse_period("2100-12") == (2100, 12)
    for outside in ("1899-12", "2101-01"):
        assert not periods.is_period(outside)


def test_a_year_out_of_range_says_which_value_and_which_years():
    with pytest.raises(ValidationError) as refused:
        periods.parse_period(" 1899-12 ")
    assert refused.value.code == "period_out_of_range"
    assert refused.value.params == {"value": "1899-12", "first": 1900, "last": 2100}
    with translation.override("sv"):
        assert refused.value.messages == ["1899-12 ligger utanför det tillåtna: året ska vara mellan 1900 och 2100."]


def test_a_period_is_validated_and_recognised_by_the_same_rule():
    periods.validate_period("2012-03")
    with pytest.raises(ValidationError):
        periods.validate_period("2012-3")
    assert periods.is_period("2012-03") is True
    assert periods.is_period("2012-3") is False


def test_the_current_period_is_the_month_of_todays_date_in_stockholm(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2012, 3, 31))
    assert periods.current_period() == "2012-03"


def test_a_period_pattern_refuses_month_00_and_13():
    import re

    for pattern in (periods.PERIOD_RE, re.compile(periods.PERIOD_REGEX)):
        assert pattern.match("2012-01") and pattern.match("2012-12")
        assert not pattern.match("2012-00") and not pattern.match("2012-13")


# --- the CSV reader --------------------------------------------------------------------------------


def _read(content: bytes, required=("code", "name"), **kwargs):
    return list(csvimport.read_rows(io.BytesIO(content), required=list(required), **kwargs))


def test_a_row_of_64_kib_is_read_and_a_longer_one_refuses_the_file_at_its_row():
    limit = 64 * 1024
    fits = b"code;name\nA;" + b"x" * (limit - 3) + b"\n"
    assert len(fits.split(b"\n")[1]) + 1 == limit
    assert _read(fits)[0][0] == 2
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        _read(b"code;name\nA;B\nA;" + b"x" * (limit - 2) + b"\n")
    assert [e.row for e in refused.value.errors] == [3]
    assert "65,536" in str(refused.value) and "1000" in str(refused.value)


def test_a_header_longer_than_a_row_may_be_is_refused_naming_the_header_wanted():
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        _read(b"x" * (64 * 1024 + 1) + b"\n")
    assert refused.value.errors[0].row == 1
    assert "code;name" in str(refused.value) and "65,536" in str(refused.value)


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_BYTES = 20
    with pytest.raises(csvimport.ImportRejected):
        _read(b"code;name\nA;B\nC;D\nE;F\n")
    settings.IMPORT_MAX_BYTES = 22
    assert len(_read(b"code;name\nA;B\nC;D\nE;F\n")) == 3  # exactly 22 bytes


def test_an_upload_gives_its_own_size():
    class Upload(io.BytesIO):
        size = 10**12

    with pytest.raises(csvimport.ImportRejected):
        list(csvimport.read_rows(Upload(b"code;name\nA;B\n"), required=["code", "name"]))


def test_a_character_cut_at_the_end_of_the_sniffed_start_is_not_taken_for_bad_encoding():
    # The first 4096 bytes end three bytes into a four-byte character: still UTF-8.
    head = b"code;name\nA;" + b"x" * (4096 - 12 - 3)
    content = head + "😀".encode() + b"\n"
    assert len(head) == 4093
    assert _read(content)[0][1]["name"].endswith("😀")


def test_real_bad_encoding_at_the_end_of_the_sniffed_start_is_refused():
    content = b"code;name\nA;" + b"x" * (4096 - 12 - 4) + "å".encode("latin-1") + b"xyz\n"
    with pytest.raises(csvimport.ImportRejected):
        _read(content)


def test_a_header_with_as_many_semicolons_as_commas_is_read_with_semicolons():
    assert csvimport.sniff_delimiter("a;b,c") == ";"
    assert csvimport.sniff_delimiter("a,b,c;d") == ","


def test_header_columns_are_matched_without_case_or_spaces():
    assert _read(b" Code ;NAME\nA;B\n") == [(2, {"code": "A", "name": "B"})]


def test_missing_unknown_and_twice_named_columns_are_all_reported_at_once():
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        _read(b"code;extra;other;extra\nA;B;C;D\n", required=["code", "name", "unit"], optional=["other"])
    errors = refused.value.errors
    assert [(e.row, e.column) for e in errors] == [(1, "name, unit"), (1, "extra, extra"), (1, "")]


def test_an_optional_column_may_be_given():
    assert _read(b"code;name;note\nA;B;C\n", optional=["note"]) == [(2, {"code": "A", "name": "B", "note": "C"})]


def test_a_row_starts_on_its_own_line_when_a_quoted_cell_spans_lines():
    rows = _read(b'code;name\n"A\nB";x\nC;y\n')
    assert [line for line, _row in rows] == [2, 4]


def test_surplus_cells_are_kept_for_the_shape_check_and_missing_ones_are_none():
    rows = _read(b"code;name\nA;B;C;D\nE\n")
    assert rows[0] == (2, {"code": "A", "name": "B", None: ["C", "D"]})
    assert rows[1] == (3, {"code": "E", "name": None})


def test_a_cell_of_1000_characters_is_usable_and_one_of_1001_is_not():
    errors = csvimport.ErrorCollector()
    assert csvimport.check_row_shape(2, {"code": "x" * 1000}, errors)
    assert not errors
    assert not csvimport.check_row_shape(3, {"code": "x" * 1001}, errors)
    assert [(e.row, e.column) for e in errors.errors] == [(3, "code")]


@pytest.mark.parametrize("value", ["a\x00b", "a\x01b", "a\x1fb", "a\x7fb", "a\u2028b", "a\nb", "a\rb", "a\x85b"])
def test_a_cell_with_a_control_character_or_a_line_break_is_a_row_error(value):
    errors = csvimport.ErrorCollector()
    assert not csvimport.check_row_shape(4, {"code": "A", "name": value}, errors)
    assert [(e.row, e.column) for e in errors.errors] == [(4, "name")]


def test_a_tab_in_a_cell_is_allowed():
    assert csvimport.check_row_shape(2, {"code": "A\tB"}, csvimport.ErrorCollector())


def test_rows_with_too_many_or_too_few_cells_are_row_errors_of_the_whole_row():
    errors = csvimport.ErrorCollector()
    assert not csvimport.check_row_shape(2, {"code": "A", None: ["x"]}, errors)
    assert not csvimport.check_row_shape(3, {"code": "A", "name": None}, errors)
    assert csvimport.check_row_shape(4, {"code": "A", "name": "", None: []}, errors)
    assert [(e.row, e.column) for e in errors.errors] == [(2, ""), (3, "")]


def test_at_most_100_errors_are_listed_and_a_last_line_says_there_were_more():
    errors = csvimport.ErrorCollector()
    assert not errors
    for row in range(2, 102):
        errors.add(row, "code", "bad")
    assert errors and not errors.truncated
    with pytest.raises(csvimport.ImportRejected) as all_listed:
        errors.raise_if_any()
    assert len(all_listed.value.errors) == 100
    errors.add(102, "code", "bad")
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        errors.raise_if_any()
    listed = refused.value.errors
    assert len(listed) == 101 and [e.row for e in listed[:2]] == [2, 3]
    assert (listed[-1].row, listed[-1].column) == (0, "")
    assert "100" in listed[-1].message


def test_no_errors_refuse_nothing():
    csvimport.ErrorCollector().raise_if_any()


def test_a_row_error_names_its_row_and_column():
    with translation.override("en"):
        assert str(csvimport.RowError(3, "code", "bad")) == "Row 3, column code: bad"
        assert str(csvimport.RowError(3, "", "bad")) == "Row 3: bad"


def test_a_refused_file_says_its_first_five_errors():
    errors = [csvimport.RowError(n, "", f"e{n}") for n in range(2, 9)]
    with translation.override("en"):
        assert str(csvimport.ImportRejected(errors)) == "; ".join(f"Row {n}: e{n}" for n in range(2, 7))


def test_decimals_are_read_to_the_places_asked_for():
    assert csvimport.parse_decimal("1\xa0376,5") == Decimal("1376.50")
    assert csvimport.parse_decimal("2,125", places=3) == Decimal("2.125")
    assert str(csvimport.parse_decimal("7", places=0)) == "7"
    with pytest.raises(ValueError):
        csvimport.parse_decimal("2,5", places=0)
    with pytest.raises(ValueError):
        csvimport.parse_decimal("1e999")
    with pytest.raises(ValueError):
        csvimport.parse_decimal(None)


# --- the shape of every import ---------------------------------------------------------------------


class _Codes(importing.Importer):
    """A tiny import of codes: "bad" is a row error, "late" an error only the whole file shows."""

    columns = ["code"]
    optional = ["note"]

    def __init__(self, write=None):
        super().__init__()
        self.checked: list[int] = []
        self._write = write

    def check_row(self, line, row):
        self.checked.append(line)
        if row["code"] == "bad":
            self.errors.add(line, "code", "bad code")
            return None
        return row["code"]

    def check_file(self):
        if "late" in self.rows:
            self.errors.add(2, "", "late found")

    def write(self):
        if self._write:
            return self._write(self)
        return importing.ImportResult(counts={"created": len(self.rows)}, message=f"{len(self.rows)} codes")


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


@pytest.mark.django_db
def test_an_import_checks_every_row_and_writes_the_checked_ones():
    result = _Codes().run(_csv("code;note\nA;x\nB;\n"))
    assert result.imported and not result.rejected
    assert (result.counts, result.message, result.errors) == ({"created": 2}, "2 codes", [])


def test_a_row_of_the_wrong_shape_is_an_error_and_never_checked():
    importer = _Codes()
    result = importer.run(_csv("code\nA\nB;surplus\nbad\n"))
    assert result.rejected and not result.imported
    assert [(e.row, e.column) for e in result.errors] == [(3, ""), (4, "code")]
    assert importer.checked == [2, 4]
    assert importer.rows_read == 3


def test_errors_of_the_whole_file_are_sorted_in_among_the_rows():
    result = _Codes().run(_csv("code\nlate\nbad\n"))
    assert [(e.row, e.message) for e in result.errors] == [(2, "late found"), (3, "bad code")]


def test_a_file_with_a_header_and_no_rows_is_refused():
    with translation.override("en"):
        result = _Codes().run(_csv("code\n\n;\n"))
    assert [(e.row, e.column) for e in result.errors] == [(2, "")]
    assert result.errors[0].message == "The file has a header but no rows."


def test_a_refused_file_never_reaches_the_write():
    def write(importer):
        raise AssertionError("written")

    assert _Codes(write).run(_csv("code\nbad\n")).rejected


@pytest.mark.django_db
def test_a_write_that_refuses_the_file_rolls_everything_back():
    from django.contrib.auth.models import Group

    def write(importer):
        Group.objects.create(name="written by the import")
        raise csvimport.ImportRejected([csvimport.RowError(2, "code", "taken")])

    result = _Codes(write).run(_csv("code\nA\n"))
    assert [(e.row, e.message) for e in result.errors] == [(2, "taken")]
    assert not Group.objects.filter(name="written by the import").exists()


def test_a_queued_import_is_neither_imported_nor_refused_yet():
    queued = importing.ImportResult(queued=True)
    assert not queued.imported and not queued.rejected
    errors = [csvimport.RowError(2, "", "x")]
    refused = importing.ImportResult.refused(errors, message="no")
    assert refused.rejected and refused.errors == errors and refused.errors is not errors
    assert refused.message == "no"


class _CodesCommand(importing.ImportCommand):
    def run_import(self, file, options):
        self.file_name = options["file_name"]
        result = _Codes().run(file)
        result.details = ["details line"]
        return result


@pytest.mark.django_db
def test_an_import_command_prints_the_details_and_the_summary(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "codes.csv"
    path.write_text("code\nA\nB\n")
    out, err = io.StringIO(), io.StringIO()
    command = _CodesCommand()
    call_command(command, str(path), stdout=out, stderr=err)
    assert out.getvalue().splitlines() == ["details line", "2 codes"]
    assert command.file_name == "codes.csv"
    assert err.getvalue() == ""


def test_an_import_command_refuses_a_file_with_every_row_error(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "codes.csv"
    path.write_text("code\nbad\nbad\n")
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command(_CodesCommand(), str(path), stdout=io.StringIO(), stderr=err)
    assert str(refused.value) == "codes.csv was rejected with 2 error(s). Nothing was imported."
    assert err.getvalue().splitlines() == ["Row 2, column code: bad code", "Row 3, column code: bad code"]


def test_an_import_command_refuses_a_missing_file(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as refused:
        call_command(_CodesCommand(), str(tmp_path / "none.csv"))
    assert str(refused.value) == f"No such file: {tmp_path / 'none.csv'}"


def test_a_row_with_too_many_cells_says_so():
    errors = csvimport.ErrorCollector()
    with translation.override("en"):
        csvimport.check_row_shape(2, {"code": "A", None: ["x"]}, errors)
        csvimport.check_row_shape(3, {"code": None}, errors)
    assert [e.message for e in errors.errors] == [
        "the row has more cells than the header",
        "the row has fewer cells than the header",
    ]


def test_a_row_longer_than_one_cell_may_be_is_usable_when_each_cell_is_within_the_limit():
    errors = csvimport.ErrorCollector()
    assert csvimport.check_row_shape(2, {"code": "x" * 1000, "name": "y" * 600}, errors)
    assert not errors


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x" * 1001, "the value is longer than 1000 characters"),
        ("a\x00b", "the value contains a control character (such as NUL); remove it"),
        ("a\nb", "the value contains a line break (a quoted newline); remove it"),
    ],
)
def test_a_bad_cell_says_what_is_wrong_with_it(value, message):
    errors = csvimport.ErrorCollector()
    with translation.override("en"):
        assert not csvimport.check_row_shape(5, {"code": "A", "name": value}, errors)
    assert [(e.row, e.column, e.message) for e in errors.errors] == [(5, "name", message)]


def test_a_too_long_row_is_an_error_of_the_whole_row():
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        _read(b"code;name\nA;" + b"x" * (64 * 1024) + b"\n")
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "")]


def test_the_row_limit_counts_the_line_end_as_the_file_writes_it():
    # 65,535 characters and a CRLF are 65,537 characters of the file: over the limit.
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        _read(b"code;name\r\nA;" + b"x" * (64 * 1024 - 3) + b"\r\n")
    assert [e.row for e in refused.value.errors] == [2]


def test_a_bad_byte_deep_in_the_file_refuses_the_file_as_not_utf8():
    content = b"code;name\n" + b"A;x\n" * 5000 + b"B;\xff\n"  # past the reader's first 8 KiB too
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        _read(content)
    assert [(e.row, e.message) for e in refused.value.errors] == [
        (1, "The file is not UTF-8 encoded. Save it as CSV UTF-8 and try again.")
    ]


def test_a_nul_past_the_first_4096_bytes_is_an_error_of_its_cell_not_of_the_file():
    head = b"code;name\n" + b"A;x\n" * 1021  # 4094 bytes
    content = head + b"B;\x00\n"
    assert content.index(b"\x00") == 4096
    errors = csvimport.ErrorCollector()
    rows = _read(content)
    assert [csvimport.check_row_shape(line, row, errors) for line, row in rows][-1] is False
    assert [(e.row, e.column) for e in errors.errors] == [(1023, "name")]


def test_a_file_larger_than_the_limit_says_the_limit(settings):
    from django.template.defaultfilters import filesizeformat

    settings.IMPORT_MAX_BYTES = 2048
    with translation.override("en"):
        with pytest.raises(csvimport.ImportRejected) as refused:
            _read(b"code;name\n" + b"A;B\n" * 600)
        limit = filesizeformat(2048)
    assert limit == "2.0\xa0KB"
    assert [e.message for e in refused.value.errors] == [
        f"The file is larger than {limit}. Split it into smaller files."
    ]


def test_header_problems_say_what_is_wrong_with_each_column():
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        _read(b"name;extra;extra\nA;B;C\n")
    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [
        (1, "code", "required column is missing"),
        (1, "extra, extra", "unknown column"),
        (1, "", "a column appears twice in the header"),
    ]


def test_a_header_of_64_kib_is_read_as_a_header():
    header = b"code;name;" + b"x" * (64 * 1024 - 11) + b"\n"
    assert len(header) == 64 * 1024
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        _read(header + b"A;B;C\n")
    assert [(e.column, e.message) for e in refused.value.errors] == [("x" * (64 * 1024 - 11), "unknown column")]


def test_a_bad_byte_in_a_long_header_past_the_first_4_kib_refuses_the_file_as_not_utf8():
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        _read(b"code;name;" + b"x" * 5000 + b"\xff\nA;B\n")
    assert [(e.row, e.message) for e in refused.value.errors] == [
        (1, "The file is not UTF-8 encoded. Save it as CSV UTF-8 and try again.")
    ]


def test_a_quoted_value_over_many_lines_longer_than_the_reader_takes_is_an_error_of_its_row():
    content = b'code;name\nA;"' + (b"x" * 60000 + b"\n") * 3 + b'"\n'
    with translation.override("en"), pytest.raises(csvimport.ImportRejected) as refused:
        _read(content)
    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [
        (2, "", "a value is longer than 1000 characters")
    ]
