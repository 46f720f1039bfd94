"""One policy for every background job when the task queue is down (core.jobs): a clear message,
the job marked failed, nothing half-done, and a retry works once the queue is back. Without a
broker (eager mode) the job runs at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.jobs import QueueUnavailable
from invoicing import tasks as invoicing_tasks
from invoicing.models import CloseJob, Invoice
from payroll import tasks as payroll_tasks
from payroll.models import PayrollCase, PayslipImport
from tests import factories
from tests.payroll.helpers import payslip_file, pnr

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:9/0"


@pytest.fixture
def broker_down(monkeypatch):
    """A broker configured (not eager) at a port where nothing listens."""
    from lonservice.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url, app._pool, app.amqp._producer_pool)
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT)
    app.conf.task_always_eager = False
    app.conf.broker_url = CLOSED_PORT
    app._pool = app.amqp._producer_pool = None
    yield app
    app.conf.task_always_eager, app.conf.broker_url = saved[0], saved[1]
    app._pool, app.amqp._producer_pool = saved[2], saved[3]


@pytest.fixture
def eager():
    from lonservice.celery import app

    before, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield app
    app.conf.task_always_eager = before


@pytest.fixture
def payslips(unit):
    factories.AgencyFactory(code="SDF01", unit=unit)
    return payslip_file([f"2012-03;SDF01;1;{pnr(1)};manual"])


def _upload(content):
    return SimpleUploadedFile("lon.csv", content, content_type="text/csv")


def test_a_payslip_upload_with_the_queue_down_is_not_imported_in_the_request(
    client, case_handler, payslips, broker_down, settings
):
    client.force_login(case_handler)
    response = client.post("/payroll/imports/upload/", {"file": _upload(payslips)})
    html = response.content.decode()
    assert response.status_code == 503
    assert "Jobbkön går inte att nå, så importen av lon.csv startades inte. Ingenting ändrades" in html
    job = PayslipImport.objects.get()
    assert job.status == PayslipImport.Status.FAILED and "Jobbkön går inte att nå" in job.errors[0]["message"]
    assert not job.file and not list((settings.MEDIA_ROOT / "imports").rglob("*.csv"))
    assert not PayrollCase.objects.exists()  # nothing ran inline
    html = client.get(f"/payroll/imports/{job.pk}/").content.decode()
    assert "Jobbkön går inte att nå" in html and "Ingenting importerades." in html
    # Once the queue is back the same file is imported (a failed job does not block it).
    broker_down.conf.task_always_eager = True
    response = client.post("/payroll/imports/upload/", {"file": _upload(payslips)})
    assert response.status_code == 302
    assert PayslipImport.objects.filter(status="done").count() == 1 and PayrollCase.objects.count() == 1


def test_the_close_with_the_queue_down_fails_its_job_the_same_way(finance, broker_down):
    with pytest.raises(QueueUnavailable, match="månadsbokslutet för 2012-03 startades inte"):
        invoicing_tasks.start_close(period="2012-03", user=finance)
    job = CloseJob.objects.get()
    assert job.state == CloseJob.State.FAILED and job.finished_at
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("start", ["payslips", "close"])
def test_in_eager_mode_a_job_runs_at_once(start, case_handler, finance, payslips, eager):
    if start == "payslips":
        job = payroll_tasks.start_payslip_import(uploaded_file=_upload(payslips), user=case_handler, language="sv")
        assert job.status == PayslipImport.Status.DONE and PayrollCase.objects.count() == 1
    else:
        job = invoicing_tasks.start_close(period="2012-03", user=finance)
        assert job.state == CloseJob.State.DONE


def test_the_close_service_imports_no_task_module():
    """The close <-> tasks import cycle is gone: tasks import the service, never the other way round."""
    import ast
    import inspect

    from invoicing.services import close

    tree = ast.parse(inspect.getsource(close))
    imported = [
        f"{getattr(node, 'module', None) or ''}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in imported if "tasks" in name], imported
