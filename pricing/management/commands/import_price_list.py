from core.importing import ImportCommand
from pricing.imports import import_price_list


class Command(ImportCommand):
    help = (
        "Import a year's price list from a CSV file with the header year;item_code;name;unit;price "
        "(optional columns base_item and note). One year per file. A year without a frozen version "
        "gets its newest version replaced; a year with a frozen version is refused. All or nothing."
    )

    def run_import(self, file, options):
        return import_price_list(file)
