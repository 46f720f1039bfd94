"""The close benchmarks: the monthly close with all its PDFs, and one invoice PDF, against
a minimal WeasyPrint page."""

import io
import zipfile

from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from .base import MINIMAL_PAGE, BenchError
from .harness import Figure, Line, once, percentile, timings


class CloseParts:
    """The close and PDFs (mixed into bench.runner.Bench)."""

    def minimal_pdf(self) -> bytes:
        from weasyprint import HTML

        return HTML(string=MINIMAL_PAGE).write_pdf()

    def part_close(self) -> None:
        from invoicing.models import Invoice

        period = self.open_period
        self.say(f"Monthly close of {period} with every invoice PDF (rolled back afterwards) …")
        client = self.client("finance")
        with transaction.atomic():
            close_seconds, _none = once(lambda: call_command("close_month", period, stdout=io.StringIO()))
            invoices = Invoice.objects.filter(period=period).count()
            zip_url = reverse("invoicing:invoice_zip", args=[period])
            pdf_seconds, archive = once(lambda: self.fetch(client, zip_url))
            with zipfile.ZipFile(io.BytesIO(archive)) as z:
                pdfs = len([n for n in z.namelist() if n.endswith(".pdf")])
            transaction.set_rollback(True)
        if invoices == 0 or pdfs != invoices:
            raise BenchError(f"The close of {period} issued {invoices} invoices and the zip held {pdfs} PDFs")
        baseline, _none = once(lambda: [self.minimal_pdf() for _i in range(invoices)])
        total = close_seconds + pdf_seconds
        self.results.add(
            Line(
                f"monthly close, {invoices} agencies, with all PDFs",
                Figure(total),
                Figure(baseline),
                target="≤ 20 s",
                met=total <= 20,
                note=f"close_month {close_seconds:.1f} s + {pdfs} PDFs in the month's zip {pdf_seconds:.1f} s; "
                f"baseline: minimal WeasyPrint page × {invoices}",
            ),
            self.say,
        )

    def part_pdf(self) -> None:
        from invoicing.models import Invoice

        invoice = Invoice.objects.filter(period=self.closed_period, kind="invoice").order_by("agency_code").first()
        if invoice is None:
            raise BenchError(f"No invoice of {self.closed_period} to render")
        self.say(f"Invoice PDF {invoice.number} …")
        client = self.client("finance")
        url = reverse("invoicing:invoice_pdf", args=[invoice.pk])
        label = "one invoice PDF"
        self.count_queries(label, client, url)
        product = timings(lambda: self.fetch(client, url), repeat=self.config.pdf_repeat, warmup=1)
        baseline = timings(self.minimal_pdf, repeat=self.config.pdf_repeat, warmup=1)
        p50, base50 = percentile(product, 50), percentile(baseline, 50)
        self.results.add(
            Line(
                label,
                Figure(p50),
                Figure(base50),
                target="≤ 3 × minimal page",
                met=p50 <= 3 * base50,
                note=f"median of {self.config.pdf_repeat}, {invoice.lines.count()} lines; "
                f"{self.query_counts[label]} queries",
            ),
            self.say,
        )
