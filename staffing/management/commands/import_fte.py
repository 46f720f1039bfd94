from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.csvimport import ImportRejected
from staffing.services import import_fte


class Command(BaseCommand):
    help = (
        "Import FTE per month, unit and category from CSV (period;unit;category;fte). Rows of the same month, "
        "unit and category are summed; each month in the file replaces that month's figures for every unit. "
        "All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as handle:
            try:
                summary = import_fte(file=handle)
            except ImportRejected as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError("The file was rejected. Nothing was imported.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {', '.join(summary.periods)}: {summary.created} new, {summary.updated} changed, "
                f"{summary.deleted} removed, {summary.unchanged} unchanged."
            )
        )
