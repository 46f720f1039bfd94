"""The close benchmarks: the monthly close with all its PDFs, and one invoice PDF, against
a minimal WeasyPrint page. With a broker (CELERY_BROKER_URL) the close is also run as in production,
committed through real Celery worker processes, and undone afterwards (bench/workers.py)."""

import contextlib
import io
import zipfile

from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from . import workers
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
        with transaction.atomic(), _eager_tasks():
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
        if workers.broker_in_use():
            self.part_close_workers()

    def part_close_workers(self) -> None:
        """The close as in production: one Celery worker process runs the close's transaction and
        commits, then the PDFs are shared out over ``close_workers`` processes, then the zip is built;
        timed from queueing the close to the zip, then undone (the bench database keeps its open month)."""
        period, count = self.open_period, self.config.close_workers
        self.say(f"Monthly close of {period} through {count} Celery worker processes (committed, then undone) …")
        before = workers.before_close()
        try:
            run = workers.close_through_workers(period, workers=count)
        except BenchError:
            workers.undo_unfinished_close(period, before)  # the workers are stopped: leave the month open
            raise
        try:
            if run.pdfs_failed or run.pdfs_done != run.invoices:
                raise BenchError(f"{run.pdfs_done} of {run.invoices} PDFs were rendered ({run.pdfs_failed} failed)")
        finally:
            workers.undo_close(period, run.job_id, before)
        # The floor: the minimal page rendered once for every invoice, shared evenly over the same
        # number of worker processes (sequential seconds here ÷ processes; no close, queue or zip).
        sequential, _none = once(lambda: [self.minimal_pdf() for _i in range(run.invoices)])
        baseline = sequential / count
        self.results.add(
            Line(
                f"monthly close, {run.invoices} agencies, with all PDFs, {count} Celery workers",
                Figure(run.total_seconds),
                Figure(baseline),
                target="≤ 60 s",
                met=run.total_seconds <= 60,
                note=f"committed through the broker, then undone: close {run.close_seconds:.1f} s, every PDF done "
                f"{run.pdfs_seconds:.1f} s after the start, the zip {run.zip_seconds:.1f} s later; baseline: minimal "
                f"WeasyPrint page × {run.invoices} ({sequential:.1f} s in one process) ÷ {count} worker processes",
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


@contextlib.contextmanager
def _eager_tasks():
    """The rolled-back close runs its tasks here even when a broker is set: queued, its PDF tasks
    would reach the workers after the rollback, for invoices that no longer exist."""
    from invoicing.tasks import run_close

    app = run_close.app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = eager
