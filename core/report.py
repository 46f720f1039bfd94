"""A report as a table: columns with machine names and labels, rows and a total row, shown
as a page or written as CSV, XLSX or PDF. CSV has a header row of the machine names, commas,
``.`` decimals and one row per agency or unit plus the total row.

What people read — the page, the PDF and the files downloaded from the page — names units by
their names and the total rows in their words ("Totalt", "Hela verksamheten"), met/not met in
the page's words; only the machine CSV (``render(fmt, machine=True)``, the ``report`` command)
keeps the codes and the documented ``TOTAL``/``ALL`` keys."""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from . import exports
from .pdf import render_pdf

TOTAL = "TOTAL"
ALL = "ALL"  # the whole service, in a report per unit


def column_sums(rows: list[dict], keys) -> dict:
    """The total row's figures: each of ``keys`` summed over ``rows``."""
    return {key: sum(row[key] for row in rows) for key in keys}


@dataclass(frozen=True)
class Column:
    key: str  # CSV header
    label: str  # page and PDF header
    kind: str = "text"  # text, int, decimal, pct, money, status
    page: bool = True  # shown on the page and PDF (all columns go to CSV/XLSX)
    display_key: str | None = None  # the row's key read instead where people read (a unit's name for its code)


@dataclass
class Report:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict]
    total: dict | None = None
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)
    charts: list = field(default_factory=list)
    sections: list = field(default_factory=list)  # extra (title, Report) tables on page and PDF
    # On page and PDF, a wide report can be shown as several tables: (title, [column keys]),
    # each led by the first column. CSV and XLSX keep one row per unit/agency with every column.
    column_groups: list = field(default_factory=list)

    @property
    def group_reports(self) -> list[tuple[str, "Report"]]:
        by_key = {c.key: c for c in self.columns}
        return [
            (
                title,
                Report(
                    name=self.name,
                    title=title,
                    columns=[self.columns[0], *(by_key[k] for k in keys)],
                    rows=self.rows,
                    total=self.total,
                ),
            )
            for title, keys in self.column_groups
        ]

    def all_rows(self) -> list[dict]:
        return self.rows + ([self.total] if self.total else [])

    def values(self, row: dict, machine: bool = True) -> list:
        if machine:
            return [machine_value(row.get(c.key)) for c in self.columns]
        return [_readable(c.kind, _display(_shown(row, c))) for c in self.columns]

    @property
    def page_columns(self) -> list[Column]:
        return [c for c in self.columns if c.page]

    def display_rows(self, rows=None) -> list[list[tuple[str, object]]]:
        """Rows for the page and the PDF: the CSV's machine names (TOTAL, ALL) in the reader's words."""
        rows = rows if rows is not None else self.rows
        return [
            [(row.get("_kinds", {}).get(c.key, c.kind), _display(_shown(row, c))) for c in self.page_columns]
            for row in rows
        ]

    @property
    def display_total(self):
        return self.display_rows([self.total])[0] if self.total else None

    def csv(self, machine: bool = False) -> bytes:
        rows = (self.values(r, machine) for r in self.all_rows())
        return exports.csv_bytes([c.key for c in self.columns], rows)

    def xlsx(self, machine: bool = False) -> bytes:
        header = [str(c.label) for c in self.columns]
        return exports.xlsx_bytes(header, (self.values(r, machine) for r in self.all_rows()), title=self.name)

    def pdf(self) -> bytes:
        return render_pdf("core/pdf/report.html", {"report": self})

    def render(self, fmt: str, machine: bool = False) -> bytes:
        """The report as a file: for people (names, "Totalt"), or with ``machine`` the CSV/XLSX of the
        documented codes and keys (``TOTAL``, ``ALL``, met/not_met) that the ``report`` command writes."""
        if fmt == "pdf":
            return self.pdf()
        return {"csv": self.csv, "xlsx": self.xlsx}[fmt](machine=machine)

    def filename(self, fmt: str) -> str:
        return f"{self.name}.{fmt}"


def machine_value(value):
    """CSV/XLSX cell: numbers stay numbers (Decimal → '.' decimals), status as met/not_met."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "met" if value else "not_met"
    return value


def _shown(row: dict, column: Column):
    """What people read in a column: its display key's value when the row has one (a unit's name)."""
    if column.display_key and row.get(column.display_key) not in (None, ""):
        return row[column.display_key]
    return row.get(column.key)


def _readable(kind: str, value):
    """A downloaded cell for people: numbers stay numbers, met/not met in the page's words."""
    if isinstance(value, bool) or kind == "status":
        return None if value is None else (gettext("met") if value else gettext("not met"))
    return machine_value(value)


def _display(value):
    if value == TOTAL:
        return gettext("Total")
    if value == ALL:
        return gettext("Whole service")
    return value
