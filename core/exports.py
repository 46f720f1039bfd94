"""CSV and XLSX downloads that spreadsheet programs cannot be tricked by.

A cell that starts with ``= + - @`` (or a tab/CR) would run as a formula in
Excel; such text cells are prefixed with an apostrophe. Numbers stay numbers.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.functional import Promise

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, Promise):  # a lazy translation is text too
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str = "Data") -> bytes:
    from openpyxl import Workbook  # here: ~1 s of start-up (loaded) for every command otherwise

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, filename: str) -> HttpResponse:
    content_types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
        "zip": "application/zip",
        "xml": "application/xml",
    }
    extension = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=content_types.get(extension, "application/octet-stream"))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
