"""The one shape of every import: read the file (``core.csvimport``), check every row, write
everything in one transaction, and say what happened in one ``ImportResult``.

An app's import subclasses ``Importer`` (``check_row`` for each row, ``check_file`` for what only
the whole file shows, ``write`` for the transaction); its upload page uses ``core.uploads.import_page``
and its command subclasses ``ImportCommand``, so every import is refused, reported and shown alike.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy

from .csvimport import ErrorCollector, ImportRejected, RowError, check_row_shape, read_rows


@dataclass
class ImportResult:
    """What an import did: counts by outcome and a sentence saying so, or the row errors that
    refused the file (then nothing was written). ``queued``: handed to the worker, whose job
    page shows the outcome."""

    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    message: str = ""
    details: list[str] = field(default_factory=list)  # more lines for the page and the command
    target: Any = None  # what the import made or changed, for a link (a price list, a signal list, a job)
    queued: bool = False

    @property
    def imported(self) -> bool:
        return not self.errors and not self.queued

    @property
    def rejected(self) -> bool:
        return bool(self.errors)

    @classmethod
    def refused(cls, errors: list[RowError], **kwargs) -> "ImportResult":
        return cls(errors=list(errors), **kwargs)


class Importer:
    """Read, check every row, then write in one transaction; a refused file writes nothing.

    Subclasses set ``columns`` (and ``optional``), ``empty_message``, and implement
    ``check_row(line, row)`` (add errors to ``self.errors``; return the checked row or None)
    and ``write()`` (returns the ImportResult; runs inside the transaction, and may raise
    ImportRejected to roll it back). ``check_file()`` runs after the last row for checks across
    rows; ``keep(checked)`` stores a checked row (a streaming import stages it instead).
    """

    columns: list[str] = []
    optional: list[str] = []
    empty_message = gettext_lazy("The file has a header but no rows.")

    def __init__(self):
        self.errors = ErrorCollector()
        self.rows: list = []
        self.rows_read = 0

    def run(self, file) -> ImportResult:
        try:
            self.read(file)
            with transaction.atomic():
                return self.write()
        except ImportRejected as rejected:
            return ImportResult.refused(rejected.errors)

    def read(self, file) -> None:
        """Check the whole file; raise ImportRejected with every error (sorted by row)."""
        self.check_start()
        for line, row in read_rows(file, required=self.columns, optional=self.optional):
            self.rows_read += 1
            if not check_row_shape(line, row, self.errors):
                continue
            checked = self.check_row(line, row)
            if checked is not None:
                self.keep(checked)
        self.check_file()
        if not self.rows_read:
            self.errors.add(2, "", str(self.empty_message))
        self.errors.errors.sort(key=lambda e: e.row)  # stable: a row's errors keep their column order
        self.errors.raise_if_any()

    def check_start(self) -> None:
        """Checks of what comes with the file (a list's dates, say) before its rows are read."""

    def check_row(self, line: int, row: dict[str, str]):
        raise NotImplementedError

    def keep(self, checked) -> None:
        self.rows.append(checked)

    def check_file(self) -> None:
        """Checks across rows, after the last one."""

    def write(self) -> ImportResult:
        raise NotImplementedError


class ImportCommand(BaseCommand):
    """Every import command: a FILE, the import run on it, then its summary or every row error
    (a CommandError: nothing was imported). Subclasses implement ``run_import(file, options)``."""

    # The system checks load every URL module and view (~0.4 s quiet, seconds on a busy machine)
    # before each import; they run at deploy and with every other command.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file (UTF-8, separated by ; or ,)")

    def run_import(self, file, options: dict) -> ImportResult:
        raise NotImplementedError

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open("rb") as binary:
            result = self.run_import(binary, {**options, "file_name": file.name})
        if result.rejected:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{file.name} was rejected with {len(result.errors)} error(s). Nothing was imported.")
        for line in result.details:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(result.message))
