import pathlib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.periods import parse_period
from invoicing import peppol
from invoicing.models import Invoice


class Command(BaseCommand):
    help = (
        "Write the month's invoices and credit notes as Peppol BIS Billing 3.0 e-invoices (UBL), "
        "one file per document named by its number."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the month, YYYY-MM")
        parser.add_argument("--output", required=True, help="the folder to write to (created if missing)")

    def handle(self, *args, period, output, **options):
        try:
            parse_period(period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        folder = pathlib.Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        documents = Invoice.objects.filter(period=period).select_related("agency", "credited_invoice")
        written, failed = 0, []
        for invoice in documents.prefetch_related("lines").order_by("series_year", "sequence"):
            try:
                xml = peppol.einvoice_xml(invoice)
            except peppol.EInvoiceError as exc:
                failed.append(f"{invoice.number}: {exc}")
                continue
            (folder / peppol.filename(invoice)).write_bytes(xml)
            written += 1
        self.stdout.write(f"{written} e-invoices for {period} written to {folder}")
        if failed:
            raise CommandError("not written:\n" + "\n".join(failed))
