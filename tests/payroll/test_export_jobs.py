"""A big download of the case list is made in the background, with progress and a download link
served only to its user, masked exactly like the immediate download, and deleted after the
retention time (issue 22: "Exportera CSV/Excel" always refused on the unfiltered list)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from payroll.models import CaseExport
from payroll.services import exports
from people.models import ProtectedIdentityAccess
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_list(unit, monkeypatch):
    """Three cases where the immediate download takes two: the list is a "big" one."""
    monkeypatch.setattr(exports, "IMMEDIATE_MAX_ROWS", 2)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    agency = factories.AgencyFactory(unit=unit, code="EXP1")
    open_person = factories.PersonFactory(name="Öppen Anställd")
    hidden = factories.PersonFactory(name="Hemlig Anställd", protected_identity=True)
    cases = [
        factories.PayrollCaseFactory(agency=agency, person=open_person, period="2012-03", payslip_id="=SUM(A1)"),
        factories.PayrollCaseFactory(agency=agency, person=hidden, period="2012-03"),
        factories.PayrollCaseFactory(agency=agency, person=open_person, period="2012-04"),
    ]
    return {"agency": agency, "cases": cases, "hidden": hidden}


def _start(client, kind="csv", query=""):
    return client.post(reverse("payroll:case_export_start"), {"format": kind, "query": query})


def test_a_big_list_is_made_in_the_background_and_downloaded_from_its_page(client, case_handler, big_list):
    client.force_login(case_handler)
    page = client.get(reverse("payroll:case_list")).content.decode()
    assert reverse("payroll:case_export_start") in page
    response = _start(client)
    export = CaseExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("payroll:case_export_job", args=[export.pk])
    assert export.state == "done" and export.total == export.done_rows == 3 and export.progress == 100
    job_page = client.get(response["Location"]).content.decode()
    assert "3 cases are ready to download." in job_page
    assert reverse("payroll:case_export_file", args=[export.pk]) in job_page
    file = client.get(reverse("payroll:case_export_file", args=[export.pk]))
    assert file["Content-Disposition"] == 'attachment; filename="payroll-cases.csv"'
    assert "no-store" in file["Cache-Control"]
    lines = b"".join(file.streaming_content).decode().splitlines()
    assert len(lines) == 4 and lines[0].startswith("Case,Agency,Agency name,Pay period")
    text = "\n".join(lines)
    # Masked as in the immediate download: the protected person neither by name nor by number.
    assert "Hemlig" not in text and big_list["hidden"].personnummer not in text and "******-****" in text
    assert "'=SUM(A1)" in text  # formulas neutralised


def test_the_file_is_the_immediate_download_row_for_row(client, case_handler, big_list, monkeypatch):
    client.force_login(case_handler)
    _start(client)
    export = CaseExport.objects.get()
    made = b"".join(client.get(reverse("payroll:case_export_file", args=[export.pk])).streaming_content)
    monkeypatch.setattr(exports, "IMMEDIATE_MAX_ROWS", 10)
    immediate = client.get(reverse("payroll:case_export"), {"format": "csv"}).content
    assert made == immediate


def test_the_immediate_download_of_a_big_list_points_to_the_background(client, case_handler, big_list):
    client.force_login(case_handler)
    response = client.get(reverse("payroll:case_export"), {"format": "csv"}, follow=True)
    assert "the download is made in the background" in response.content.decode()
    assert not CaseExport.objects.exists()


def test_filters_are_kept_and_applied_for_the_user(client, case_handler, big_list):
    client.force_login(case_handler)
    _start(client, kind="xlsx", query="period=2012-03&page=4&sort=period")
    export = CaseExport.objects.get()
    assert export.query == "period=2012-03" and export.total == 2 and export.file.name.endswith(".xlsx")


def test_unmasked_rows_are_logged_for_a_user_who_may_see_them(client, case_handler, big_list):
    case_handler.user_permissions.add(Permission.objects.get(codename="view_protected_identity"))
    factories.PayrollCaseFactory(agency=big_list["agency"], person=big_list["hidden"], period="2012-05")
    client.force_login(case_handler)
    _start(client)
    export = CaseExport.objects.get()
    text = b"".join(client.get(reverse("payroll:case_export_file", args=[export.pk])).streaming_content).decode()
    assert "Hemlig Anställd" in text
    log = ProtectedIdentityAccess.objects.get(user=case_handler)  # one entry, though two of the cases
    assert log.person == big_list["hidden"] and log.context == "payroll case export (csv)"


def test_another_users_download_is_not_found(client, case_handler, unit, big_list):
    colleague = factories.UserFactory(role="case_handler", unit=unit)
    client.force_login(case_handler)
    _start(client)
    export = CaseExport.objects.get()
    client.force_login(colleague)
    for name in ("payroll:case_export_job", "payroll:case_export_status", "payroll:case_export_file"):
        assert client.get(reverse(name, args=[export.pk])).status_code == 404, name


def test_the_file_is_deleted_after_the_retention_time(client, case_handler, big_list, settings):
    client.force_login(case_handler)
    _start(client)
    export = CaseExport.objects.get()
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)
    CaseExport.objects.update(
        finished_at=timezone.now() - dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS, minutes=1)
    )
    assert client.get(reverse("payroll:case_export_file", args=[export.pk])).status_code == 404
    assert (
        "deleted after its retention time"
        in client.get(reverse("payroll:case_export_job", args=[export.pk])).content.decode()
    )
    assert exports.delete_expired() == 1
    assert not storage.exists(name) and not CaseExport.objects.exists()


def test_excel_is_not_offered_beyond_a_sheets_rows(client, case_handler, big_list, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    client.force_login(case_handler)
    page = client.get(reverse("payroll:case_list")).content.decode()
    assert 'value="csv"' in page and 'value="xlsx"' not in page
    response = _start(client, kind="xlsx")
    assert response.status_code == 302 and not CaseExport.objects.exists()
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any("An Excel sheet holds at most 2 rows" in m for m in messages)


def test_bad_filters_start_nothing(client, case_handler, big_list):
    client.force_login(case_handler)
    _start(client, query="period=2012-13")
    assert not CaseExport.objects.exists()


def test_an_overlong_query_starts_nothing(client, case_handler, big_list):
    client.force_login(case_handler)
    response = _start(client, query="zz=" + "x" * 2000)
    assert response.status_code == 302 and not CaseExport.objects.exists()


def test_a_download_whose_worker_died_stops_waiting(client, case_handler, settings):
    long_ago = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS + 60)
    export = CaseExport.objects.create(
        user=case_handler, format="csv", state="running", started_at=long_ago, heartbeat_at=long_ago
    )
    client.force_login(case_handler)
    page = client.get(reverse("payroll:case_export_job", args=[export.pk])).content.decode()
    assert "its worker gives no sign of life" in page and "data-poll-url" not in page
    _start(client)  # started again: a new job, the dead one marked failed
    export.refresh_from_db()
    assert export.state == "failed" and CaseExport.objects.filter(state="done").count() == 1
    fresh = CaseExport.objects.create(user=case_handler, format="csv", state="running", started_at=timezone.now())
    page = client.get(reverse("payroll:case_export_job", args=[fresh.pk])).content.decode()
    assert "data-poll-url" in page and "<progress" in page
