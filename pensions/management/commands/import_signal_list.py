import datetime as dt

from django.core.management.base import CommandError

from core.importing import ImportCommand
from organisation.selectors import UnitLookup
from pensions.imports import import_signal_list
from pensions.models import Provider


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(ImportCommand):
    help = (
        "Import a provider's signal list from CSV (personnummer;agency;signal;event_date, optionally "
        "name;due_date;note). All or nothing: any row error rejects the whole file."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--provider", required=True, choices=Provider.values)
        parser.add_argument("--name", required=True, help="the list's name, e.g. 'KPA: pensionsavgångar mars 2012'")
        parser.add_argument("--unit", required=True, help="the handling unit's code or name")
        parser.add_argument("--received", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument("--deadline", required=True, type=_date, help="YYYY-MM-DD")

    def run_import(self, file, options):
        received, deadline = (
            value if isinstance(value, dt.date) else _date(value)
            for value in (options["received"], options["deadline"])
        )
        unit = UnitLookup().find(options["unit"])
        if unit is None:
            raise CommandError(f"No unit has the code or name {options['unit']}")
        return import_signal_list(
            file=file,
            provider=options["provider"],
            name=options["name"],
            unit=unit,
            received_on=received,
            deadline=deadline,
            filename=options["file_name"],
        )
