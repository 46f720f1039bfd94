import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.csvimport import ImportRejected
from organisation.models import Unit
from pensions.models import Provider
from pensions.services import import_signal_list


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = (
        "Import a provider's signal list from CSV (personnummer;agency;signal;event_date, optionally "
        "name;due_date;note). All or nothing: any row error rejects the whole file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--provider", required=True, choices=Provider.values)
        parser.add_argument("--name", required=True, help="the list's name, e.g. 'KPA: pensionsavgångar mars 2012'")
        parser.add_argument("--unit", required=True, help="code of the handling unit")
        parser.add_argument("--received", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument("--deadline", required=True, type=_date, help="YYYY-MM-DD")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        received, deadline = (
            value if isinstance(value, dt.date) else _date(value)
            for value in (options["received"], options["deadline"])
        )
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit has the code {options['unit']}")
        with path.open("rb") as handle:
            try:
                signal_list = import_signal_list(
                    file=handle,
                    provider=options["provider"],
                    name=options["name"],
                    unit=unit,
                    received_on=received,
                    deadline=deadline,
                    filename=path.name,
                )
            except ImportRejected as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError("The file was rejected. Nothing was imported.") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Imported {signal_list.items.count()} signals into '{signal_list.name}'.")
        )
