import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from core.importing import ImportCommand
from register.imports import import_register_file
from register.services import default_deadline


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(ImportCommand):
    help = (
        "Import a file from the tax agency's person register (EPS) from CSV (personnummer;name;street_address;"
        "postal_code;city;protected_identity, optionally care_of;deceased_on). All or nothing."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--received", type=_date, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--deadline", type=_date, help="YYYY-MM-DD (default: 5 working days after receipt)")
        parser.add_argument("--user", help="the user name to record as importer")

    def run_import(self, file, options):
        received = options.get("received") or timezone.localdate()
        received = received if isinstance(received, dt.date) else _date(received)
        deadline = options.get("deadline") or default_deadline(received)
        deadline = deadline if isinstance(deadline, dt.date) else _date(deadline)
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']}")
        return import_register_file(
            file=file, received_on=received, deadline=deadline, user=user, filename=options["file_name"]
        )
