from django.core.management.base import BaseCommand, CommandError

from core.csvimport import ImportRejected
from customers.imports import import_agencies


class Command(BaseCommand):
    help = (
        "Import or update agencies from a CSV file with the header code;name;kind;unit "
        "(kind: district or specialist; a unit that does not exist is created). "
        "All or nothing: any bad row rejects the whole file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the CSV file (UTF-8, ; or , separated)")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                result = import_agencies(handle)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{file}: {len(exc.errors)} error(s); nothing was imported.") from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
