"""The monthly close with every PDF through the broker to real Celery worker processes, timed, and
(for ``make bench``) undone again so that the bench database keeps its open month.

``close_through_workers`` starts ``workers`` prefork worker processes on the broker of
CELERY_BROKER_URL, queues the close as the page does (``tasks.start_close``) and times the close's
transaction, the PDFs shared out over the workers and the month's zip. ``undo_close`` deletes what
that close wrote, on a *bench* database only.
"""

import os
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from .base import BenchError, database_url


@dataclass
class WorkerClose:
    job_id: int
    invoices: int
    close_seconds: float  # from queueing the close until its transaction was done
    pdfs_seconds: float  # from queueing the close until the last PDF was done
    total_seconds: float  # … until the month's zip was built
    pdfs_done: int
    pdfs_failed: int
    workers: int

    @property
    def zip_seconds(self) -> float:
        return self.total_seconds - self.pdfs_seconds


def broker_in_use() -> bool:
    """Whether tasks go to a broker (CELERY_BROKER_URL set) rather than running eagerly here."""
    from invoicing.tasks import run_close

    app = run_close.app

    return bool(settings.CELERY_BROKER_URL) and not app.conf.task_always_eager


def require_bench_database() -> None:
    if "bench" not in connection.settings_dict["NAME"]:
        raise BenchError("Runs only on a *bench* database: the close through the workers commits.")


def close_through_workers(period: str, *, workers: int = 2, timeout: int = 600, pdfs_of_job: int | None = None):
    """Close ``period`` through ``workers`` worker processes (or, with ``pdfs_of_job``, only render
    that done close's PDFs again) and time it; commits. Returns a ``WorkerClose``."""
    from invoicing import tasks
    from invoicing.models import CloseJob, InvoicePdf, MonthZip

    require_bench_database()
    if not broker_in_use():
        raise BenchError("Needs a broker: set CELERY_BROKER_URL=redis://…")
    env = os.environ | {"DATABASE_URL": database_url()}
    env.pop("TEST_DATABASE_NAME", None)
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
        if worker.poll() is not None:
            raise BenchError("the Celery worker did not start")
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
                raise BenchError(f"the close of {period} failed: {job.error}")
            if job.state == CloseJob.State.DONE and closed_at is None:
                closed_at = time.perf_counter()
            if closed_at and pdfs_at is None:
                # Every invoice's PDF row is written after the close's transaction: count the finished ones.
                finished = InvoicePdf.objects.filter(
                    invoice__close_job=job, state__in=[InvoicePdf.State.DONE, InvoicePdf.State.FAILED]
                )
                if finished.count() >= job.invoices_issued:
                    pdfs_at = time.perf_counter()
            if pdfs_at and MonthZip.objects.filter(period=period, state=MonthZip.State.DONE).exists():
                break
            if worker.poll() is not None:
                raise BenchError("the Celery worker stopped")
            time.sleep(0.1)
        else:
            raise BenchError(f"the close of {period} through the workers did not finish within {timeout} s")
        done = time.perf_counter()
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    states = dict.fromkeys(InvoicePdf.State.values, 0)
    for state in InvoicePdf.objects.filter(invoice__close_job=job).values_list("state", flat=True):
        states[state] += 1
    return WorkerClose(
        job_id=job.pk,
        invoices=job.invoices_issued,
        close_seconds=closed_at - started,
        pdfs_seconds=pdfs_at - started,
        total_seconds=done - started,
        pdfs_done=states[InvoicePdf.State.DONE],
        pdfs_failed=states[InvoicePdf.State.FAILED],
        workers=workers,
    )


@dataclass
class BeforeClose:
    """What the close changes that is not its own rows: the number series, unfrozen price lists and
    whether the month's volumes were counted yet (the close counts them)."""

    series: dict[int, int]
    unfrozen_price_lists: list[int]
    aggregated_periods: list[str]
    last_close_job: int


def before_close() -> BeforeClose:
    from invoicing.models import CloseJob, InvoiceNumberSeries
    from payroll.models import AggregatedPeriod
    from pricing.models import PriceList

    return BeforeClose(
        series=dict(InvoiceNumberSeries.objects.values_list("year", "last_number")),
        unfrozen_price_lists=list(PriceList.objects.filter(frozen_at__isnull=True).values_list("pk", flat=True)),
        aggregated_periods=list(AggregatedPeriod.objects.values_list("period", flat=True)),
        last_close_job=CloseJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    )


