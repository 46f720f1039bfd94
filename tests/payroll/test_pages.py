"""The case handler's pages: work queue, case list, registering and handling a case,
the upload page, and unit scoping (another unit's object is a 404 everywhere)."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from core.workdays import add_working_days
from payroll import clock, services
from payroll.models import PayrollCase, PayslipImport
from tests import factories
from tests.payroll.helpers import payslip_file, pnr, second_handler, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(unit):
    agency = factories.AgencyFactory(code="SDF01", name="Norra förvaltningen", unit=unit)
    factories.AgencyContactFactory(agency=agency)
    return agency


@pytest.fixture
def foreign_case(other_unit):
    return factories.ManualCaseFactory(agency=factories.AgencyFactory(code="FAK09", unit=other_unit))


def _today_case(agency, user, **fields):
    today = timezone.localdate()
    values = {
        "agency": agency,
        "period": f"{today:%Y-%m}",
        "handler": user,
        "registered_by": user,
        "received_on": today,
        "due_on": today + dt.timedelta(days=30),
    }
    return factories.ManualCaseFactory(**{**values, **fields})


def test_the_case_handler_starts_on_what_needs_doing_with_a_way_to_the_work_queue(client, case_handler):
    client.force_login(case_handler)
    response = client.get("/")
    assert response.status_code == 200 and [panel.title for panel in response.context["panels"]] == [
        "Your payroll cases"
    ]
    assert 'href="/payroll/?bucket=mine"' in response.content.decode()


def test_the_queue_counts_and_lists_each_bucket(client, case_handler, agency, unit):
    colleague = second_handler(unit)
    today = timezone.localdate()
    mine = _today_case(agency, case_handler)
    theirs = _today_case(agency, colleague)
    # Received late, twelve working days ago: the clock ran from that day and the five days are gone.
    late_on = add_working_days(today, -12)
    overdue = _today_case(
        agency,
        colleague,
        period="2012-01",
        received_on=late_on,
        is_late=True,
        due_on=clock.due_date(period="2012-01", received_on=late_on, lead_time_days=5),
    )
    returned = _today_case(agency, case_handler, status="returned", due_on=today - dt.timedelta(days=3))
    urgent = _today_case(agency, colleague, channel="girovision", status="registered")
    _today_case(agency, case_handler, status="completed")
    client.force_login(case_handler)
    response = client.get("/payroll/")
    counts = response.context["counts"]
    assert counts == {"mine": 2, "team": 5, "due_soon": 0, "overdue": 1, "returned": 1, "approval": 1}
    assert [r.record for r in response.context["table"].paginated_rows] == [returned, mine]
    for bucket, expected in [("team", {mine, theirs, overdue, returned, urgent}), ("overdue", {overdue})]:
        rows = client.get(f"/payroll/?bucket={bucket}").context["table"].paginated_rows
        assert {r.record for r in rows} == expected
    html = client.get("/payroll/?bucket=overdue").content.decode()
    assert "7 working days overdue" in html


def test_queue_filters_narrow_counts_and_lists(client, case_handler, agency, unit):
    other_agency = factories.AgencyFactory(code="SDF02", unit=unit)
    _today_case(agency, case_handler)
    _today_case(other_agency, case_handler)
    client.force_login(case_handler)
    response = client.get(f"/payroll/?agency={other_agency.pk}&bucket=mine")
    assert response.context["counts"]["mine"] == 1


def test_the_case_list_pages_without_counting_every_row(client, case_handler, agency):
    person = factories.PersonFactory()
    for i in range(60):
        factories.PayrollCaseFactory(agency=agency, person=person, payslip_id=f"P{i}")
    client.force_login(case_handler)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/payroll/cases/")
    assert response.status_code == 200
    assert len(response.context["table"].paginated_rows) == 50
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # The next page by the cursor in its link (payroll.keyset): the cases after the last one shown.
    found = re.search(r'rel="next" href="([^"]+)"', response.content.decode())
    second = client.get("/payroll/cases/" + html.unescape(found.group(1)))
    assert len(second.context["table"].paginated_rows) == 10


def test_the_case_list_filters_on_agency_period_channel_and_status(client, case_handler, agency):
    person = factories.PersonFactory()
    hit = factories.PayrollCaseFactory(agency=agency, person=person, period="2012-04", channel="agresso")
    factories.PayrollCaseFactory(agency=agency, person=person, period="2012-03", channel="agresso")
    factories.PayrollCaseFactory(agency=agency, person=person, period="2012-04", channel="manual")
    client.force_login(case_handler)
    response = client.get(f"/payroll/cases/?agency={agency.pk}&period=2012-04&channel=agresso&status=completed")
    assert [r.record for r in response.context["table"].paginated_rows] == [hit]
    bad = client.get("/payroll/cases/?period=2012-13")
    assert "Enter a period as YYYY-MM" in bad.content.decode()


def test_the_export_holds_the_filtered_cases(client, case_handler, agency):
    person = factories.PersonFactory(name="Exporterad Person")
    factories.PayrollCaseFactory(agency=agency, person=person, period="2012-04", payslip_id="E1")
    factories.PayrollCaseFactory(agency=agency, person=person, period="2012-05", payslip_id="E2")
    client.force_login(case_handler)
    response = client.get("/payroll/cases/export/?format=csv&period=2012-04")
    lines = response.content.decode().strip().splitlines()
    assert response["Content-Disposition"] == 'attachment; filename="payroll-cases.csv"'
    assert lines[0].startswith("Case,Agency,Agency name,Pay period,Payslip id,Personal identity number,Employee")
    assert len(lines) == 2 and "E1" in lines[1] and "Exporterad Person" in lines[1] and "SDF01" in lines[1]


def test_the_download_is_offered_only_where_it_can_work(client, case_handler, agency, monkeypatch):
    from payroll.services import exports

    monkeypatch.setattr(exports, "IMMEDIATE_MAX_ROWS", 2)
    for period in ("2012-03", "2012-03", "2012-04"):
        factories.PayrollCaseFactory(agency=agency, period=period)
    client.force_login(case_handler)
    everything = client.get("/payroll/cases/").content.decode()
    # Three cases: not the immediate download, which would refuse, but the background one.
    assert "/payroll/cases/export/?" not in everything and "/payroll/cases/export/start/" in everything
    assert "More than 2 cases match: the download is made in the background" in everything
    one_month = client.get("/payroll/cases/?period=2012-03").content.decode()
    assert "/payroll/cases/export/?period=2012-03&amp;format=csv" in one_month and "More than" not in one_month
    assert client.get("/payroll/cases/export/?format=csv&period=2012-03").status_code == 200


def test_registering_a_case_through_the_page(client, case_handler, agency):
    client.force_login(case_handler)
    data = {
        "agency": agency.pk,
        "period": "2012-03",
        "personnummer": pnr(5),
        "name": "Sidan Sidansson",
        "document_type": "new_hire",
        "received_on": "2012-03-05",
        "channel": "manual",
    }
    response = client.post("/payroll/cases/new/", data)
    case = PayrollCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/payroll/cases/{case.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Sidan Sidansson" in page and "Received" in page and "New hire" in page


def test_a_bad_registration_shows_errors_and_writes_nothing(client, case_handler, agency, other_unit):
    client.force_login(case_handler)
    foreign = factories.AgencyFactory(unit=other_unit)
    response = client.post(
        "/payroll/cases/new/",
        {"agency": foreign.pk, "period": "2012-3", "personnummer": "19121212-1213", "document_type": "change"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"agency", "period", "personnummer", "received_on", "channel"} <= set(errors)
    assert not PayrollCase.objects.exists()


def test_unit_managers_may_not_register_cases(client, unit_manager):
    client.force_login(unit_manager)
    assert client.get("/payroll/cases/new/").status_code == 403


def test_returning_through_the_page_gives_a_cover_letter_and_the_clock_stops(client, case_handler, agency):
    case = _today_case(agency, case_handler, received_on=timezone.localdate())
    client.force_login(case_handler)
    form = client.get(f"/payroll/cases/{case.pk}/return/").content.decode()
    assert "Signature of the authorising manager" in form
    response = client.post(
        f"/payroll/cases/{case.pk}/return/",
        {"missing": ["signature", "other"], "details": "Fel blankett", "reply_by": timezone.localdate().isoformat()},
        follow=True,
    )
    case.refresh_from_db()
    assert case.status == "returned"
    html = response.content.decode()
    assert "Clock stopped while returned" in html and "Cover letter (PDF)" in html and "Fel blankett" in html
    letter = client.get(f"/payroll/returns/{case.returns.get().pk}/cover-letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    response = client.post(
        f"/payroll/cases/{case.pk}/document-arrived/", {"arrived_on": timezone.localdate().isoformat()}, follow=True
    )
    case.refresh_from_db()
    assert case.status == "received" and "the clock runs again" in response.content.decode()


def test_a_return_without_what_is_missing_is_refused_on_the_page(client, case_handler, agency):
    case = _today_case(agency, case_handler)
    client.force_login(case_handler)
    response = client.post(f"/payroll/cases/{case.pk}/return/", {"details": "x"})
    assert response.status_code == 200 and "missing" in response.context["form"].errors
    case.refresh_from_db()
    assert case.status == "received"


def test_register_complete_and_cancel_through_the_page(client, case_handler, agency):
    case = _today_case(agency, case_handler)
    client.force_login(case_handler)
    client.post(f"/payroll/cases/{case.pk}/register/")
    client.post(f"/payroll/cases/{case.pk}/complete/")
    case.refresh_from_db()
    assert case.status == "completed"
    response = client.post(f"/payroll/cases/{case.pk}/complete/", follow=True)
    assert "cannot be completed" in response.content.decode()
    other = _today_case(agency, case_handler)
    assert client.post(f"/payroll/cases/{other.pk}/cancel/", {"reason": ""}).status_code == 200
    client.post(f"/payroll/cases/{other.pk}/cancel/", {"reason": "Dubblett"})
    other.refresh_from_db()
    assert other.status == "cancelled"
    page = client.get(f"/payroll/cases/{other.pk}/").content.decode()
    assert "Dubblett" in page and "Cancelled" in page


def test_another_units_case_is_not_found_anywhere(client, case_handler, foreign_case):
    client.force_login(case_handler)
    pk = foreign_case.pk
    for url in [f"/payroll/cases/{pk}/", f"/payroll/cases/{pk}/return/", f"/payroll/cases/{pk}/cancel/"]:
        assert client.get(url).status_code == 404, url
    for action in ["register", "take", "complete", "approve", "document-arrived"]:
        assert client.post(f"/payroll/cases/{pk}/{action}/").status_code == 404, action
    case_return = factories.CaseReturnFactory(case=foreign_case)
    assert client.get(f"/payroll/returns/{case_return.pk}/cover-letter.pdf").status_code == 404
    assert "FAK09" not in client.get("/payroll/cases/export/?format=csv").content.decode()
    assert "FAK09" not in client.get("/payroll/cases/?status=received").content.decode()
    foreign_case.refresh_from_db()
    assert foreign_case.status == "received"


def test_head_of_service_reads_every_unit_but_changes_nothing(client, head_of_service, foreign_case):
    client.force_login(head_of_service)
    assert client.get(f"/payroll/cases/{foreign_case.pk}/").status_code == 200
    assert client.post(f"/payroll/cases/{foreign_case.pk}/register/").status_code == 403


def test_finance_and_pension_handlers_see_no_payroll_cases(client, finance, pension_handler, foreign_case):
    for user in (finance, pension_handler):
        client.force_login(user)
        assert client.get("/payroll/").status_code == 403
        assert client.get(f"/payroll/cases/{foreign_case.pk}/").status_code == 403


def test_uploading_a_file_imports_it_and_shows_rows_per_agency_and_channel(client, case_handler, agency):
    client.force_login(case_handler)
    content = payslip_file([f"2012-03;SDF01;1;{pnr(1)};self_service", f"2012-03;SDF01;2;{pnr(2)};manual"])
    response = client.post("/payroll/imports/upload/", {"file": upload(content)})
    job = PayslipImport.objects.get()
    assert response["Location"] == f"/payroll/imports/{job.pk}/"
    assert job.status == "done" and job.uploaded_by == case_handler and job.unit.code == "lon1"
    html = client.get(response["Location"]).content.decode()
    assert "2 payslips imported" in html and "Norra förvaltningen" in html and "Lisa Self-service" in html
    assert "data-poll-url" not in html
    again = client.post("/payroll/imports/upload/", {"file": upload(content, name="copy.csv")})
    html = client.get(again["Location"]).content.decode()
    assert "already imported" in html and "Nothing was imported" in html
    assert PayrollCase.objects.count() == 2


def test_a_rejected_upload_lists_the_errors_by_row_and_column(client, case_handler, agency):
    client.force_login(case_handler)
    content = payslip_file([f"2012-03;SDF01;1;{pnr(1)};fax", f"2012-03;XXX;2;{pnr(2)};manual"])
    response = client.post("/payroll/imports/upload/", {"file": upload(content)}, follow=True)
    html = response.content.decode()
    assert "The file was rejected. Nothing was imported." in html
    assert "<td>2</td><td>channel</td>" in html and "<td>3</td><td>agency_code</td>" in html
    assert not PayrollCase.objects.exists()


def test_a_running_import_polls_for_its_progress(client, case_handler):
    job = factories.PayslipImportFactory(status="running", uploaded_by=case_handler, rows_read=15000, progress=30)
    client.force_login(case_handler)
    html = client.get(f"/payroll/imports/{job.pk}/status/").content.decode()
    assert f'data-poll-url="/payroll/imports/{job.pk}/status/"' in html
    assert "15,000 rows read so far" in html and 'value="30"' in html


def test_an_upload_without_a_file_is_refused(client, case_handler):
    client.force_login(case_handler)
    response = client.post("/payroll/imports/upload/", {})
    assert response.status_code == 400 and "file" in response.context["form"].errors
    assert not PayslipImport.objects.exists()


def test_another_units_import_is_not_found(client, case_handler, other_unit):
    job = factories.PayslipImportFactory(unit=other_unit)
    client.force_login(case_handler)
    assert client.get(f"/payroll/imports/{job.pk}/").status_code == 404
    assert client.get(f"/payroll/imports/{job.pk}/status/").status_code == 404


def test_the_pages_are_in_swedish_by_default(client, case_handler, settings):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    client.force_login(case_handler)
    with override("sv"):
        html = client.get("/payroll/").content.decode()
    assert "Arbetskö" in html and "Mina ärenden" in html and "Försenade" in html


def test_a_case_completed_via_services_shows_within_lead_time(client, case_handler, agency):
    case = services.register_case(
        user=case_handler,
        agency=agency,
        period="2012-03",
        personnummer=pnr(9),
        name="",
        document_type="change",
        received_on=dt.date(2012, 3, 12),
        channel="manual",
    )
    services.mark_registered(case=case, user=case_handler)
    services.complete_case(case=case, user=case_handler, completed_on=dt.date(2012, 3, 14))
    client.force_login(case_handler)
    html = client.get(f"/payroll/cases/{case.pk}/").content.decode()
    assert "within the lead time" in html and "2 working days" in html


def test_a_city_wide_import_shows_a_case_handler_only_their_units_agencies(client, case_handler, agency, other_unit):
    factories.AgencyFactory(code="FAK09", name="Fackförvaltningen Syd", unit=other_unit)
    summary = [
        {"agency": "SDF01", "agency_name": "Norra förvaltningen", "channel": "manual", "channel_label": "", "rows": 7},
        {
            "agency": "FAK09",
            "agency_name": "Fackförvaltningen Syd",
            "channel": "manual",
            "channel_label": "",
            "rows": 5,
        },
    ]
    done = factories.PayslipImportFactory(unit=None, summary=summary, rows_imported=12)
    rejected = factories.PayslipImportFactory(unit=None, status="rejected", summary=[])
    client.force_login(case_handler)
    listing = client.get("/payroll/imports/").content.decode()
    assert f"/payroll/imports/{done.pk}/" in listing and f"/payroll/imports/{rejected.pk}/" not in listing
    html = client.get(f"/payroll/imports/{done.pk}/").content.decode()
    assert "Norra förvaltningen" in html and "Fackförvaltningen Syd" not in html
    assert "shown here are the 7 of your unit's agencies" in html
    assert client.get(f"/payroll/imports/{rejected.pk}/").status_code == 404


def test_the_return_page_of_a_case_that_cannot_be_returned_sends_back_to_the_case(client, case_handler, agency):
    case = _today_case(agency, case_handler, status="completed")
    client.force_login(case_handler)
    response = client.get(f"/payroll/cases/{case.pk}/return/", follow=True)
    assert response.redirect_chain[-1][0] == f"/payroll/cases/{case.pk}/"
    assert "Only a received or registered case can be returned." in response.content.decode()
    assert client.get(f"/payroll/cases/{case.pk}/cancel/").status_code == 302


def test_the_queue_counts_late_documents_of_the_period(client, case_handler, agency):
    _today_case(agency, case_handler, period="2012-03", is_late=True)
    _today_case(agency, case_handler, period="2012-03", is_late=True, status="completed")
    _today_case(agency, case_handler, period="2012-03", is_late=True, status="cancelled")
    _today_case(agency, case_handler, period="2012-03")
    client.force_login(case_handler)
    response = client.get("/payroll/?period=2012-03")
    assert response.context["late"] == 2 and response.context["late_period"] == "2012-03"
    assert "Late documents for 2012-03" in response.content.decode()
    assert client.get("/payroll/").context["late_period"] == timezone.localdate().strftime("%Y-%m")


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_kept(client, case_handler, settings):
    settings.IMPORT_MAX_BYTES = 1_048_576
    client.force_login(case_handler)
    response = client.post("/payroll/imports/upload/", {"file": upload(b"x" * 1_048_577)})
    assert "The file is larger than 1 MB." in response.content.decode()
    assert not PayslipImport.objects.exists()


def test_an_import_that_stopped_says_so_and_the_file_can_be_uploaded_again(client, case_handler, agency):
    content = payslip_file([f"2012-03;SDF01;1;{pnr(1)};manual"])
    job = factories.PayslipImportFactory(status="running", uploaded_by=case_handler, sha256="")
    PayslipImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    client.force_login(case_handler)
    html = client.get(f"/payroll/imports/{job.pk}/status/").content.decode()
    assert "its worker gives no sign of life" in html and "data-poll-url" not in html
    client.post("/payroll/imports/upload/", {"file": upload(content)})
    assert PayrollCase.objects.count() == 1


def _kept_files(settings) -> list:
    root = settings.MEDIA_ROOT / "imports"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_rejected_upload_is_deleted_once_its_errors_are_stored_and_an_imported_one_is_kept(
    client, case_handler, agency, settings
):
    client.force_login(case_handler)
    client.post("/payroll/imports/upload/", {"file": upload(payslip_file([f"2012-03;SDF01;1;{pnr(1)};fax"]))})
    rejected = PayslipImport.objects.get()
    assert rejected.status == "rejected" and rejected.errors and not rejected.file
    assert _kept_files(settings) == []
    client.post("/payroll/imports/upload/", {"file": upload(payslip_file([f"2012-03;SDF01;1;{pnr(1)};manual"]))})
    done = PayslipImport.objects.get(status="done")
    assert done.file and _kept_files(settings) == [done.file.name.rsplit("/", 1)[-1]]


def test_uploads_are_limited_per_person_and_hour_over_every_import_page(client, case_handler, agency, unit, settings):
    settings.IMPORT_UPLOADS_PER_HOUR = 2
    client.force_login(case_handler)
    for n in range(2):
        content = payslip_file([f"2012-03;SDF01;{n};{pnr(n)};manual"])
        assert client.post("/payroll/imports/upload/", {"file": upload(content)}).status_code == 302
    content = payslip_file([f"2012-03;SDF01;9;{pnr(9)};manual"])
    response = client.post("/payroll/imports/upload/", {"file": upload(content)})
    assert response.status_code == 429
    assert "You have uploaded 2 files in the last hour" in response.content.decode()
    assert PayslipImport.objects.count() == 2 and PayrollCase.objects.count() == 2
    # Another person is not held back, and an hour later this one may upload again.
    other = second_handler(unit)
    client.force_login(other)
    assert client.post("/payroll/imports/upload/", {"file": upload(content)}).status_code == 302
    from core.models import Upload

    Upload.objects.update(uploaded_at=timezone.now() - dt.timedelta(minutes=61))
    client.force_login(case_handler)
    content = payslip_file([f"2012-03;SDF01;10;{pnr(10)};manual"])
    assert client.post("/payroll/imports/upload/", {"file": upload(content)}).status_code == 302
