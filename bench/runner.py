"""The benchmarks of ``make bench``: the product's figure, the floor the same machine sets
(raw PostgreSQL or a minimal WeasyPrint page) measured in the same run, and their ratio.

| work | product | baseline |
| import one month (50,000 rows) | ``manage.py import_payslips`` end to end | COPY of the same file into a bare table |
| unit dashboard, 5 years | p50/p95 of the page (test client, warm) | the raw GROUP BY giving the same numbers |
| payroll case list | p50/p95 of page 1 and deep pages | the raw SQL of the same page |
| monthly close with all PDFs | ``manage.py close_month`` + the month's PDF zip | minimal WeasyPrint page × invoices |
| the same via Celery workers (broker set) | close + PDFs + zip, committed, undone | minimal page × invoices ÷ workers |
| one invoice PDF | the PDF view | minimal WeasyPrint page |
| import memory | peak RSS of the import process, 50,000 and 500,000 rows | — (must stay flat) |

Everything the benchmarks write is undone: imports are deleted again, the close runs inside a
transaction that is rolled back, and the close through the workers (committed) is deleted again
(``bench.workers.undo_close``). Only the three ``bench-*`` users stay.
"""

import os

from django.conf import settings
from django.db import connection
from django.test.utils import override_settings

from . import harness
from .base import PARTS, BenchBase, BenchError, Config
from .harness import Results
from .parts_close import CloseParts
from .parts_import import ImportParts
from .parts_pages import PageParts

__all__ = ["PARTS", "Bench", "BenchError", "Config"]


class Bench(ImportParts, PageParts, CloseParts, BenchBase):
    """Every part of ``make bench``; each part lives in its own module (bench/parts_*.py)."""

    def run(self) -> Results:
        parts = self.config.parts
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
            self.results.machine = harness.machine(connection)
            self.prepare()
            self.say(
                f"Data: {self.results.data}; open month {self.open_period}, latest closed {self.closed_period}. "
                f"Load average {self.results.machine['load']}."
            )
            first = self.part_import() if "import" in parts else None
            if "memory" in parts:
                self.part_memory(first)
            if {"import", "memory"} & set(parts):
                self.vacuum()
            if "dashboard" in parts:
                self.part_dashboard()
            if "list" in parts:
                self.part_list()
            if "close" in parts:
                self.part_close()
            if "pdf" in parts:
                self.part_pdf()
            if "queries" in parts:
                self.part_queries()
            self.results.machine["load_end"] = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        return self.results

    def queries_only(self) -> dict[str, int]:
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
            self.prepare()
            return self.query_pages()
