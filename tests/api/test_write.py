"""Writing through the API: a payslip file as an import job (202), a payroll case, idempotency keys."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from payroll.models import PayrollCase, PayslipImport
from tests import factories
from tests.payroll.helpers import payslip_file, pnr

pytestmark = pytest.mark.django_db

CASE = {
    "agency": "SDF01",
    "period": "2012-03",
    "personnummer": "19650315-1232",
    "name": "Anna Andersson",
    "document_type": "new_employment",
    "received_on": "2012-03-05",
}


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(code="SDF01", unit=unit)


def _document_type():
    from payroll.models import DocumentType

    return DocumentType.values[0]


def test_register_a_case_once_with_an_idempotency_key(api_for, system_account, agency):
    api = api_for(system_account, ["payroll:write", "payroll:read"])
    body = {**CASE, "document_type": _document_type()}
    first = api.post("/api/v1/payroll-cases/", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    assert first["Location"].endswith(f"/api/v1/payroll-cases/{first.json()['id']}/")
    again = api.post("/api/v1/payroll-cases/", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert PayrollCase.objects.count() == 1
    case = PayrollCase.objects.get()
    assert case.registered_by == system_account and case.agency == agency and case.status == "received"

    reused = api.post("/api/v1/payroll-cases/", {**body, "period": "2012-04"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 422 and reused.json()["type"].endswith(":idempotency-key-reused")
    # Without a key, the same request is a second case.
    assert api.post("/api/v1/payroll-cases/", body).status_code == 201
    assert PayrollCase.objects.count() == 2


def test_a_refused_case_is_problem_details_per_field_and_the_key_may_be_used_again(api_for, system_account, agency):
    api = api_for(system_account, ["payroll:write"], language="en")
    bad = api.post(
        "/api/v1/payroll-cases/",
        {**CASE, "document_type": _document_type(), "personnummer": "19650315-1234", "period": "2012-13"},
        HTTP_IDEMPOTENCY_KEY="k-2",
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"personnummer", "period"} <= fields
    assert PayrollCase.objects.count() == 0
    good = api.post("/api/v1/payroll-cases/", {**CASE, "document_type": _document_type()}, HTTP_IDEMPOTENCY_KEY="k-2")
    assert good.status_code == 201


def test_another_units_agency_cannot_be_used(api_for, system_account, other_unit):
    factories.AgencyFactory(code="FF02", unit=other_unit)
    api = api_for(system_account, ["payroll:write"])
    refused = api.post("/api/v1/payroll-cases/", {**CASE, "agency": "FF02", "document_type": _document_type()})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "agency"
    assert PayrollCase.objects.count() == 0


def test_upload_a_payslip_file_as_an_import_job(api_for, system_account, agency):
    api = api_for(system_account, ["payslips:import"])
    content = payslip_file([f"2012-03;SDF01;P1;{pnr(1)};self_service", f"2012-03;SDF01;P2;{pnr(2)};manual"])
    response = api.post(
        "/api/v1/payslip-imports/",
        {"file": SimpleUploadedFile("lon-2012-03.csv", content)},
        content_type=None,
        HTTP_IDEMPOTENCY_KEY="march",
    )
    assert response.status_code == 202, response.content
    job_url = response["Location"]
    job = api.get(job_url).json()
    assert job["status"] == "done" and job["rows_imported"] == 2 and job["problem"] is None
    assert {(r["agency"], r["channel"], r["rows"]) for r in job["summary"]} == {
        ("SDF01", "self_service", 1),
        ("SDF01", "manual", 1),
    }
    assert PayrollCase.objects.filter(agency=agency, period="2012-03").count() == 2
    # The same upload retried with its key: the same job, no second import.
    again = api.post(
        "/api/v1/payslip-imports/",
        {"file": SimpleUploadedFile("lon-2012-03.csv", content)},
        content_type=None,
        HTTP_IDEMPOTENCY_KEY="march",
    )
    assert again.status_code == 202 and again["Location"] == job_url
    assert PayslipImport.objects.count() == 1


def test_a_broken_file_is_rejected_whole_with_row_errors_as_problem_details(api_for, system_account, agency):
    api = api_for(system_account, ["payslips:import"], language="en")
    content = payslip_file(
        [
            f"2012-03;SDF01;P1;{pnr(1)};self_service",
            "2012-03;SDF01;P2;19650315-1234;self_service",
            f"2012-03;NOPE;P3;{pnr(3)};teleport",
        ]
    )
    response = api.post("/api/v1/payslip-imports/", {"file": SimpleUploadedFile("bad.csv", content)}, content_type=None)
    assert response.status_code == 202
    job = api.get(response["Location"]).json()
    assert job["status"] == "rejected" and job["rows_imported"] == 0
    problem = job["problem"]
    assert problem["status"] == 422 and problem["type"].endswith(":import-rejected")
    rows = {(e["row"], e["column"]) for e in problem["errors"]}
    assert (3, "personnummer") in rows and (4, "agency_code") in rows and (4, "channel") in rows
    assert PayrollCase.objects.count() == 0


def test_upload_without_a_file_and_without_the_scope(api_for, system_account, agency):
    assert (
        api_for(system_account, ["payroll:read"]).post("/api/v1/payslip-imports/", {}, content_type=None).status_code
        == 403
    )
    missing = api_for(system_account, ["payslips:import"]).post("/api/v1/payslip-imports/", {}, content_type=None)
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "file"


def test_another_accounts_import_job_does_not_exist(api_for, system_account, other_unit, agency):
    from tests.payroll.helpers import run_import

    theirs = factories.UserFactory(role="case_handler", unit=other_unit)
    factories.AgencyFactory(code="FF02", unit=other_unit)
    job = run_import(payslip_file(["2012-03;FF02;P1;19650315-1232;self_service"]), user=theirs)
    PayslipImport.objects.filter(pk=job.pk).update(unit=other_unit, uploaded_by=theirs)
    api = api_for(system_account, ["payslips:import"])
    assert api.get(f"/api/v1/payslip-imports/{job.pk}/").status_code == 404
    assert api_for(theirs, ["payslips:import"]).get(f"/api/v1/payslip-imports/{job.pk}/").status_code == 200
