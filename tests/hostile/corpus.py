"""The hostile input corpus: bad files for every import, made on the fly from one good file.

Each import is described by an ``ImportSpec`` (its columns, a few good rows, which column is
strictly checked, which is free text, which is a number, a period, a date or a personal identity
number). Each kind of bad file is a function ``(spec) -> bytes | None`` (None: the kind does not
apply to that import, e.g. a negative number in a file without numbers). Nothing is committed as
a file: the corpus is generated, so it costs nothing to keep and is easy to read.

The kinds in REJECTED must each be refused as a whole, with a message a person understands, and
write nothing. The kinds in ACCEPTED are legitimate files (CRLF endings, a BOM at the start, commas)
that must be read right. Formula-like and HTML text in a free-text column is legitimate too; it
must be harmless wherever it is shown again (see test_exports_and_pages.py).
"""

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

# The smallest valid PNG (1×1 transparent).
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
SCRIPT = "<script>alert(1)</script>"
SQL = "x'); DROP TABLE customers_agency; --"
MILLION = 1_000_000


@dataclass(frozen=True)
class ImportSpec:
    name: str
    header: list[str]
    rows: list[list[str]]  # good rows
    strict: str  # a column whose values are checked against a format or a register
    padding: Callable[[int], list[str]]  # the n-th of many distinct good rows
    text: str | None = None  # a free-text column (names)
    text_max: int | None = None  # its longest allowed value
    number: str | None = None
    period: str | None = None
    date: str | None = None
    personnummer: str | None = None
    duplicates_allowed: bool = False  # rows that repeat are summed, not refused (FTE)
    pay_period: bool = False  # the period is a pay period: a narrower window than any month
    extra: dict = field(default_factory=dict)

    def column(self, name: str) -> int:
        return self.header.index(name)

    def with_value(self, column: str, value: str, row: int = 0) -> list[list[str]]:
        rows = [list(r) for r in self.rows]
        rows[row][self.column(column)] = value
        return rows


