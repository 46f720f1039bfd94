"""The monthly close with every PDF through Redis to real Celery workers: the close's one
transaction, then the PDFs shared out over ``--workers`` worker processes, then the month's zip.

Unlike ``bench``'s rolled-back close, this one commits: the open month of the bench database is
closed afterwards (generate it again to reopen it), unless ``--undo`` deletes that close again as
``make bench`` does (bench.workers.undo_close). Refuses a database not named *bench*. Needs
CELERY_BROKER_URL=redis://…
"""

from django.core.management.base import BaseCommand, CommandError

from bench.base import BenchError
from bench.workers import before_close, close_through_workers, undo_close


class Command(BaseCommand):
    help = "Close the open month with every PDF rendered by real Celery workers, and time it."

    def add_arguments(self, parser):
        parser.add_argument("period", help="YYYY-MM: the open month of the bench database")
        parser.add_argument("--workers", type=int, default=2, help="worker processes (prefork concurrency)")
        parser.add_argument("--timeout", type=int, default=600)
        parser.add_argument("--pdfs-of-job", type=int, default=None, help="only render the PDFs of this done close")
        parser.add_argument("--undo", action="store_true", help="delete the close again afterwards (bench data)")

    def handle(self, *args, period, workers, timeout, pdfs_of_job, undo, **options):
        from invoicing.models import CloseJob

        try:
            before = before_close()
            run = close_through_workers(period, workers=workers, timeout=timeout, pdfs_of_job=pdfs_of_job)
            if pdfs_of_job:
                job = CloseJob.objects.get(pk=pdfs_of_job)
                seconds = (job.finished_at - job.started_at).total_seconds()
                self.stdout.write(f"(the close's transaction, run before: {seconds:.1f} s)")
            self.stdout.write(
                f"close of {period}: {run.invoices} invoices issued in {run.close_seconds:.1f} s; "
                f"{run.pdfs_done} PDFs done ({run.pdfs_failed} failed) {run.pdfs_seconds:.1f} s after the start "
                f"with {workers} worker processes; the month's zip {run.zip_seconds:.1f} s later; "
                f"total {run.total_seconds:.1f} s"
            )
            if undo and not pdfs_of_job:
                self.stdout.write(f"undone: {undo_close(period, run.job_id, before)} invoices deleted again")
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
