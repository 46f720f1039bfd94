"""What operations sees: JSON logs, /metrics, /healthz/live and /ready, /version, error reports, housekeeping."""

import datetime as dt
import io
import json
import logging
import re
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from invoicing.models import CloseJob
from lonservice.models import Heartbeat
from lonservice.observability import health, logs, version
from payroll.models import PayslipImport

NUMBER = "19121212-1212"
UTC_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00")


@pytest.fixture
def log_lines():
    """The root logger's records as the production handler writes them, parsed back from JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    spec = logs.logging_config(fmt="json")["formatters"]["structured"]
    handler.setFormatter(spec["()"](**{k: v for k, v in spec.items() if k != "()"}))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def _finished(lines, path):
    return next(line for line in lines if line["event"] == "request_finished" and path in line["request"])


def test_request_log_line_is_json_with_ids_and_no_personal_number(client, case_handler, log_lines):
    client.force_login(case_handler)
    response = client.get(reverse("payroll:case_list"), {"personnummer": NUMBER})
    assert response.status_code == 200
    lines = log_lines()
    line = _finished(lines, "/payroll/cases/")
    assert UTC_TIMESTAMP.fullmatch(line["timestamp"])
    assert (line["level"], line["logger"], line["code"]) == ("info", "django_structlog.middlewares.request", 200)
    assert line["user_id"] == case_handler.pk
    assert uuid.UUID(line["request_id"]) and response["X-Request-ID"] == line["request_id"]
    assert line["request"] == "GET /payroll/cases/?personnummer=[personnummer]"
    raw = json.dumps(lines)
    assert "1212-1212" not in raw and "191212121212" not in raw


def test_refused_page_logs_one_warning_without_traceback(client, case_handler, log_lines):
    client.force_login(case_handler)
    assert client.get(reverse("invoicing:invoice_list")).status_code == 403
    lines = [line for line in log_lines() if "/invoicing/invoices/" in json.dumps(line)]
    assert [(line["event"], line["level"], line["code"]) for line in lines] == [("request_finished", "warning", 403)]
    assert not any("exception" in line or "Traceback" in json.dumps(line) for line in lines)


def test_gunicorn_access_line_is_redacted_and_carries_the_request_id(log_lines, settings):
    from lonservice.observability.gunicorn import AccessLogger

    settings.TRUSTED_PROXY_COUNT = 1
    access = object.__new__(AccessLogger)  # without setup(): it would configure the test's logging
    access._access_log_enabled = True
    access.access_log = logging.getLogger("access-test")

    class Response:
        status, sent, headers = "200 OK", 512, [("X-Request-ID", "4b7c1e52-07f4-4c5c-9f4a-5cbbd4d5e1a0")]

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/payroll/cases/?personnummer=191212121212&period=2012-03",
        "REMOTE_ADDR": "172.18.0.1",
        "HTTP_X_FORWARDED_FOR": "10.9.9.9, 192.0.2.7",
        "HTTP_USER_AGENT": "Firefox",
    }
    access.access(Response(), None, environ, dt.timedelta(milliseconds=25))
    (line,) = [line for line in log_lines() if line["logger"] == "access-test"]
    assert line["event"] == "GET /payroll/cases/?personnummer=[personnummer]&period=2012-03 200"
    assert line["path"] == "/payroll/cases/?personnummer=[personnummer]&period=2012-03"
    assert (line["status"], line["bytes"], line["duration_ms"]) == (200, 512, 25.0)
    assert line["client_ip"] == "192.0.2.7"  # the proxy's entry, not the client-supplied one
    assert line["request_id"] == "4b7c1e52-07f4-4c5c-9f4a-5cbbd4d5e1a0"
    assert UTC_TIMESTAMP.fullmatch(line["timestamp"])


def test_task_log_lines_carry_task_and_job_id(db, log_lines):
    from celery.signals import task_prerun
    from django_structlog.celery.receivers import CeleryReceiver

    from invoicing.tasks import run_close

    receiver = CeleryReceiver()  # what the worker's boot step connects
    task_prerun.connect(receiver.receiver_task_prerun)
    try:
        job = CloseJob.objects.create(period="2012-03")
        run_close.apply(args=[job.pk], task_id="7d3c3a0c-3a3e-4d7e-8a68-6f1d2b1c9e55")
    finally:
        task_prerun.disconnect(receiver.receiver_task_prerun)
    started = next(line for line in log_lines() if line["event"] == "task_started")
    assert started["task_id"] == "7d3c3a0c-3a3e-4d7e-8a68-6f1d2b1c9e55"
    assert (started["job_id"], started["task"]) == (job.pk, "invoicing.tasks.run_close")


@pytest.mark.parametrize(
    "value",
    ["191212121212", "19121212-1212", "121212-1212", "121212+1212", "1212121212", "19121212%2D1212", "121212%2B1212"],
)
def test_every_way_of_writing_a_personal_number_is_redacted(value):
    from lonservice.observability.redact import redact

    assert redact({"path": f"/x/?q={value}&page=2"}) == {"path": "/x/?q=[personnummer]&page=2"}


def test_invoice_numbers_periods_and_ids_are_not_redacted():
    from lonservice.observability.redact import redact

    kept = {"event": "invoice 2012-00001 for 2012-03, 3 rows", "request_id": "12345678-1234-4abc-8def-123456789012"}
    assert redact(kept) == kept


def test_client_address_behind_trusted_proxies():
    address = logs.client_address
    assert address("10.0.0.1", "198.51.100.9", 0) == "10.0.0.1"  # nothing trusted
    assert address("10.0.0.1", "6.6.6.6, 198.51.100.9", 1) == "198.51.100.9"  # a forged first entry ignored
    assert address("10.0.0.1", "198.51.100.9, 10.0.0.2", 2) == "198.51.100.9"
    assert address("10.0.0.1", "198.51.100.9", 2) == "10.0.0.1"  # fewer hops than proxies: not trusted


# /metrics


def test_metrics_are_off_without_a_token(client, db, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_refuse_a_scraper_without_the_token_and_a_user(client, administrator, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    client.force_login(administrator)
    assert client.get("/metrics").status_code == 403


def _metric(text, name, **labels):
    """The value of the sample ``name`` with exactly these labels (in any order), or None."""
    wanted = {k: str(v) for k, v in labels.items()}
    for line in text.splitlines():
        match = re.fullmatch(r"([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)", line)
        if match and match.group(1) == name and dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or "")) == wanted:
            return float(match.group(3))
    return None


def test_metrics_for_the_scraper_show_views_jobs_and_the_scheduled_close(client, finance, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    settings.CELERY_BROKER_URL = ""  # eager: no queue to measure
    start = timezone.now() - dt.timedelta(hours=2)
    scheduled = CloseJob.objects.create(
        period="2012-03",
        trigger=CloseJob.Trigger.SCHEDULE,
        state=CloseJob.State.DONE,
        started_at=start,
        finished_at=start + dt.timedelta(seconds=90),
    )
    CloseJob.objects.create(period="2012-04", state=CloseJob.State.FAILED, started_at=start, finished_at=start)
    CloseJob.objects.filter(pk=CloseJob.objects.create(period="2012-05").pk).update(created_at=start)
    PayslipImport.objects.create(
        file_name="lon.csv", sha256="0" * 64, status=PayslipImport.Status.DONE, started_at=start, finished_at=start
    )
    client.force_login(finance)
    client.get(reverse("invoicing:invoice_list"))
    client.logout()

    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert _metric(
        text,
        "django_http_requests_total_by_view_transport_method_total",
        view="invoicing:invoice_list",
        transport="http",
        method="GET",
    )
    assert _metric(text, "lonservice_jobs_total", kind="close", state="done") == 1
    assert _metric(text, "lonservice_jobs_total", kind="close", state="failed") == 1
    assert _metric(text, "lonservice_jobs_total", kind="import", state="done") == 1
    assert _metric(text, "lonservice_job_duration_seconds_bucket", kind="close", state="done", le="60.0") == 0
    assert _metric(text, "lonservice_job_duration_seconds_bucket", kind="close", state="done", le="120.0") == 1
    assert _metric(text, "lonservice_job_duration_seconds_sum", kind="close", state="done") == 90
    assert _metric(text, "lonservice_jobs_active", kind="close") == 1
    assert _metric(text, "lonservice_job_oldest_active_age_seconds", kind="close") >= 7200
    assert _metric(text, "lonservice_scheduled_close_last_success_timestamp_seconds") == pytest.approx(
        scheduled.finished_at.timestamp()
    )
    assert _metric(text, "lonservice_celery_queue_length", queue="celery") is None  # eager: no queue


@pytest.mark.redis
def test_metrics_count_the_tasks_waiting_in_redis(client, db, settings):
    from lonservice.celery import app

    settings.METRICS_TOKEN = "s3cret-token"
    queue = app.conf.task_default_queue
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
        app.send_task("lonservice.tasks.heartbeat", connection=conn)
        app.send_task("lonservice.tasks.heartbeat", connection=conn)
        try:
            text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
        finally:
            conn.default_channel.queue_purge(queue)
    assert _metric(text, "lonservice_broker_up") == 1
    assert _metric(text, "lonservice_celery_queue_length", queue=queue) == 2


# /healthz


def test_metrics_count_case_list_downloads_as_their_own_kind(client, case_handler, settings):
    from payroll.models import CaseExport

    settings.METRICS_TOKEN = "s3cret-token"
    settings.CELERY_BROKER_URL = ""
    start = timezone.now() - dt.timedelta(hours=1)
    CaseExport.objects.create(
        user=case_handler, format="csv", state="done", started_at=start, finished_at=start + dt.timedelta(seconds=40)
    )
    CaseExport.objects.create(user=case_handler, format="xlsx", created_at=start)
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert _metric(text, "lonservice_jobs_total", kind="export", state="done") == 1
    assert _metric(text, "lonservice_jobs_total", kind="export", state="queued") == 1
    assert _metric(text, "lonservice_job_duration_seconds_sum", kind="export", state="done") == 40
    assert _metric(text, "lonservice_jobs_active", kind="export") == 1
    assert _metric(text, "lonservice_job_oldest_active_age_seconds", kind="export") >= 3600


def test_liveness_answers_without_asking_anything(client, db, monkeypatch):
    monkeypatch.setattr(health, "database_ok", lambda: False)
    response = client.get("/healthz/live")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readiness_in_eager_mode_reports_worker_and_beat_inline(client, db, settings):
    settings.CELERY_BROKER_URL = ""
    for url in ("/healthz/ready", "/healthz"):
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        assert (body["broker"], body["worker"], body["beat"], body["failing"]) == ("inline", "inline", "inline", [])


@pytest.fixture
def broker_and_worker_up(settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    monkeypatch.setattr(health, "broker_ok", lambda: True)
    monkeypatch.setattr(health, "worker_ok", lambda: True)


def test_readiness_fails_when_beat_has_not_ticked_lately(client, db, broker_and_worker_up, settings):
    assert client.get("/healthz/ready").json()["beat"] == "never"
    Heartbeat.objects.create(name="beat", at=timezone.now() - dt.timedelta(seconds=settings.HEALTH_BEAT_MAX_AGE + 5))
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert (response.json()["beat"], response.json()["failing"]) == ("stale", ["beat"])
    health.record_heartbeat()
    assert client.get("/healthz/ready").status_code == 200


def test_readiness_fails_on_a_job_active_too_long(client, db, broker_and_worker_up, settings):
    health.record_heartbeat()
    job = CloseJob.objects.create(period="2012-03")
    assert client.get("/healthz/ready").json()["jobs"] == "ok"
    CloseJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert (body["jobs"], body["failing"]) == ("stuck", ["jobs"])
    assert body["oldest_active_job"]["kind"] == "close" and body["oldest_active_job"]["id"] == job.pk
    assert body["oldest_active_job"]["age_seconds"] >= 7200


@pytest.mark.redis
def test_readiness_fails_without_a_worker_on_the_real_broker(client, db):
    health.record_heartbeat()
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert (body["broker"], body["worker"], body["beat"]) == ("ok", "down", "ok")
    assert body["failing"] == ["worker"]


def _real_worker():
    """A Celery worker process on the test database and the test broker, as in production."""
    import os
    import subprocess
    import sys

    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "LOG_FORMAT": "json"}
    env.pop("TEST_DATABASE_NAME", None)
    command = [sys.executable, "-m", "celery", "-A", "lonservice", "worker", "-P", "solo", "-l", "info"]
    command += ["--without-gossip", "--without-mingle", "-n", f"health-test-{os.getpid()}@%h"]
    return subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_readiness_with_a_real_worker_and_beats_tick_then_without_it(client):
    import time

    from lonservice.tasks import heartbeat

    worker = _real_worker()
    try:
        heartbeat.delay()  # as beat sends it; the worker runs it
        deadline = time.monotonic() + 90
        while not Heartbeat.objects.filter(name="beat").exists() and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)  # waiting for the worker, not for timing
        response = client.get("/healthz/ready")
        assert response.status_code == 200, response.json()
        assert response.json()["worker"] == response.json()["beat"] == "ok"
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=60)
    assert "lonservice.tasks.heartbeat" in output
    # Its JSON lines carry the task's id (the worker's logging is the application's).
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert any(line.get("event") == "task_succeeded" and line.get("task_id") for line in lines), output
    response = client.get("/healthz/ready")
    assert (response.status_code, response.json()["worker"]) == (503, "down")


# /version


def test_version_comes_from_the_build_then_from_git(client, db, settings, tmp_path):
    settings.BUILD_COMMIT, settings.BUILD_DATE = "abc123def456", "2026-11-30T12:00:00Z"
    version.build.cache_clear()
    try:
        assert client.get("/version").json() == {"commit": "abc123def456", "build_date": "2026-11-30T12:00:00Z"}
        settings.BUILD_COMMIT = settings.BUILD_DATE = ""
        version.build.cache_clear()
        git = version._git("rev-parse", "--short=12", "HEAD")
        assert git and client.get("/version").json()["commit"] == git
        settings.BASE_DIR = tmp_path  # no git repository, no build: say so
        version.build.cache_clear()
        assert client.get("/version").json() == {"commit": "unknown", "build_date": "unknown"}
    finally:
        version.build.cache_clear()


def test_footer_shows_the_version(client, case_handler, settings):
    settings.BUILD_COMMIT, settings.BUILD_DATE = "abc123def456", "2026-11-30"
    version.build.cache_clear()
    try:
        client.force_login(case_handler)
        html = client.get(reverse("password_change")).content.decode()
    finally:
        version.build.cache_clear()
    assert "version abc123def456, byggd 2026-11-30" in html


# Error reports


def test_error_reports_carry_no_personal_numbers():
    import sentry_sdk
    from sentry_sdk.transport import Transport

    from lonservice.observability.errors import init_sentry

    class Capture(Transport):
        def __init__(self):
            super().__init__()
            self.envelopes = []

        def capture_envelope(self, envelope):
            self.envelopes.append(envelope)

    transport = Capture()
    init_sentry(dsn="https://public@sentry.invalid/1", environment="test", transport=transport)
    try:
        assert sentry_sdk.get_client().is_active() and not sentry_sdk.get_client().should_send_default_pii()
        with sentry_sdk.new_scope() as scope:
            scope.set_extra("url", f"/payroll/cases/?personnummer={NUMBER}")
            try:
                raise ValueError("no person 191212121212 in agency HV")
            except ValueError:
                sentry_sdk.capture_exception()
        logging.getLogger("payroll.imports").error("import failed at 121212-1212")
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # off again for the other tests
    sent = [envelope.serialize().decode() for envelope in transport.envelopes]
    assert len(sent) == 2
    assert all("[personnummer]" in text for text in sent)
    assert not any(re.search(r"1212-?1212", text) for text in sent)
    assert "no person [personnummer] in agency HV" in sent[0]


# Housekeeping in beat


def test_beat_schedules_heartbeat_and_housekeeping(settings):
    from celery.schedules import crontab

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["lonservice.tasks.heartbeat"] == settings.HEARTBEAT_SECONDS
    assert schedule["lonservice.tasks.purge_personal_data"] == crontab(minute=30, hour=3, day_of_month=1)
    assert schedule["lonservice.tasks.clear_sessions"] == crontab(minute=0, hour=3)
    assert schedule["lonservice.tasks.clean_login_log"] == crontab(minute=10, hour=3)
    from lonservice.celery import app

    app.loader.import_default_modules()
    assert set(schedule) <= set(app.tasks)


def test_heartbeat_task_records_beats_tick(db):
    from lonservice.tasks import heartbeat

    heartbeat.apply()
    assert (timezone.now() - Heartbeat.objects.get(name="beat").at).total_seconds() < 60


def test_housekeeping_tasks_remove_old_sessions_and_login_log(db, settings):
    from axes.models import AccessLog

    from lonservice.tasks import clean_login_log, clear_sessions

    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - dt.timedelta(days=1))
    Session.objects.create(session_key="live", session_data="", expire_date=timezone.now() + dt.timedelta(days=1))
    old = AccessLog.objects.create(username="a", ip_address="127.0.0.1", user_agent="", path_info="/login/")
    AccessLog.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - dt.timedelta(days=settings.LOGIN_LOG_DAYS + 1)
    )
    recent = AccessLog.objects.create(username="b", ip_address="127.0.0.1", user_agent="", path_info="/login/")
    clear_sessions.apply()
    clean_login_log.apply()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]


def test_purge_task_runs_the_retention_service(db, monkeypatch):
    from audit.management.commands import purge_personal_data as command
    from lonservice.tasks import purge_personal_data

    calls = []
    real = command.purge_personal_data
    monkeypatch.setattr(command, "purge_personal_data", lambda **kw: calls.append(kw) or real(**kw))
    purge_personal_data.apply()
    assert calls == [{"today": None, "years": None, "dry_run": False}]


def test_rendering_a_pdf_writes_no_log_lines(log_lines):
    """WeasyPrint's progress steps (seven a PDF at INFO) stay out of the logs: a close renders hundreds."""
    from core.pdf import render_pdf

    render_pdf("core/pdf/base.html", {})
    assert not [line for line in log_lines() if line.get("logger", "").startswith("weasyprint")]