def undo_unfinished_close(period: str, before: BeforeClose) -> None:
    """After a close through the workers that failed or timed out (its workers stopped): undo the
    close job started since ``before`` whether or not it committed, so the month stays open."""
    from invoicing.models import CloseJob

    job = CloseJob.objects.filter(period=period, pk__gt=before.last_close_job).order_by("pk").first()
    if job is not None:
        undo_close(period, job.pk, before)


def undo_close(period: str, job_id: int, before: BeforeClose) -> int:
    """Delete everything the close of ``period`` (job ``job_id``) wrote, on a *bench* database only,
    in one transaction: its invoices and their lines, stored PDFs and the month's zip (rows and
    files), the agencies' notices of them, the close job and the closed period; the number series,
    the price lists it froze and the month's volumes (when it counted them first) are put back as
    they were. Returns the invoices deleted."""
    from core.models import ClosedPeriod
    from invoicing.models import CloseJob, Invoice, InvoiceLine, InvoiceNumberSeries, InvoicePdf, MonthZip
    from payroll.models import AggregatedPeriod, MonthlyVolume
    from pricing.models import PriceList

    require_bench_database()
    if connection.vendor != "postgresql":
        raise BenchError("undo_close needs PostgreSQL")
    invoice_ids = list(Invoice.objects.filter(period=period, close_job_id=job_id).values_list("pk", flat=True))
    files = [
        *InvoicePdf.objects.filter(pk__in=invoice_ids).exclude(file="").values_list("file", flat=True),
        *MonthZip.objects.filter(period=period).exclude(file="").values_list("file", flat=True),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        # Bench database only: issued invoices, their lines and closed periods are guarded by
        # triggers that refuse every DELETE (reporting/0002, core/0004). `replica` turns ordinary
        # triggers (and the foreign-key checks) off for this transaction alone; SET LOCAL ends with it.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for model, where in _close_rows(invoice_ids, period, job_id):
            # Raw DELETEs: the models' managers refuse to delete issued invoices, as they should.
            table = model._meta.db_table
            sql, params = where
            cursor.execute(f'DELETE FROM "{table}" WHERE {sql}', params)  # noqa: S608 - table names of models
        for year, last_number in before.series.items():
            InvoiceNumberSeries.objects.filter(year=year).update(last_number=last_number)
        InvoiceNumberSeries.objects.exclude(year__in=before.series).delete()
        PriceList.objects.filter(pk__in=before.unfrozen_price_lists).update(frozen_at=None)
        if period not in before.aggregated_periods:
            MonthlyVolume.objects.filter(period=period).delete()
            AggregatedPeriod.objects.filter(period=period).delete()
    for name in files:
        InvoicePdf.file.field.storage.delete(name)
    leftovers = [
        Invoice.objects.filter(pk__in=invoice_ids).exists(),
        InvoiceLine.objects.filter(invoice_id__in=invoice_ids).exists(),
        ClosedPeriod.objects.filter(period=period).exists(),
        CloseJob.objects.filter(pk=job_id).exists(),
    ]
    if any(leftovers):
        raise BenchError(f"the close of {period} was not undone completely")
    return len(invoice_ids)


def _close_rows(invoice_ids: list[int], period: str, job_id: int):
    """(model, (WHERE clause, params)) of every row the close writes, children first."""
    from core.models import ClosedPeriod
    from customers.models import AgencyNotice
    from invoicing.models import CloseJob, Invoice, InvoiceLine, InvoicePdf, MonthZip

    ids = (invoice_ids or [0],)
    return [
        (AgencyNotice, ("key = ANY(%s)", ([f"invoice:{pk}" for pk in invoice_ids],))),
        (InvoicePdf, ("invoice_id = ANY(%s)", ids)),
        (MonthZip, ("period = %s", [period])),
        (InvoiceLine, ("invoice_id = ANY(%s)", ids)),
        (Invoice, ("id = ANY(%s)", ids)),
        (CloseJob, ("id = %s", [job_id])),
        (ClosedPeriod, ("period = %s", [period])),
    ]
