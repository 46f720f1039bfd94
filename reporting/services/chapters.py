"""A board report (the tertial report, the monthly report): chapters of tables, commentary and charts,
shown on the page and written as one PDF with a cover, contents and page numbers.

The page and the PDF render the same ``BoardReport`` object, built once by one function
(``reporting.services.tertial.board_tertial_report``, ``reporting.services.monthly.monthly_report``), so
the PDF's figures are the page's. CSV and Excel are the first chapter's table (the indicators)."""

from dataclasses import dataclass, field

from core.pdf import render_pdf
from core.report import Report


@dataclass
class Chapter:
    key: str  # anchor on the page and in the PDF's contents
    title: str
    tables: list[tuple[str, Report]] = field(default_factory=list)  # (subtitle, table)
    notes: list[str] = field(default_factory=list)  # commentary, shown above the tables
    charts: list = field(default_factory=list)


def table_chapter(
    key: str, title: str, columns: list, rows: list[dict], *, table_title=None, total=None, notes=(), charts=()
) -> Chapter:
    """A chapter of one table named after the chapter: the shape of most chapters of the board's reports."""
    table = Report(name=key, title=table_title or title, columns=columns, rows=rows, total=total)
    return Chapter(key=key, title=title, tables=[("", table)], notes=list(notes), charts=list(charts))


@dataclass
class BoardReport(Report):
    kind: str = "tertial"  # tertial, monthly
    scope: str = ""  # 2012-T1, 2012-03
    chapters: list[Chapter] = field(default_factory=list)

    def chapter(self, key: str) -> Chapter:
        return next(c for c in self.chapters if c.key == key)

    def pdf(self) -> bytes:
        return render_pdf("reporting/pdf/board.html", {"report": self})
