from core.importing import ImportCommand
from staffing.imports import import_fte


class Command(ImportCommand):
    help = (
        "Import FTE per month, unit and category from CSV (period;unit;category;fte; the unit by code or name). "
        "Rows of the same month, unit and category are summed; each month in the file replaces that month's "
        "figures for every unit. All or nothing."
    )

    def run_import(self, file, options):
        return import_fte(file=file)
