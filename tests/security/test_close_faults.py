"""Faults in the monthly close: afterwards the month is closed completely or not at all, and the invoice
numbers have no gaps and no duplicates.

The close is stopped at a chosen agency by a real database lock: a second connection holds an
uncommitted invoice row for that agency and month, so the close's own insert for it waits on the
unique index (invoice_one_per_agency_period_revision) until the test lets go. While it waits, the
test drops its database connection, kills its worker, or presses the button again.

Run with DATABASE_URL=postgres://... (and CELERY_BROKER_URL=redis://... for the real worker).
"""

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from core.models import ClosedPeriod
from invoicing import tasks
from invoicing.models import CloseJob, Invoice, InvoiceNumberSeries
from invoicing.services import close
from tests import factories

PERIOD = "2012-03"
AGENCIES = 5
STOP_AT = 3  # the close is held at the third agency: two are issued (uncommitted) before it
DEADLINE = 30  # seconds to wait for something that takes a moment (a lock taken, a session ended)
WORKER_DEADLINE = 120  # a real worker's start on a busy two-core CI machine comes on top


@pytest.fixture
def month(unit):
    factories.price_list_2012()
    agencies = [factories.AgencyFactory(code=f"F{n:02d}", unit=unit) for n in range(1, AGENCIES + 1)]
    for n, agency in enumerate(agencies, start=1):
        factories.add_cases(agency, PERIOD, self_service=n, manual=1)
    return agencies


def _wait_for(condition, what: str, timeout: float = DEADLINE):
    """Poll ``condition`` until it returns something true (no sleeping for timing: a deadline)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _wait_for_worker(worker, condition, what: str):
    """Poll ``condition`` while the real worker runs. Its start-up (Django, Celery, the broker) is
    included, so the deadline is longer; a worker that exits fails at once with what it printed."""
    deadline = time.monotonic() + WORKER_DEADLINE
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited ({worker.returncode}) before {what}: {worker.stdout.read()}")
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    activity = _query(
        "SELECT state, wait_event_type, left(query, 120) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    raise AssertionError(f"timed out waiting for {what}; the database's sessions: {activity}")


def _side_connection():
    side = connections.create_connection("default")
    side.ensure_connection()
    return side


def _query(sql, params=()):
    side = _side_connection()
    try:
        with side.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        side.close()


@contextmanager
def held_at(agency):
    """Hold the close at ``agency``: an uncommitted invoice of it for the month blocks the close's insert."""
    side = _side_connection()
    side.set_autocommit(False)
    with side.cursor() as cursor:
        cursor.execute(
            "INSERT INTO invoicing_invoice (kind, number, series_year, sequence, agency_id, unit_id, period, "
            "revision, invoice_date, due_date, agency_code, agency_name, agency_address, billing_reference, total, "
            "issued_at, reason, specification, agency_org_number, agency_endpoint, buyer_reference, "
            "responsibility_code, activity_code) VALUES ('invoice', 'HOLD', 1900, 1, %s, %s, %s, 1, '2012-04-10', "
            "'2012-05-10', 'HOLD', 'HOLD', '', '', 0, now(), '', '{}', '', '', '', '', '')",
            [agency.pk, agency.unit_id, PERIOD],
        )
    try:
        yield
    finally:
        side.rollback()
        side.close()


def _waiting_close_backend():
    """The backend of a close waiting at the held agency (its pid), if there is one yet."""
    rows = _query(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
        "AND query LIKE 'INSERT INTO \"invoicing_invoice\"%%'"
    )
    return rows[0][0] if rows else None


