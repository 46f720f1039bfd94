import pathlib
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.periods import parse_period
from invoicing import sie
from invoicing.models import Invoice


class Command(BaseCommand):
    help = "Write the month's invoices and credit notes as an SIE 4I file of vouchers (CP437) for the ledger."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the month, YYYY-MM")
        parser.add_argument("--output", help="the file to write (default: standard output)")

    def handle(self, *args, period, output, **options):
        try:
            parse_period(period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        data = sie.sie_file(Invoice.objects.filter(period=period), period=period)
        if output:
            pathlib.Path(output).write_bytes(data)
            self.stdout.write(f"{len(sie.parse(data).vouchers)} vouchers for {period} written to {output}")
        else:
            sys.stdout.buffer.write(data)
