from core.importing import ImportCommand
from economy.imports import import_cost_budget


class Command(ImportCommand):
    help = (
        "Import the cost budget from CSV (year;unit;cost_type;amount; the unit by code or name, the cost type "
        "personnel, premises, it or overhead). Every year in the file replaces that year's budget. All or nothing."
    )

    def run_import(self, file, options):
        return import_cost_budget(file=file)
