"""A real worker killed with SIGKILL while it imports a payslip file: nothing is imported, its heartbeat
stops, beat's check marks the job failed with the reason, and the same file is imported again from the
job's page.

The import is held half-way by a real database lock: a second connection holds the person table in
SHARE mode, so the import's insert of the file's people waits (reading and staging are done).

Run with DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://...
"""

import os
import signal
from contextlib import contextmanager

import pytest
from django.test import Client
from django.urls import reverse

from payroll import partitions
from payroll.models import PayrollCase, PayslipImport
from people.models import Person
from tests import factories
from tests.payroll.helpers import generated_file, upload
from tests.security.test_close_faults import (
    DEADLINE,
    _backend_gone,
    _flush_broker,
    _query,
    _side_connection,
    _start_worker,
    _wait_for,
    _wait_for_worker,
    heartbeat_beats,
    marked_failed_by_beats_check,
)

ROWS = 300
PERIOD = "2012-03"


@pytest.fixture
def not_eager():
    from lonservice.celery import app

    before, app.conf.task_always_eager = app.conf.task_always_eager, False
    yield app
    app.conf.task_always_eager = before


@contextmanager
def people_locked():
    side = _side_connection()
    side.set_autocommit(False)
    with side.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {Person._meta.db_table} IN SHARE MODE")
    try:
        yield
    finally:
        side.rollback()
        side.close()


def _waiting_import_backend():
    rows = _query(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
        "AND query LIKE %s",
        [f'INSERT INTO "{Person._meta.db_table}"%'],
    )
    return rows[0][0] if rows else None


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_killed_during_an_import_fails_the_job_and_the_file_is_imported_again(
    unit,
    case_handler,
    not_eager,
    settings,
):
    agencies = [factories.AgencyFactory(code=f"SDF{i:02d}", unit=unit).code for i in range(3)]
    content = generated_file(agencies, ROWS, period=PERIOD)
    # The month's partition is made first: making it takes a lock on the person table (its foreign
    # key), so an import that had to make it would wait there and not at its insert of people.
    partitions.ensure_partitions([PERIOD])
    _flush_broker()
    worker = _start_worker()
    client = Client()
    client.force_login(case_handler)
    try:
        with people_locked():
            response = client.post(reverse("payroll:import_upload"), {"file": upload(content)})
            job = PayslipImport.objects.get()
            assert response["Location"] == reverse("payroll:import_detail", args=[job.pk])
            pid = _wait_for_worker(worker, _waiting_import_backend, "the import to wait")
            job.refresh_from_db()
            assert job.status == PayslipImport.Status.RUNNING
            heartbeat_beats(PayslipImport, job)
            html = client.get(reverse("payroll:import_status", args=[job.pk])).content.decode()
            assert "data-poll-url" in html  # alive: the page waits
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=DEADLINE)
        _wait_for(lambda: _backend_gone(pid), "the killed worker's database session to end")
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.communicate(timeout=DEADLINE)
        _flush_broker()
    assert not PayrollCase.objects.exists() and not Person.objects.exists()
    job = marked_failed_by_beats_check(PayslipImport, job, settings, "status")
    assert job.errors[0]["message"].startswith("Dess arbetare har stannat: inget livstecken sedan ")
    assert job.file  # kept for the re-run
    html = client.get(reverse("payroll:import_status", args=[job.pk])).content.decode()
    assert "data-poll-url" not in html and "Kör importen igen" in html
    not_eager.conf.task_always_eager = True
    response = client.post(reverse("payroll:import_rerun", args=[job.pk]))
    rerun = PayslipImport.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("payroll:import_detail", args=[rerun.pk])
    assert rerun.status == PayslipImport.Status.DONE, rerun.errors
    assert PayrollCase.objects.count() == ROWS
