"""The close and the number series under real concurrency: PostgreSQL, threads with their own connections,
and one run that really goes through Redis to a Celery worker started by the test."""

import os
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, connections

from core.models import ClosedPeriod
from invoicing import tasks
from invoicing.models import CloseJob, Invoice, InvoiceNumberSeries
from invoicing.services import close, invoices
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(target, count):
    """Run ``target(i)`` in ``count`` threads released together; each thread has its own connection."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = target(i)
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_numbers_have_no_gaps_when_issued_concurrently(price_list, unit):
    agencies = [factories.AgencyFactory(code=f"C{i:02d}", unit=unit) for i in range(8)]
    from pricing.services import price_lines

    def issue(i):
        lines = [
            invoices.LineInput(line)
            for line in price_lines(agency=agencies[i], period="2012-05", quantities={"manual": i + 1})
        ]
        if i == 3:
            # This one allocates a number, then fails: its number must go back to the series.
            from django.db import transaction

            with transaction.atomic():
                invoices.issue_invoice(agency=agencies[i], period="2012-05", lines=lines, invoice_date=_day())
                raise RuntimeError("rolled back after allocating")
        return invoices.issue_invoice(agency=agencies[i], period="2012-05", lines=lines, invoice_date=_day()).number

    results, errors = _in_threads(issue, 8)
    assert [str(e) for e in errors] == ["rolled back after allocating"]
    sequences = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 8))
    assert InvoiceNumberSeries.objects.get(year=2012).last_number == 7
    assert sorted(r for r in results if r) == [f"2012-{n:05d}" for n in range(1, 8)]


def _day():
    import datetime as dt

    return dt.date(2012, 6, 10)


def test_two_workers_closing_the_same_month_issue_one_set(month_of_work):
    job = CloseJob.objects.create(period="2012-03")

    # The same job delivered to two workers at once (acks_late redelivery) and a direct run.
    def run(i):
        if i < 2:
            return close.run_close_job(job.pk).state
        return len(close.close_month(period="2012-03"))

    results, errors = _in_threads(run, 3)
    assert not errors
    job.refresh_from_db()
    # The job ran once (the duplicate delivery found it claimed) and records what it issued.
    assert job.state == CloseJob.State.DONE
    assert job.invoices_issued + results[2] == 2
    assert Invoice.objects.count() == 2
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2]
    assert ClosedPeriod.objects.filter(period="2012-03").count() == 1


def test_failure_half_way_on_postgres_leaves_nothing_and_progress_was_visible(month_of_work, monkeypatch):
    seen = []
    real_issue = invoices.issue_invoice

    def issue_then_fail(**kwargs):
        # The progress of the first agency is visible from another connection while the close runs.
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("SELECT agencies_done, agencies_total FROM invoicing_closejob WHERE id = %s", [job.pk])
            seen.append(cursor.fetchone())
        other.close()
        if len(seen) == 2:
            raise RuntimeError("the second agency fails")
        return real_issue(**kwargs)

    monkeypatch.setattr(invoices, "issue_invoice", issue_then_fail)
    job = CloseJob.objects.create(period="2012-03")
    job = close.run_close_job(job.pk)
    assert seen == [(0, 2), (1, 2)]
    assert job.state == CloseJob.State.FAILED and "second agency" in job.error
    assert Invoice.objects.count() == 0 and not ClosedPeriod.objects.exists()
    monkeypatch.setattr(invoices, "issue_invoice", real_issue)
    assert close.run_close_job(CloseJob.objects.create(period="2012-03").pk).invoices_issued == 2


@pytest.mark.redis
def test_the_close_goes_through_redis_to_a_real_worker(month_of_work, finance):
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    database_url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    env.pop("TEST_DATABASE_NAME", None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lonservice",
            "worker",
            "-P",
            "solo",
            "-l",
            "info",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"reporting-test-{os.getpid()}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        from lonservice.celery import app

        assert not app.conf.task_always_eager
        job = tasks.start_close(period="2012-03", user=finance)
        assert job.state == CloseJob.State.QUEUED  # handed to the broker, not run here
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state in (CloseJob.State.DONE, CloseJob.State.FAILED):
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)  # waiting for the worker's result, not for timing
        assert job.state == CloseJob.State.DONE, job.error
        assert job.invoices_issued == 2
        assert sorted(Invoice.objects.values_list("total", flat=True)) == [Decimal("509.00"), Decimal("627.00")]
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "invoicing.tasks.run_close" in output


@pytest.mark.redis
def test_the_close_s_pdfs_are_shared_out_over_worker_processes_through_redis(month_of_work, finance):
    from invoicing.models import InvoicePdf, MonthZip

    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    database_url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)  # the workers store the PDFs where this test reads them
    env.pop("TEST_DATABASE_NAME", None)
    # Two worker processes (prefork), as two hosts' workers would take the tasks.
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lonservice", "worker", "-P", "prefork", "-c", "2", "-l", "info"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"pdfs-test-{os.getpid()}@%h"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        job = tasks.start_close(period="2012-03", user=finance)
        assert job.state == CloseJob.State.QUEUED
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            zip_done = MonthZip.objects.filter(period="2012-03", state=MonthZip.State.DONE).exists()
            if zip_done:
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)  # waiting for the workers' result, not for timing
        job.refresh_from_db()
        assert job.state == CloseJob.State.DONE, job.error
        records = list(InvoicePdf.objects.order_by("pk"))
        assert [(r.state, r.attempts) for r in records] == [("done", 1), ("done", 1)]
        assert all(r.file.read().startswith(b"%PDF-") for r in records)
        assert zip_done
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert output.count("invoicing.tasks.render_invoice_pdf") >= 2
