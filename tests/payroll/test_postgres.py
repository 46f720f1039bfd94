"""The import at the real scale on PostgreSQL (COPY into the staging table), and the upload
page handing the import to a real Celery worker through Redis."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from payroll.models import PayrollCase, PayslipImport
from people.models import Person
from tests import factories
from tests.payroll.helpers import generated_file, run_import, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agencies(unit, other_unit):
    return [factories.AgencyFactory(code=f"SDF{i:02d}", unit=unit if i % 2 else other_unit).code for i in range(33)]


def test_a_month_of_50000_payslips_is_imported_in_one_go(agencies):
    content = generated_file(agencies, 50_000)
    job = run_import(content)
    assert job.status == PayslipImport.Status.DONE, job.errors[:5]
    assert job.rows_imported == 50_000 == PayrollCase.objects.filter(import_batch=job).count()
    assert Person.objects.count() == 50_000
    assert sum(row["rows"] for row in job.summary) == 50_000
    assert len({row["agency"] for row in job.summary}) == 33
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('payroll_import_staging')")
        assert cursor.fetchone()[0] is None  # the staging table is gone
    # The next month reuses the same employees and is refused the second time by its hash.
    next_month = generated_file(agencies, 50_000, period="2012-04")
    assert run_import(next_month).status == "done"
    assert Person.objects.count() == 50_000
    assert run_import(next_month).status == "rejected"
    assert PayrollCase.objects.count() == 100_000


def test_a_bad_row_at_the_end_of_a_large_file_rejects_all_of_it(agencies):
    content = generated_file(agencies, 20_000) + b"2012-03;SDF01;LAST;19121212-1213;manual\n"
    job = run_import(content)
    assert job.status == "rejected"
    assert [(e["row"], e["column"]) for e in job.errors] == [(20_002, "personnummer")]
    assert not PayrollCase.objects.exists() and not Person.objects.exists()


@pytest.mark.redis
def test_the_upload_page_hands_the_import_to_a_real_worker(client, administrator, agencies, tmp_path):
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.pop("TEST_DATABASE_NAME", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lonservice", "worker", "-P", "solo", "-l", "info"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"payroll-test-{os.getpid()}@%h"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        from lonservice.celery import app

        assert not app.conf.task_always_eager
        client.force_login(administrator)
        response = client.post("/payroll/imports/upload/", {"file": upload(generated_file(agencies, 2_000))})
        job = PayslipImport.objects.get()
        assert response["Location"] == f"/payroll/imports/{job.pk}/"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)  # waiting for the worker's result, not for timing
        assert job.status == "done", job.errors
        assert PayrollCase.objects.count() == 2_000
        assert "2,000 payslips imported" in client.get(f"/payroll/imports/{job.pk}/status/").content.decode()
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "payroll.tasks.run_payslip_import" in output
