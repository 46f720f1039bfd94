"""Reading through the API: what the account's unit and roles allow, in pages, filtered, masked."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts import roles
from invoicing.services.close import close_month
from tests import factories

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(unit, other_unit):
    return {
        "mine": factories.AgencyFactory(code="SDF01", unit=unit),
        "theirs": factories.AgencyFactory(code="FF02", unit=other_unit),
    }


def test_agencies_of_the_accounts_unit_only(api_for, system_account, agencies):
    api = api_for(system_account, ["agencies:read"])
    body = api.get("/api/v1/agencies/").json()
    assert [a["code"] for a in body["results"]] == ["SDF01"]
    assert api.get(f"/api/v1/agencies/{agencies['mine'].pk}/").json()["unit"] == "lon1"
    other = api.get(f"/api/v1/agencies/{agencies['theirs'].pk}/")
    assert other.status_code == 404 and other["Content-Type"] == "application/problem+json"


def test_a_token_outside_its_scope_is_refused_even_if_the_role_allows(api_for, system_account, agencies):
    api = api_for(system_account, ["agencies:read"])
    refused = api.get("/api/v1/payroll-cases/")
    assert refused.status_code == 403
    problem = refused.json()
    assert problem["status"] == 403 and problem["type"].endswith(":forbidden")
    assert problem["instance"] == "/api/v1/payroll-cases/"


def test_a_scope_stops_working_when_the_account_loses_the_role(api_for, system_account, agencies):
    api = api_for(system_account, ["agencies:read"])
    system_account.groups.clear()
    assert api.get("/api/v1/agencies/").status_code == 403


def test_problem_details_in_swedish_by_default_and_english_when_asked(system_account, agencies):
    secret = make_token(system_account, ["agencies:read"])
    swedish = ApiClient(secret).get("/api/v1/invoices/")
    english = ApiClient(secret, "en-GB,en;q=0.8").get("/api/v1/invoices/")
    assert swedish["Content-Language"] == "sv" and english["Content-Language"] == "en"
    assert swedish.json()["title"] == "Ingen behörighet"
    assert english.json()["title"] == "Not allowed"
    assert "Accept-Language" in swedish["Vary"]
    missing = ApiClient(None, "en").get("/api/v1/agencies/")
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")
    assert missing.json()["title"] == "A valid token is needed"


def test_cursor_pages_and_page_size(api_for, administrator, unit):
    for n in range(5):
        factories.AgencyFactory(code=f"P{n}", unit=unit)
    api = api_for(administrator, ["agencies:read"])
    first = api.get("/api/v1/agencies/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    seen = [a["code"] for a in first["results"]]
    page = first
    while page["next"]:
        page = api.get(page["next"]).json()
        seen += [a["code"] for a in page["results"]]
    assert sorted(seen) == [f"P{n}" for n in range(5)] and len(seen) == 5


def test_price_lists_with_items(api_for, finance):
    factories.price_list_2012()
    body = api_for(finance, ["prices:read"]).get("/api/v1/price-lists/", {"year": 2012}).json()
    items = {i["item_code"]: i for i in body["results"][0]["items"]}
    assert items["manual"]["price"] == "95.00" and items["manual"]["base_item"] == "self_service"


def test_invoices_pdf_and_volumes_after_the_close(api_for, ledger_account, unit, other_unit, unit_manager):
    factories.price_list_2012()
    a = factories.AgencyFactory(code="SDF01", unit=unit)
    b = factories.AgencyFactory(code="FF02", unit=other_unit)
    factories.add_cases(a, "2012-03", self_service=3, manual=2)
    factories.add_cases(b, "2012-03", lisa_tid=4)
    close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))

    api = api_for(ledger_account, ["invoices:read"])
    invoices = api.get("/api/v1/invoices/", {"period": "2012-03"}).json()["results"]
    by_agency = {i["agency"]: i for i in invoices}
    # 3 × 58 + 2 × 95 = 364; 4 × 58 = 232
    assert by_agency["SDF01"]["total"] == "364.00" and by_agency["FF02"]["total"] == "232.00"
    assert [line["item_code"] for line in by_agency["SDF01"]["lines"]] == ["self_service", "manual"]
    only_a = api.get("/api/v1/invoices/", {"agency": "SDF01"}).json()["results"]
    assert [i["agency"] for i in only_a] == ["SDF01"]
    pdf = api.get(by_agency["SDF01"]["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ubl = api.get(by_agency["SDF01"]["ubl"])
    assert ubl.status_code == 200 and ubl["Content-Type"] == "application/xml"
    assert by_agency["SDF01"]["number"].encode() in ubl.content and b"<Invoice" in ubl.content

    # A unit manager's account reads its own unit's volumes only.
    volumes = api_for(unit_manager, ["volumes:read"]).get("/api/v1/volumes/", {"from": "2012-03"}).json()
    assert volumes == [
        {"period": "2012-03", "agency": "SDF01", "channel": "manual", "payslips": 2},
        {"period": "2012-03", "agency": "SDF01", "channel": "self_service", "payslips": 3},
    ]
    bad = api_for(unit_manager, ["volumes:read"]).get("/api/v1/volumes/", {"from": "2012-13"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "from"


def test_payroll_cases_masked_for_a_protected_identity(api_for, system_account, administrator, unit):
    agency = factories.AgencyFactory(code="SDF01", unit=unit)
    hidden = factories.PersonFactory(name="Hemlig Person", protected_identity=True)
    factories.PayrollCaseFactory(agency=agency, person=hidden)
    case_handler_view = api_for(system_account, ["payroll:read"]).get("/api/v1/payroll-cases/").json()["results"]
    assert case_handler_view[0]["personnummer"] == "******-****"
    assert case_handler_view[0]["name"] == "Skyddad identitet"
    admin_view = api_for(administrator, ["payroll:read"]).get("/api/v1/payroll-cases/").json()["results"]
    assert admin_view[0]["personnummer"] == hidden.personnummer
    from people.models import ProtectedIdentityAccess

    assert ProtectedIdentityAccess.objects.filter(user=administrator, person=hidden).count() == 1


def test_pension_cases_of_the_accounts_unit(api_for, pension_handler, unit, other_unit):
    from pensions.models import PensionCase

    mine = factories.AgencyFactory(code="SDF01", unit=unit)
    person = factories.PersonFactory()
    today = timezone.localdate()
    PensionCase.objects.create(
        number="P-1",
        kind=PensionCase._meta.get_field("kind").choices[0][0],
        agency=mine,
        person=person,
        unit=unit,
        received_on=today,
        due_on=today,
    )
    PensionCase.objects.create(
        number="P-2",
        kind=PensionCase._meta.get_field("kind").choices[0][0],
        agency=mine,
        person=person,
        unit=other_unit,
        received_on=today,
        due_on=today,
    )
    body = api_for(pension_handler, ["pensions:read"]).get("/api/v1/pension-cases/").json()
    assert [c["number"] for c in body["results"]] == ["P-1"]


def test_rate_limit_answers_429_with_retry_after(api_for, system_account, settings, agencies):
    from rest_framework.settings import api_settings

    from api.throttling import TokenRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "api": "3/hour"}
    original = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = rates
    try:
        api = api_for(system_account, ["agencies:read"])
        assert [api.get("/api/v1/agencies/").status_code for _ in range(3)] == [200, 200, 200]
        limited = api.get("/api/v1/agencies/")
        assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
        assert limited.json()["title"] == "För många förfrågningar"
        # Another token has its own count.
        assert api_for(system_account, ["agencies:read"]).get("/api/v1/agencies/").status_code == 200
    finally:
        TokenRateThrottle.THROTTLE_RATES = original


def test_administrator_role_does_not_bypass_scopes(api_for, unit):
    admin = factories.UserFactory(role=roles.ADMINISTRATOR)
    assert api_for(admin, ["prices:read"]).get("/api/v1/agencies/").status_code == 403


def test_payroll_case_pages_run_newest_first_like_the_case_list_and_refuse_a_made_up_cursor(
    api_for, administrator, unit
):
    """The API's cursor pages order by id, newest first (the case list's default keyset order):
    every case once across the pages; a cursor that is not the API's own is a 404, never a 500."""
    agency = factories.AgencyFactory(code="KS01", unit=unit)
    person = factories.PersonFactory()
    made = [factories.PayrollCaseFactory(agency=agency, person=person, period=f"2012-0{1 + n % 3}") for n in range(7)]
    api = api_for(administrator, ["payroll:read"])
    page = api.get("/api/v1/payroll-cases/", {"page_size": 3}).json()
    seen = [c["id"] for c in page["results"]]
    while page["next"]:
        page = api.get(page["next"]).json()
        seen += [c["id"] for c in page["results"]]
    assert seen == sorted((c.pk for c in made), reverse=True)
    for cursor in ("garbage", "cD1hYmM="):
        response = api.get("/api/v1/payroll-cases/", {"cursor": cursor})
        assert response.status_code == 404, cursor
