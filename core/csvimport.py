"""Reading the CSV files that imports accept, one way for every import.

Files are UTF-8 (with or without BOM), separated by ``;`` or ``,``. Reading
never writes: an import collects every row error first and writes only when
there are none (all-or-nothing).
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_ERRORS = 100
MAX_CELL_LENGTH = 1000
# A row is read at most this far: a longer one cannot be a row of any import (a few cells of at most
# MAX_CELL_LENGTH), so a file of one 90 MB line is refused without being held in memory.
MAX_LINE_LENGTH = 64 * 1024
# Control characters have no place in a cell (tab excepted); NUL cannot even be stored by PostgreSQL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A line break inside a quoted cell is refused too: no column of any import holds more than one line.
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]")


@dataclass(frozen=True)
class RowError:
    row: int  # line number in the file, header = 1
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class ImportRejected(Exception):
    """The whole file is refused; ``errors`` says why, row by row."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


@dataclass
class ErrorCollector:
    errors: list[RowError] = field(default_factory=list)
    truncated: bool = False

    def add(self, row: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, str(message)))
        else:
            self.truncated = True

    def raise_if_any(self) -> None:
        if self.errors:
            errors = list(self.errors)
            if self.truncated:
                errors.append(RowError(0, "", _("More errors were found; only the first %d are listed.") % MAX_ERRORS))
            raise ImportRejected(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)


def _reject(message: str) -> ImportRejected:
    return ImportRejected([RowError(1, "", message)])


def open_text(binary: io.BufferedIOBase) -> io.TextIOBase:
    """Wrap an uploaded or opened file as text, refusing what is not UTF-8 text."""
    head = binary.read(4096)
    binary.seek(0)
    if not head.strip():
        raise _reject(_("The file is empty."))
    if b"\x00" in head:
        raise _reject(_("The file is not a text file (CSV)."))
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character may be cut at the end of the sample.
        if exc.start < len(head) - 3:
            raise _reject(_("The file is not UTF-8 encoded. Save it as CSV UTF-8 and try again.")) from exc
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _lines(text: io.TextIOBase, first_line: int) -> Iterator[str]:
    """The file's lines, each read at most MAX_LINE_LENGTH characters far (refused beyond)."""
    line = first_line
    while True:
        try:
            chunk = text.readline(MAX_LINE_LENGTH + 1)
        except UnicodeDecodeError as exc:
            raise _reject(_("The file is not UTF-8 encoded. Save it as CSV UTF-8 and try again.")) from exc
        if not chunk:
            return
        if len(chunk) > MAX_LINE_LENGTH:
            raise ImportRejected([RowError(line, "", _too_long_message())])
        yield chunk
        line += 1


def _too_long_message() -> str:
    return _(
        "the row is longer than %(line)s characters: a value is longer than %(cell)s characters, "
        "or the row has far more cells than the header"
    ) % {"line": number_format(MAX_LINE_LENGTH, force_grouping=True), "cell": MAX_CELL_LENGTH}


def sniff_delimiter(header_line: str) -> str:
    semicolons, commas = header_line.count(";"), header_line.count(",")
    return ";" if semicolons >= commas else ","


def read_rows(
    binary: io.BufferedIOBase, *, required: list[str], optional: list[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` with stripped values keyed by the header's columns.

    Raises ImportRejected for problems with the file as a whole (empty, binary,
    not UTF-8, missing or unknown columns, a line longer than MAX_LINE_LENGTH). Rows with
    the wrong number of cells are yielded with the key ``None`` holding the surplus or a
    missing value as None, and ``check_row_shape`` turns those into row errors. The line
    number is where the row starts.
    """
    size = _size_of(binary)
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        raise _reject(
            _("The file is larger than %(limit)s. Split it into smaller files.")
            % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )
    text = open_text(binary)
    try:
        header_line = text.readline(MAX_LINE_LENGTH + 1)
    except UnicodeDecodeError as exc:
        raise _reject(_("The file is not UTF-8 encoded. Save it as CSV UTF-8 and try again.")) from exc
    if len(header_line) > MAX_LINE_LENGTH:
        message = _("The first row has more than %(line)s characters; it must be the header %(columns)s.")
        columns = ";".join(required)
        raise _reject(message % {"line": number_format(MAX_LINE_LENGTH, force_grouping=True), "columns": columns})
    delimiter = sniff_delimiter(header_line)
    header = [h.strip().lower() for h in next(csv.reader([header_line], delimiter=delimiter))]
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    problems = []
    if missing:
        problems.append(RowError(1, ", ".join(missing), _("required column is missing")))
    if unknown:
        problems.append(RowError(1, ", ".join(unknown), _("unknown column")))
    if len(set(header)) != len(header):
        problems.append(RowError(1, "", _("a column appears twice in the header")))
    if problems:
        raise ImportRejected(problems)
    reader = csv.reader(_lines(text, first_line=2), delimiter=delimiter)
    width = len(header)
    line = 1  # the file's line where the current row starts (the header is line 1)
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            row = {column: (cells[i].strip() if i < len(cells) else None) for i, column in enumerate(header)}
            if len(cells) > width:
                row[None] = cells[width:]
            yield start, row
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            message = _("a value is longer than %d characters") % MAX_CELL_LENGTH
        else:
            message = _("The row cannot be read as CSV: %s") % exc
        raise ImportRejected([RowError(line + 1, "", message)]) from exc


def _size_of(binary) -> int | None:
    """The file's size: an upload knows it; an opened file is measured (the command line's files too)."""
    size = getattr(binary, "size", None)
    if size is not None:
        return size
    try:
        position = binary.tell()
        size = binary.seek(0, io.SEEK_END)
        binary.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return size


def check_row_shape(line: int, row: dict, errors: ErrorCollector) -> bool:
    """Report rows with too many or too few cells or oversized cells; True when the row is usable."""
    if row.get(None):
        errors.add(line, "", _("the row has more cells than the header"))
        return False
    if any(v is None for k, v in row.items() if k is not None):
        errors.add(line, "", _("the row has fewer cells than the header"))
        return False
    # The usual row, clean, in one pass over all its values; a row with something to say is looked at cell by cell.
    values = "".join(v for k, v in row.items() if k is not None)
    if (
        len(values) <= MAX_CELL_LENGTH
        and CONTROL_CHARACTERS.search(values) is None
        and LINE_BREAKS.search(values) is None
    ):
        return True
    for column, value in row.items():
        if value and len(value) > MAX_CELL_LENGTH:
            errors.add(line, column, _("the value is longer than %d characters") % MAX_CELL_LENGTH)
            return False
        if value and CONTROL_CHARACTERS.search(value):
            errors.add(line, column, _("the value contains a control character (such as NUL); remove it"))
            return False
        if value and LINE_BREAKS.search(value):
            errors.add(line, column, _("the value contains a line break (a quoted newline); remove it"))
            return False
    return True


def parse_decimal(value: str, *, places: int = 2) -> Decimal:
    """Parse ``1234,50`` or ``1234.50`` (spaces as thousand separators allowed); raise ValueError."""
    cleaned = (value or "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    quantum = Decimal(1).scaleb(-places)
    try:
        quantized = number.quantize(quantum)
    except InvalidOperation as exc:  # e.g. 1e999: more digits than a Decimal holds
        raise ValueError(value) from exc
    if number != quantized:
        raise ValueError(value)
    return quantized
