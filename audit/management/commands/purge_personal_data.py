import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.retention import purge_personal_data


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = (
        "Anonymise or delete the personal data (names, personal identity numbers, case notes, payslip files) "
        "of payroll and pension work that ended more than PERSONAL_DATA_RETENTION_YEARS calendar years ago. "
        "Cases, volumes and invoices keep their counts and totals. Safe to run again; --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be removed, remove nothing")
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help=f"full calendar years to keep (default {settings.PERSONAL_DATA_RETENTION_YEARS})",
        )
        parser.add_argument("--today", type=_date, default=None, help="count from this day instead of today")

    def handle(self, *args, dry_run=False, years=None, today=None, **options):
        try:
            result = purge_personal_data(today=today, years=years, dry_run=dry_run)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(f"Personal data of work that ended before {result.cutoff:%Y-%m-%d}:")
        self.stdout.write(f"  people anonymised:        {result.people_anonymised}")
        self.stdout.write(f"  people deleted:           {result.people_deleted}")
        self.stdout.write(f"  their payroll cases:      {result.payroll_cases}")
        self.stdout.write(f"  their pension cases:      {result.pension_cases}")
        self.stdout.write(f"  their signals:            {result.signals}")
        self.stdout.write(f"  notes emptied:            {result.notes_cleared}")
        self.stdout.write(f"  history rows cleared:     {result.history_rows_cleared}")
        self.stdout.write(f"  payslip files deleted:    {result.import_files_deleted}")
        self.stdout.write(f"  case documents deleted:   {result.documents_deleted}")
        if not result.changed_anything:
            self.stdout.write(self.style.SUCCESS("Nothing to remove."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{verb} the above." + (" Nothing was changed." if dry_run else "")))
