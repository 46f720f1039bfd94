from core.importing import ImportCommand
from economy.imports import import_actual_costs


class Command(ImportCommand):
    help = (
        "Import the ledger's actual costs from CSV (period;ansvar;konto;amount). Every month in the file "
        "replaces that month's costs; every cost centre and account must be mapped first. All or nothing."
    )

    def run_import(self, file, options):
        return import_actual_costs(file=file)
