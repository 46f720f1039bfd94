from django.core.management.base import BaseCommand, CommandError

from core.csvimport import ImportRejected
from pricing.imports import import_price_list
from pricing.services import PriceListFrozen


class Command(BaseCommand):
    help = (
        "Import a year's price list from a CSV file with the header year;item_code;name;unit;price "
        "(optional columns base_item and note). One year per file. A year without a frozen version "
        "gets its newest version replaced; a year with a frozen version is refused. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the CSV file (UTF-8, ; or , separated)")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                result = import_price_list(handle)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{file}: {len(exc.errors)} error(s); nothing was imported.") from exc
        except PriceListFrozen as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
