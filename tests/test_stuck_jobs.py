"""Jobs whose worker died (core.jobs): beat's check marks them failed with the reason within minutes,
their page stops waiting and offers a re-run that is safe to press, administrators can fail or re-run
them, and a failed job fails in Celery too."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.jobs import JobFailed, fail_stuck_jobs
from invoicing import tasks as invoicing_tasks
from invoicing.models import CLOSE_JOBS, CloseJob, Invoice
from lonservice import tasks as lonservice_tasks
from payroll import tasks as payroll_tasks
from payroll.imports import create_upload_job
from payroll.models import PAYSLIP_IMPORTS, PayrollCase, PayslipImport
from tests import factories
from tests.payroll.helpers import payslip_file, pnr, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager():
    """The re-runs run at once here (eager mode), even where the tests have a broker."""
    from lonservice.celery import app

    before, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield app
    app.conf.task_always_eager = before


def _ago(seconds):
    return timezone.now() - dt.timedelta(seconds=seconds)


@pytest.fixture
def month(unit):
    factories.price_list_2012()
    agency = factories.AgencyFactory(code="F01", unit=unit)
    factories.add_cases(agency, "2012-03", manual=2)
    return agency


@pytest.fixture
def payslips(unit):
    factories.AgencyFactory(code="SDF01", unit=unit)
    return payslip_file([f"2012-03;SDF01;1;{pnr(1)};manual", f"2012-03;SDF01;2;{pnr(2)};manual"])


def _running_close(*, silent_for, period="2012-03", **fields):
    job = CloseJob.objects.create(period=period, **fields)
    CloseJob.objects.filter(pk=job.pk).update(
        state="running", started_at=_ago(silent_for + 5), heartbeat_at=_ago(silent_for)
    )
    job.refresh_from_db()
    return job


def _stuck_import(case_handler, content, *, status="running", silent_for=600):
    job = create_upload_job(uploaded_file=upload(content), user=case_handler)
    PayslipImport.objects.filter(pk=job.pk).update(
        status=status, started_at=_ago(silent_for + 5), heartbeat_at=_ago(silent_for), created_at=_ago(silent_for + 9)
    )
    job.refresh_from_db()
    return job


# --- beat's check -----------------------------------------------------------------------------------------


def test_beat_check_fails_a_silent_running_close_and_leaves_a_live_one(settings):
    settings.JOB_STALE_SECONDS = 120
    dead = _running_close(silent_for=121)
    alive = _running_close(silent_for=10, period="2012-04")
    lonservice_tasks.check_jobs()
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == CloseJob.State.FAILED and dead.finished_at
    assert dead.error.startswith("Dess arbetare har stannat: inget livstecken sedan ")
    assert "Ingenting av det sparades; det kan köras igen." in dead.error
    assert alive.state == CloseJob.State.RUNNING and not alive.error


def test_beat_check_fails_a_queued_job_no_worker_started(settings, case_handler, payslips):
    settings.JOB_QUEUED_MAX_SECONDS = 600
    lost = CloseJob.objects.create(period="2012-03")
    waiting = CloseJob.objects.create(period="2012-04")
    CloseJob.objects.filter(pk=lost.pk).update(created_at=_ago(601))
    lost_import = _stuck_import(case_handler, payslips, status="pending", silent_for=700)
    lonservice_tasks.check_jobs()
    lost.refresh_from_db()
    waiting.refresh_from_db()
    lost_import.refresh_from_db()
    assert lost.state == "failed" and "Ingen arbetare startade det inom 10 minuter" in lost.error
    assert waiting.state == "queued"
    assert lost_import.status == "failed" and "Ingen arbetare startade det" in lost_import.errors[0]["message"]
    assert lost_import.file  # kept: the same file can be run again


def test_a_running_job_without_any_heartbeat_is_judged_by_when_it_started(settings):
    settings.JOB_STALE_SECONDS = 120
    job = CloseJob.objects.create(period="2012-03")
    CloseJob.objects.filter(pk=job.pk).update(state="running", started_at=_ago(200))
    assert [j.pk for j in fail_stuck_jobs(CLOSE_JOBS)] == [job.pk]


def test_a_finished_job_is_never_failed_by_the_check(settings):
    job = CloseJob.objects.create(period="2012-03")
    CloseJob.objects.filter(pk=job.pk).update(
        state="done", started_at=_ago(9999), heartbeat_at=_ago(9999), created_at=_ago(9999)
    )
    assert fail_stuck_jobs(CLOSE_JOBS) == [] and fail_stuck_jobs(PAYSLIP_IMPORTS) == []


def test_a_case_list_download_whose_worker_died_is_failed_and_counted(settings, case_handler):
    from lonservice.observability.jobs import JOB_KINDS, oldest_active_jobs
    from payroll.models import CaseExport

    settings.JOB_STALE_SECONDS = 120
    dead = CaseExport.objects.create(user=case_handler, format="csv", created_at=_ago(400))
    CaseExport.objects.filter(pk=dead.pk).update(state="running", started_at=_ago(300), heartbeat_at=_ago(200))
    live = CaseExport.objects.create(user=case_handler, format="xlsx", created_at=_ago(30))
    CaseExport.objects.filter(pk=live.pk).update(state="running", started_at=_ago(20), heartbeat_at=_ago(5))
    assert "export" in [kind.name for kind in JOB_KINDS]
    oldest = oldest_active_jobs()["export"]
    assert (oldest.id, oldest.state) == (dead.pk, "running") and oldest.age_seconds >= 400
    lonservice_tasks.check_jobs()
    dead.refresh_from_db()
    live.refresh_from_db()
    assert dead.state == "failed" and "Dess arbetare har stannat" in dead.error and dead.finished_at
    assert live.state == "running"
    assert oldest_active_jobs()["export"].id == live.pk


# --- a failed job fails in Celery -----------------------------------------------------------------------


@pytest.fixture
def close_breaks(monkeypatch):
    """The close fails half-way (a database error, say): nothing is issued and the job ends failed."""
    from invoicing.services import close

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(close, "close_month", broken)


def test_a_failed_close_raises_in_its_task(close_breaks):
    job = CloseJob.objects.create(period="2012-03")
    with pytest.raises(JobFailed, match=f"close job {job.pk} of 2012-03 failed"):
        invoicing_tasks.run_close.apply(args=[job.pk], throw=True)
    job.refresh_from_db()
    assert job.state == "failed" and job.error


def test_the_page_still_shows_a_failed_close_in_eager_mode(client, finance, close_breaks):
    client.force_login(finance)
    response = client.post(reverse("invoicing:close_list"), {"period": "2012-03"})
    job = CloseJob.objects.get()
    assert response.status_code == 302 and job.state == "failed"
    html = client.get(response["Location"]).content.decode()
    assert "RuntimeError: the database went away" in html and "Kör bokslutet för 2012-03 igen" in html


def test_the_scheduled_close_raises_when_it_fails(close_breaks, monkeypatch):
    import invoicing.services.close as close

    real = close.run_scheduled_close
    monkeypatch.setattr(close, "run_scheduled_close", lambda: real(today=dt.date(2012, 4, 10)))
    with pytest.raises(JobFailed):
        invoicing_tasks.close_previous_month.apply(throw=True)


def test_an_import_that_fails_raises_in_its_task(case_handler, payslips, monkeypatch):
    from payroll import imports

    job = create_upload_job(uploaded_file=upload(payslips), user=case_handler)

    def broken(self, binary):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(imports.PayslipImporter, "run", broken)
    with pytest.raises(JobFailed, match=f"payslip import {job.pk} failed: RuntimeError"):
        payroll_tasks.run_payslip_import.apply(args=[job.pk], throw=True)
    job.refresh_from_db()
    assert job.status == "failed"


def test_a_refused_file_is_an_outcome_not_a_failed_task(case_handler, unit):
    job = create_upload_job(uploaded_file=upload(payslip_file(["2012-03;NOPE;1;x;manual"])), user=case_handler)
    result = payroll_tasks.run_payslip_import.apply(args=[job.pk], throw=True)
    assert result.successful()
    job.refresh_from_db()
    assert job.status == "rejected"


# --- the pages: no endless waiting, a re-run --------------------------------------------------------------


def test_the_close_page_of_a_dead_job_stops_polling_and_runs_it_again(client, finance, month, settings):
    settings.JOB_STALE_SECONDS = 120
    dead = _running_close(silent_for=300)
    client.force_login(finance)
    html = client.get(reverse("invoicing:close_status", args=[dead.pk])).content.decode()
    assert "data-poll-url" not in html
    assert "arbetare ger inget livstecken" in html and "Kör bokslutet för 2012-03 igen" in html
    response = client.post(reverse("invoicing:close_list"), {"period": "2012-03"})
    dead.refresh_from_db()
    again = CloseJob.objects.exclude(pk=dead.pk).get()
    assert response["Location"] == reverse("invoicing:close_detail", args=[again.pk])
    assert dead.state == "failed" and again.state == "done"
    assert Invoice.objects.count() == 1
    # The dead job's page now says the month is closed: no re-run offered.
    html = client.get(reverse("invoicing:close_status", args=[dead.pk])).content.decode()
    assert "igen</button>" not in html


def test_a_live_close_still_polls(client, finance, month):
    job = _running_close(silent_for=1)
    client.force_login(finance)
    html = client.get(reverse("invoicing:close_status", args=[job.pk])).content.decode()
    assert "data-poll-url" in html and "livstecken" not in html


def test_a_failed_import_whose_worker_died_is_imported_again_from_its_page(client, case_handler, payslips):
    dead = _stuck_import(case_handler, payslips)
    client.force_login(case_handler)
    html = client.get(reverse("payroll:import_status", args=[dead.pk])).content.decode()
    assert "data-poll-url" not in html and "Kör importen igen" in html
    response = client.post(reverse("payroll:import_rerun", args=[dead.pk]))
    rerun = PayslipImport.objects.exclude(pk=dead.pk).get()
    assert response["Location"] == reverse("payroll:import_detail", args=[rerun.pk])
    assert rerun.status == "done" and PayrollCase.objects.count() == 2
    assert (rerun.uploaded_by, rerun.unit, rerun.file_name) == (dead.uploaded_by, dead.unit, dead.file_name)
    dead.refresh_from_db()
    assert dead.status == "failed" and not dead.file
    assert f"Körs igen som import {rerun.pk}." in dead.errors[-1]["message"]
    # Pressed again (a second tab): refused, nothing imported twice.
    response = client.post(reverse("payroll:import_rerun", args=[dead.pk]), follow=True)
    assert "Den här importen kan inte köras igen" in response.content.decode()
    assert PayslipImport.objects.count() == 2 and PayrollCase.objects.count() == 2


def test_an_import_that_did_finish_is_refused_when_run_again(client, case_handler, payslips):
    done = payroll_tasks.start_payslip_import(uploaded_file=upload(payslips), user=case_handler, language="sv")
    assert done.status == "done"
    dead = _stuck_import(case_handler, payslips)
    client.force_login(case_handler)
    client.post(reverse("payroll:import_rerun", args=[dead.pk]))
    rerun = PayslipImport.objects.order_by("-pk").first()
    assert rerun.status == "rejected" and "Filen importerades redan" in rerun.errors[0]["message"]
    assert PayrollCase.objects.count() == 2


def test_the_rerun_is_only_for_the_jobs_the_user_sees(client, case_handler, payslips, other_unit):
    dead = _stuck_import(case_handler, payslips)
    stranger = factories.UserFactory(role="case_handler", unit=other_unit)
    client.force_login(stranger)
    assert client.post(reverse("payroll:import_rerun", args=[dead.pk])).status_code == 404
    assert PayslipImport.objects.count() == 1


# --- administrators ---------------------------------------------------------------------------------------


def test_an_administrator_fails_and_reruns_a_close_in_the_admin_site(client, administrator, month):
    job = CloseJob.objects.create(period="2012-03")
    CloseJob.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now())
    client.force_login(administrator)
    url = reverse("admin:invoicing_closejob_changelist")
    client.post(url, {"action": "mark_failed", "_selected_action": [job.pk]})
    job.refresh_from_db()
    assert job.state == "failed" and job.error == f"Markerad som misslyckad av {administrator.username}."
    client.post(url, {"action": "run_again", "_selected_action": [job.pk]})
    again = CloseJob.objects.exclude(pk=job.pk).get()
    assert again.state == "done" and again.started_by == administrator and Invoice.objects.count() == 1


def test_an_administrator_fails_and_reruns_an_import_in_the_admin_site(client, administrator, case_handler, payslips):
    job = create_upload_job(uploaded_file=upload(payslips), user=case_handler)
    client.force_login(administrator)
    url = reverse("admin:payroll_payslipimport_changelist")
    client.post(url, {"action": "mark_failed", "_selected_action": [job.pk]})
    job.refresh_from_db()
    assert job.status == "failed" and job.file
    client.post(url, {"action": "run_again", "_selected_action": [job.pk]})
    assert PayslipImport.objects.exclude(pk=job.pk).get().status == "done"
    assert PayrollCase.objects.count() == 2


def test_the_admin_actions_need_the_permissions(client, unit_manager):
    job = CloseJob.objects.create(period="2012-03")
    unit_manager.is_staff = True
    unit_manager.save()
    client.force_login(unit_manager)
    response = client.post(
        reverse("admin:invoicing_closejob_changelist"), {"action": "mark_failed", "_selected_action": [job.pk]}
    )
    assert response.status_code in (302, 403)
    job.refresh_from_db()
    assert job.state == "queued"


def test_beat_schedules_the_check():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["check-jobs"]
    assert entry["task"] == "lonservice.tasks.check_jobs" and entry["schedule"] == settings.JOB_CHECK_SECONDS


def test_a_redelivered_message_of_a_job_failed_earlier_is_no_failure_of_its_task():
    job = CloseJob.objects.create(period="2012-03")
    job.mark_failed("its worker stopped")
    result = invoicing_tasks.run_close.apply(args=[job.pk], throw=True)
    assert result.successful() and result.result == "failed"


def test_a_hung_task_is_stopped_by_the_time_limits(unit, monkeypatch, settings):
    """Celery's soft limit raises inside the task: the close catches it and ends failed with it."""
    from celery.exceptions import SoftTimeLimitExceeded

    from invoicing.services import close
    from lonservice.celery import app

    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT == 30 * 60
    assert app.conf.task_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT + 60

    def hung(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(close, "close_month", hung)
    job = CloseJob.objects.create(period="2012-03")
    with pytest.raises(JobFailed):
        invoicing_tasks.run_close.apply(args=[job.pk], throw=True)
    job.refresh_from_db()
    assert job.state == "failed" and job.error.startswith("SoftTimeLimitExceeded")
