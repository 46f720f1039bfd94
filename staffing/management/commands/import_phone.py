from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.csvimport import ImportRejected
from staffing.services import import_phone


class Command(BaseCommand):
    help = (
        "Import the phone service's monthly figures exported by the telephony system "
        "(period;calls;answered_25s;first_contact_resolved;emails;emails_within_1d). A month already entered "
        "is replaced. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as handle:
            try:
                summary = import_phone(file=handle)
            except ImportRejected as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError("The file was rejected. Nothing was imported.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {', '.join(summary.periods)}: {summary.created} new, {summary.updated} changed, "
                f"{summary.unchanged} unchanged."
            )
        )
