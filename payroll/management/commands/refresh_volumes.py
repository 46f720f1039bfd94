from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.periods import parse_period, periods_between
from payroll.services.volumes import refresh_monthly_volumes


class Command(BaseCommand):
    help = "Recount payslips per month, agency and channel into the aggregate the dashboards read."

    def add_arguments(self, parser):
        parser.add_argument("first", help="first month, YYYY-MM")
        parser.add_argument("last", nargs="?", help="last month, YYYY-MM (default: the first)")

    def handle(self, *args, first, last, **options):
        last = last or first
        try:
            parse_period(first)
            parse_period(last)
        except ValidationError as exc:
            raise CommandError("Give the months as YYYY-MM.") from exc
        if last < first:
            raise CommandError("The last month comes before the first.")
        rows = refresh_monthly_volumes(periods=periods_between(first, last))
        self.stdout.write(f"{rows} rows for {first} – {last}.")
