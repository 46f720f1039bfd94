from core.importing import ImportCommand
from customers.imports import import_agencies


class Command(ImportCommand):
    help = (
        "Import or update agencies from a CSV file with the header code;name;kind;unit "
        "(kind: district or specialist; unit: a unit's code or name, created when it does not exist). "
        "All or nothing: any bad row rejects the whole file."
    )

    def run_import(self, file, options):
        return import_agencies(file)
