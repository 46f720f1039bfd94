"""Names, not codes, where people read: units by name and total rows as "Totalt" on the Swedish pages,
in the PDFs and in the files downloaded from the pages; only the machine CSV of ``manage.py report``
keeps the unit codes and its documented ``TOTAL``/``ALL`` keys."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

CODES = re.compile(r"\b(lon1|lon2|ALL|TOTAL)\b")
PAGES = [
    ("reporting:volume_report", {"period": "2012-03"}),
    ("reporting:productivity_report", {"scope": "month", "period": "2012-03"}),
    ("reporting:tertial_report", {"year": "2012", "tertial": "1"}),
    ("reporting:service_dashboard", {"period": "2012-03"}),
    ("reporting:unit_dashboard", {"period": "2012-03"}),
]


@pytest.fixture
def swedish(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"


def _main(html: str) -> str:
    """The page's main content as text (the menu and the filter form's options left out)."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<(select|script|style)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r'(href|src|value|name|id|for|class)="[^"]*"', " ", main)
    return re.sub(r"<[^>]+>", " ", main)


@pytest.mark.parametrize("url_name, query", PAGES)
def test_swedish_pages_name_units_and_totals(
    volumes, staffing_figures, client, swedish, head_of_service, unit_manager, url_name, query
):
    client.force_login(unit_manager if url_name == "reporting:unit_dashboard" else head_of_service)
    text = _main(client.get(reverse(url_name), query).content.decode())
    assert not CODES.findall(text), CODES.findall(text)
    if url_name in ("reporting:volume_report", "reporting:productivity_report"):
        assert "Löneenhet 1" in text
    if url_name == "reporting:volume_report":
        assert "Totalt" in text
    if url_name == "reporting:productivity_report":
        assert "Hela verksamheten" in text


@pytest.mark.parametrize("url_name, query", PAGES[:3])
def test_pdfs_and_downloads_from_the_pages_name_units_and_totals(
    volumes, staffing_figures, client, swedish, head_of_service, url_name, query
):
    client.force_login(head_of_service)
    url = reverse(url_name)
    pdf = client.get(url, {**query, "format": "pdf"}).content
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert not CODES.findall(pdf_text), CODES.findall(pdf_text)
    rows = list(csv.reader(io.StringIO(client.get(url, {**query, "format": "csv"}).content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if CODES.fullmatch(c)], rows
    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {**query, "format": "xlsx"}).content))
    xlsx_cells = [str(c) for row in book.active.iter_rows(min_row=2, values_only=True) for c in row if c is not None]
    assert not [c for c in xlsx_cells if CODES.fullmatch(c)], xlsx_cells
    if url_name == "reporting:volume_report":
        assert rows[-1][0] == "Totalt" and "Löneenhet 1" in cells
        assert xlsx_cells[-len(rows[-1]) :] and "Totalt" in xlsx_cells
    if url_name == "reporting:productivity_report":
        assert [r[0] for r in rows[1:]] == ["Löneenhet 1", "Löneenhet 2", "Hela verksamheten"]
        assert "uppnått" in cells and "met" not in cells


def test_only_the_report_commands_machine_csv_keeps_codes_and_all(volumes, staffing_figures):
    out = io.StringIO()
    call_command("report", "productivity", "--period", "2012-03", "--format", "csv", stdout=out)
    assert [r["unit"] for r in csv.DictReader(io.StringIO(out.getvalue()))] == ["lon1", "lon2", "ALL"]
    out = io.StringIO()
    call_command("report", "volume", "--period", "2012-03", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[-1]["agency_code"] == "TOTAL" and rows[0]["unit"] == "lon1"
