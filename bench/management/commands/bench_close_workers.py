"""The monthly close with every PDF through Redis to real Celery workers: the close's one
transaction, then the PDFs shared out over ``--workers`` worker processes, then the month's zip.

Unlike ``bench``'s close (rolled back, in one process), this one commits: the open month of the
bench database is closed afterwards (generate it again to reopen it). Refuses a database not named
*bench*. Needs CELERY_BROKER_URL=redis://…
"""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.base import database_url


class Command(BaseCommand):
    help = "Close the open month with every PDF rendered by real Celery workers, and time it."

    def add_arguments(self, parser):
        parser.add_argument("period", help="YYYY-MM: the open month of the bench database")
        parser.add_argument("--workers", type=int, default=2, help="worker processes (prefork concurrency)")
        parser.add_argument("--timeout", type=int, default=600)
        parser.add_argument("--pdfs-of-job", type=int, default=None, help="only render the PDFs of this done close")

    def handle(self, *args, period, workers, timeout, pdfs_of_job, **options):
        from invoicing import tasks
        from invoicing.models import CloseJob, InvoicePdf, MonthZip

        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("Runs only on a *bench* database: it closes the month for good.")
        if not settings.CELERY_BROKER_URL or tasks.run_close.app.conf.task_always_eager:
            raise CommandError("Needs a broker: set CELERY_BROKER_URL=redis://…")
        env = os.environ | {"DATABASE_URL": database_url()}
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "lonservice", "worker", "-P", "prefork", "-c", str(workers)]
            + ["-l", "warning", "--without-heartbeat", "--without-gossip", "--without-mingle"]
            + ["-n", f"bench-close-{os.getpid()}@%h"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(5)  # the workers start (their start is not part of the close)
            started = time.perf_counter()
            if pdfs_of_job:
                job = CloseJob.objects.get(pk=pdfs_of_job, period=period, state=CloseJob.State.DONE)
                InvoicePdf.objects.filter(invoice__close_job=job).update(state=InvoicePdf.State.PENDING)
                tasks.pdfs_after_close(job)
            else:
                job = tasks.start_close(period=period, trigger=CloseJob.Trigger.COMMAND)
            closed_at = pdfs_at = None
            deadline = started + timeout
            while time.perf_counter() < deadline:
                job.refresh_from_db()
                if job.state == CloseJob.State.FAILED:
                    raise CommandError(job.error)
                if job.state == CloseJob.State.DONE and closed_at is None:
                    closed_at = time.perf_counter()
                if closed_at and pdfs_at is None:
                    waiting = InvoicePdf.objects.filter(invoice__close_job=job).exclude(state=InvoicePdf.State.DONE)
                    if not waiting.exclude(state=InvoicePdf.State.FAILED).exists():
                        pdfs_at = time.perf_counter()
                if pdfs_at and MonthZip.objects.filter(period=period, state=MonthZip.State.DONE).exists():
                    break
                if worker.poll() is not None:
                    raise CommandError("the Celery worker stopped")
                time.sleep(0.1)
            else:
                raise CommandError(f"not finished within {timeout} s")
            done = time.perf_counter()
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        counts = {
            state: InvoicePdf.objects.filter(invoice__close_job=job, state=state).count()
            for state in InvoicePdf.State.values
        }
        if pdfs_of_job:
            seconds = job.finished_at - job.started_at
            self.stdout.write(f"(the close's transaction, run before: {seconds.total_seconds():.1f} s)")
        self.stdout.write(
            f"close of {period}: {job.invoices_issued} invoices issued in {closed_at - started:.1f} s; "
            f"{counts['done']} PDFs done ({counts['failed']} failed) {pdfs_at - started:.1f} s after the start "
            f"with {workers} worker processes; the month's zip {done - pdfs_at:.1f} s later; "
            f"total {done - started:.1f} s"
        )