def _backend_gone(pid):
    return not _query("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])


def _progress(job):
    return tuple(_query("SELECT agencies_done, agencies_total FROM invoicing_closejob WHERE id = %s", [job.pk])[0])


def assert_not_closed_at_all():
    assert Invoice.objects.count() == 0
    assert not ClosedPeriod.objects.filter(period=PERIOD).exists()
    assert InvoiceNumberSeries.objects.filter(last_number__gt=0).count() == 0  # no number used up


def assert_closed_once_without_gaps():
    sequences = sorted(Invoice.objects.filter(series_year=2012).values_list("sequence", flat=True))
    assert sequences == list(range(1, AGENCIES + 1))  # one per agency: no gap, no duplicate
    assert Invoice.objects.values("agency").distinct().count() == AGENCIES
    assert InvoiceNumberSeries.objects.get(year=2012).last_number == AGENCIES
    assert ClosedPeriod.objects.filter(period=PERIOD).count() == 1


# --- the database connection dropped mid-run -----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_database_connection_dropped_at_the_third_agency(month, finance):
    job = CloseJob.objects.create(period=PERIOD, started_by=finance)
    outcome = {}

    def run():
        try:
            outcome["job"] = close.run_close_job(job.pk)
        finally:
            connections.close_all()

    with held_at(month[STOP_AT - 1]):
        worker = threading.Thread(target=run)
        worker.start()
        pid = _wait_for(_waiting_close_backend, "the close to reach the third agency")
        assert _progress(job) == (STOP_AT - 1, AGENCIES)  # two agencies done, seen from outside
        _query("SELECT pg_terminate_backend(%s)", [pid])
    worker.join(timeout=DEADLINE)
    assert not worker.is_alive()

    job.refresh_from_db()
    assert job.state == CloseJob.State.FAILED
    assert "terminat" in job.error.lower() or "connection" in job.error.lower(), job.error
    assert_not_closed_at_all()
    # Nothing half done, nothing blocking: finance simply runs it again.
    again = close.run_close_job(CloseJob.objects.create(period=PERIOD, started_by=finance).pk)
    assert again.state == CloseJob.State.DONE, again.error
    assert_closed_once_without_gaps()


# --- the worker killed mid-run ------------------------------------------------------------------------


def _start_worker(**extra_env):
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    database_url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    # The running job's heartbeat every second, so that the test sees it beat and then stop.
    env.update({"JOB_HEARTBEAT_SECONDS": "1", "MEDIA_ROOT": str(settings.MEDIA_ROOT), **extra_env})
    env.pop("TEST_DATABASE_NAME", None)
    return subprocess.Popen(
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
            "warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"security-test-{os.getpid()}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _flush_broker():
    """Empty this test run's own Redis database (CELERY_BROKER_URL's), left-over messages included."""
    import redis

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


@pytest.fixture
def not_eager():
    from lonservice.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = before


def _heartbeat(model, job):
    return _query(f"SELECT heartbeat_at FROM {model._meta.db_table} WHERE id = %s", [job.pk])[0][0]


def heartbeat_beats(model, job):
    """The running job's heartbeat, as seen from outside its transaction, moves on."""
    first = _wait_for(lambda: _heartbeat(model, job), "the job's first heartbeat")
    _wait_for(lambda: _heartbeat(model, job) > first, "the job's next heartbeat")


def marked_failed_by_beats_check(model, job, settings, state_field):
    """Beat's check, run as beat runs it, until the job is failed (the worker's silence exceeds
    JOB_STALE_SECONDS, set low here); returns the job."""
    from lonservice.tasks import check_jobs

    settings.JOB_STALE_SECONDS = 3

    def failed():
        check_jobs()
        job.refresh_from_db()
        return getattr(job, state_field) == "failed"

    _wait_for(failed, "beat's check to mark the job failed")
    return job


@pytest.fixture
def killed_worker(month, finance, not_eager, settings):
    """A real worker killed with SIGKILL while the close it runs is at the third agency."""
    _flush_broker()
    worker = _start_worker()
    client = Client()
    client.force_login(finance)
    try:
        with held_at(month[STOP_AT - 1]):
            response = client.post(reverse("invoicing:close_list"), {"period": PERIOD})
            assert response.status_code == 302
            job = CloseJob.objects.get()
            pid = _wait_for_worker(worker, _waiting_close_backend, "the worker to reach the third agency")
            assert worker.poll() is None, worker.stdout.read()
            assert _progress(job) == (STOP_AT - 1, AGENCIES)
            heartbeat_beats(CloseJob, job)
            # Beat's check leaves a close alone while its worker is alive.
            settings.JOB_STALE_SECONDS = 60
            assert close.fail_stuck_closes() == []
            # Pressed again while it runs: refused, nothing started twice.
            response = client.post(reverse("invoicing:close_list"), {"period": PERIOD}, follow=True)
            assert "står redan i kö eller pågår" in response.content.decode()
            assert CloseJob.objects.count() == 1
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=DEADLINE)
        # Let go of the lock: the dead worker's transaction is rolled back by the server.
        _wait_for(lambda: _backend_gone(pid), "the killed worker's database session to end")
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.communicate(timeout=DEADLINE)
        _flush_broker()
    job.refresh_from_db()
    return job


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_killed_at_the_third_agency_leaves_the_month_open(killed_worker, finance, not_eager, settings):
    assert_not_closed_at_all()
    assert killed_worker.state == CloseJob.State.RUNNING  # its worker is gone; nobody will finish it
    # A redelivery of the same message (acks_late) does not run the job a second time.
    assert close.run_close_job(killed_worker.pk).state == CloseJob.State.RUNNING
    assert_not_closed_at_all()
    # Its heartbeat stopped with the worker: beat's check marks it failed, with the reason.
    job = marked_failed_by_beats_check(CloseJob, killed_worker, settings, "state")
    assert job.error.startswith("Dess arbetare har stannat: inget livstecken sedan "), job.error
    # The page says so, stops polling and offers the re-run; finance presses it.
    client = Client()
    client.force_login(finance)
    html = client.get(reverse("invoicing:close_status", args=[job.pk])).content.decode()
    assert "data-poll-url" not in html and "Kör bokslutet för 2012-03 igen" in html
    not_eager.conf.task_always_eager = True
    response = client.post(reverse("invoicing:close_list"), {"period": PERIOD})
    again = CloseJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("invoicing:close_detail", args=[again.pk])
    assert again.state == CloseJob.State.DONE, again.error
    assert_closed_once_without_gaps()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_close_whose_worker_died_can_be_run_again_at_once(killed_worker, finance, not_eager):
    not_eager.conf.task_always_eager = True
    job = tasks.start_close(period=PERIOD, user=finance)
    assert job.state == CloseJob.State.DONE, job.error
    assert_closed_once_without_gaps()


# --- the broker down when the button is pressed ---------------------------------------------------------


@pytest.fixture
def broker_down(not_eager, monkeypatch):
    """The task queue pointed at a port where nothing listens (Celery reads CELERY_BROKER_URL from the
    environment before its own settings, so both are changed)."""
    app = not_eager
    closed_port = "redis://127.0.0.1:9/0"
    saved = (app.conf.broker_url, app._pool, app.amqp._producer_pool)
    monkeypatch.setenv("CELERY_BROKER_URL", closed_port)
    app.conf.broker_url = closed_port
    app._pool = app.amqp._producer_pool = None
    assert app.connection_for_write().as_uri().endswith("127.0.0.1:9/0")
    yield app
    app.conf.broker_url = saved[0]
    app._pool, app.amqp._producer_pool = saved[1], saved[2]


def test_broker_down_when_finance_presses_the_button(client, month, finance, broker_down):
    client.force_login(finance)
    started = time.monotonic()
    response = client.post(reverse("invoicing:close_list"), {"period": PERIOD}, follow=True)
    assert time.monotonic() - started < 15  # a clear answer, not a hanging page
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jobbkön går inte att nå, så månadsbokslutet för 2012-03 startades inte. Ingenting ändrades" in html
    assert_not_closed_at_all()
    job = CloseJob.objects.get()
    assert job.state == CloseJob.State.FAILED and "Jobbkön går inte att nå" in job.error
    # Nothing blocks a new attempt when the queue is back.
    broker_down.conf.task_always_eager = True
    response = client.post(reverse("invoicing:close_list"), {"period": PERIOD})
    assert CloseJob.objects.filter(state=CloseJob.State.DONE).count() == 1
    assert_closed_once_without_gaps()


# --- run twice at once ------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_pressing_the_button_at_the_same_moment_close_the_month_once(month, finance):
    from lonservice.celery import app

    other_finance = factories.UserFactory(role="finance")
    before, app.conf.task_always_eager = app.conf.task_always_eager, True
    barrier = threading.Barrier(2)
    statuses, errors = [], []

    def press(user):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=DEADLINE)
            response = client.post(reverse("invoicing:close_list"), {"period": PERIOD})
            statuses.append((response.status_code, response.content.decode()))
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=press, args=(user,)) for user in (finance, other_finance)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=DEADLINE * 2)
    finally:
        app.conf.task_always_eager = before
    assert not errors, errors
    # Each gets an answer: the close started (a redirect to its page), or refused with the reason on the form.
    assert sorted(status for status, _html in statuses) in ([200, 302], [302, 302])
    for status, html in statuses:
        if status == 200:
            assert "står redan i kö eller pågår" in html or "redan stängd" in html, html
    assert_closed_once_without_gaps()
    done = CloseJob.objects.filter(state=CloseJob.State.DONE)
    assert done.filter(invoices_issued=AGENCIES).count() == 1  # one run issued them all
    assert not CloseJob.objects.filter(state__in=CloseJob.ACTIVE_STATES).exists()