def csv_text(header, rows, *, sep=";", newline="\n") -> str:
    def cell(value):
        value = str(value)
        if any(ch in value for ch in (sep, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return newline.join(sep.join(cell(v) for v in line) for line in [header, *rows]) + newline


def good(spec: ImportSpec, **kwargs) -> bytes:
    return csv_text(spec.header, spec.rows, **kwargs).encode("utf-8")


# --- the kinds a file must be refused for -----------------------------------------------------------


def _padding_rows(spec: ImportSpec, size: int) -> list[list[str]]:
    """Distinct good rows adding up to at least ``size`` bytes."""
    rows, total, n = [], 0, 0
    while total < size:
        row = spec.padding(n)
        rows.append(row)
        total += len(";".join(row)) + 1
        n += 1
    return rows


def _with(spec: ImportSpec, column: str, value: str) -> bytes:
    return csv_text(spec.header, spec.with_value(column, value)).encode()


def _latin1(s: ImportSpec) -> bytes:
    return csv_text(s.header, s.with_value(s.text or s.strict, "Förvaltning Östra")).encode("latin-1")


def _deep(s: ImportSpec, value_suffix: str, encoding: str = "utf-8") -> bytes:
    """A good file of more than 4 KB whose last row ends its free-text (or strict) cell with ``value_suffix``."""
    rows = [*s.rows, *_padding_rows(s, 5000)]
    column = s.column(s.text or s.strict)
    head = csv_text(s.header, rows[:-1]).encode()
    last = list(rows[-1])
    last[column] += value_suffix
    return head + csv_text([], [last])[1:].encode(encoding)


def _split_strict(s: ImportSpec) -> bytes:
    value = s.rows[0][s.column(s.strict)]
    return _with(s, s.strict, value[:2] + "\n" + value[2:])


def _when(column: str | None, make: Callable[[str], bytes]) -> bytes | None:
    return make(column) if column else None


REJECTED: dict[str, Callable[[ImportSpec], bytes | None]] = {
    "empty": lambda s: b"",
    "whitespace_only": lambda s: b"   \n\n \t\n",
    "header_only": lambda s: csv_text(s.header, []).encode(),
    "separators_only": lambda s: (csv_text(s.header, []) + ";;;;\n;;;;\n").encode(),
    "latin1": _latin1,
    "latin1_after_4kb": lambda s: _deep(s, "Ö", encoding="latin-1"),
    "utf16": lambda s: good(s).decode().encode("utf-16"),
    "truncated_utf8": lambda s: good(s) + "Ö".encode()[:1],
    "mixed_separators": lambda s: (";".join(s.header) + "\n" + "\n".join(",".join(r) for r in s.rows) + "\n").encode(),
    "unknown_column": lambda s: csv_text([*s.header, "salary"], [[*r, "1"] for r in s.rows]).encode(),
    "missing_column": lambda s: csv_text(
        [h for h in s.header if h != s.strict],
        [[v for h, v in zip(s.header, r, strict=True) if h != s.strict] for r in s.rows],
    ).encode(),
    "duplicate_column": lambda s: csv_text(
        [*s.header, s.strict], [[*r, r[s.column(s.strict)]] for r in s.rows]
    ).encode(),
    "extra_cell": lambda s: csv_text(s.header, [[*s.rows[0], "surplus"], *s.rows[1:]]).encode(),
    "missing_cell": lambda s: csv_text(s.header, [s.rows[0][:-1], *s.rows[1:]]).encode(),
    "ten_thousand_cells": lambda s: csv_text(s.header, [[*s.rows[0], *(["x"] * 10_000)]]).encode(),
    "million_char_cell": lambda s: _with(s, s.strict, "A" * MILLION),
    "million_char_line": lambda s: (csv_text(s.header, []) + "B" * MILLION + "\n").encode(),
    "huge_file": lambda s: csv_text(s.header, [*s.rows, *_padding_rows(s, 6000)]).encode(),  # > the tests' limit
    "png": lambda s: PNG_BYTES,
    "xlsx": lambda s: _xlsx(s),
    "zip": lambda s: _zip(good(s)),
    "nul_bytes": lambda s: good(s).replace(b";", b"\x00;", 1),
    "nul_after_4kb": lambda s: _deep(s, "\x00"),
    "bom_in_the_middle": lambda s: _with(s, s.strict, "\ufeff" + s.rows[0][s.column(s.strict)]),
    "second_header_in_the_middle": lambda s: csv_text(s.header, [*s.rows, s.header]).encode(),
    "quoted_newline_in_strict_column": _split_strict,
    "unterminated_quote": lambda s: (csv_text(s.header, s.rows) + '"' + ";".join(s.rows[0]) + "\n").encode(),
    "sql_in_strict_column": lambda s: _with(s, s.strict, SQL),
    "script_in_strict_column": lambda s: _with(s, s.strict, SCRIPT),
    "prose": lambda s: "Hej!\nHär kommer filen ni bad om.\nMed vänlig hälsning\nAnna\n".encode(),
    "too_long_text": lambda s: _with(s, s.text, "N" * (s.text_max + 1)) if s.text and s.text_max else None,
    "duplicate_rows": lambda s: None if s.duplicates_allowed else csv_text(s.header, [*s.rows, s.rows[0]]).encode(),
    "negative_number": lambda s: _when(s.number, lambda c: _with(s, c, "-58")),
    "nan": lambda s: _when(s.number, lambda c: _with(s, c, "NaN")),
    "infinity": lambda s: _when(s.number, lambda c: _with(s, c, "Infinity")),
    "exponent_overflow": lambda s: _when(s.number, lambda c: _with(s, c, "1e999")),
    "number_with_letters": lambda s: _when(s.number, lambda c: _with(s, c, "58 kr")),
    "month_13": lambda s: _when(s.period, lambda c: _with(s, c, "2012-13")),
    "period_year_zero": lambda s: _when(s.period, lambda c: _with(s, c, "0000-01")),
    "period_far_future": lambda s: _when(s.period, lambda c: _with(s, c, "9999-12")),
    "impossible_date": lambda s: _when(s.date, lambda c: _with(s, c, "2012-02-30")),
    "date_year_zero": lambda s: _when(s.date, lambda c: _with(s, c, "0000-01-01")),
    "date_far_future": lambda s: _when(s.date, lambda c: _with(s, c, "9999-12-31")),
    "bad_personnummer": lambda s: _when(s.personnummer, lambda c: _with(s, c, "19121212-1213")),
    "quoted_newline_in_text_column": lambda s: _with(s, s.text or s.strict, "Rad ett\nrad två"),
    "quoted_carriage_return": lambda s: _with(s, s.text or s.strict, "Rad ett\rrad två"),
    "one_line_of_90_mb": lambda s: b"x" * 90_000_000,
    "second_line_of_90_mb": lambda s: csv_text(s.header, []).encode() + b"y" * 90_000_000,
    "pay_period_1900_01": lambda s: _with(s, s.period, "1900-01") if s.pay_period else None,
    "pay_period_2100_12": lambda s: _with(s, s.period, "2100-12") if s.pay_period else None,
}


def _xlsx(spec: ImportSpec) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(spec.header)
    for row in spec.rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("fil.csv", content)
    return buffer.getvalue()


# --- legitimate files that must be read right ------------------------------------------------------

ACCEPTED: dict[str, Callable[[ImportSpec], bytes]] = {
    "crlf": lambda s: good(s, newline="\r\n"),
    "bom_at_start": lambda s: b"\xef\xbb\xbf" + good(s),
    "commas": lambda s: good(s, sep=","),
    "header_in_capitals_with_spaces": lambda s: csv_text([f" {h.upper()} " for h in s.header], s.rows).encode(),
    "blank_lines_between_rows": lambda s: good(s).replace(b"\n", b"\n\n"),
}


def hostile_text_rows(spec: ImportSpec, values: list[str]) -> bytes | None:
    """A good file whose free-text column holds ``values``, one per row (None: no free-text column)."""
    if spec.text is None:
        return None
    rows = []
    for n, value in enumerate(values):
        row = list(spec.padding(n + 1000))
        row[spec.column(spec.text)] = value
        rows.append(row)
    return csv_text(spec.header, rows).encode()
