"""Journey 4 (access): what an anonymous visitor and a logged-in user see."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_visitor_is_sent_to_the_swedish_login_page(page, screenshot):
    page.goto("/")
    assert "/login/" in page.url
    assert page.get_by_role("heading", name="Logga in i Lönservice").is_visible()
    screenshot(page, "login")


def test_wrong_password_shows_an_error_and_right_one_logs_in(page, login, case_handler):
    login(case_handler, password="fel-lösenord")
    assert "/login/" in page.url
    assert page.get_by_role("alert").is_visible()
    login(case_handler)
    assert "/login/" not in page.url
    assert page.get_by_role("button", name="Logga ut").is_visible()


def test_language_can_be_switched_to_english(page):
    page.goto("/login/")
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="Log in to Lönservice").is_visible()


def nav_link_named(page, name):
    return page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name, exact=True)


# --- who may see what ------------------------------------------------------------------------------


@pytest.fixture
def protected_case(unit, other_unit, case_handler):
    """A case of lon1 for a person with protected identity, and a case of lon2."""
    import datetime as dt

    from django.utils import timezone

    from core.periods import current_period, next_period
    from payroll import services

    north = factories.AgencyFactory(code="SDF01", name="Stadsdelsförvaltning Norr", unit=unit)
    west = factories.AgencyFactory(code="SDF09", name="Stadsdelsförvaltning Väster", unit=other_unit)
    hidden = factories.PersonFactory(name="Sara Skyddad", protected_identity=True)
    colleague = factories.UserFactory(role="case_handler", unit=other_unit)

    def register(agency, person, user):
        return services.register_case(
            user=user,
            agency=agency,
            period=next_period(current_period()),
            personnummer=person.personnummer,
            name=person.name,
            document_type="change",
            received_on=timezone.localdate() - dt.timedelta(days=1),
            channel="manual",
        )

    return {
        "person": hidden,
        "case": register(north, hidden, case_handler),
        "other_unit_case": register(west, factories.PersonFactory(name="Olle Annan"), colleague),
    }


def test_a_case_handler_is_refused_finance_pages_and_cannot_see_other_units_cases(
    page, login, screenshot, case_handler, protected_case
):
    login(case_handler)
    expect(nav_link_named(page, "Fakturor")).to_have_count(0)  # not offered in the menu
    for address in ("/invoicing/invoices/", "/invoicing/close/", "/prices/new/"):
        response = page.goto(address)
        assert response.status == 403, address
        expect(page.get_by_role("heading", name="Du har inte behörighet till den här sidan")).to_be_visible()
        expect(page).to_have_title("Ingen behörighet · Lönservice")
    screenshot(page, "access-refused")
    page.get_by_role("link", name="Tillbaka till start").click()
    expect(page.get_by_role("heading", name="Dina löneärenden")).to_be_visible()

    # Another unit's case does not exist for them.
    response = page.goto(f"/payroll/cases/{protected_case['other_unit_case'].pk}/")
    assert response.status == 404
    assert "Olle Annan" not in page.content()


def test_an_anonymous_visitor_logs_in_and_comes_back_to_the_page_asked_for(page, finance):
    page.goto("/invoicing/invoices/?period=2012-03")
    assert "/login/" in page.url and "next=" in page.url
    expect(page.get_by_role("heading", name="Logga in i Lönservice")).to_be_visible()
    page.get_by_label("Användarnamn").fill(finance.username)
    page.get_by_label("Lösenord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Fakturor", exact=True)).to_be_visible()
    assert page.url.endswith("/invoicing/invoices/?period=2012-03")
    expect(page.get_by_label("Period")).to_have_value("2012-03")


def test_a_protected_identity_is_masked_unless_the_handler_needs_to_know(
    page, login, screenshot, case_handler, protected_case
):
    from django.contrib.auth.models import Group

    from accounts.roles import PROTECTED_IDENTITY_GROUP
    from people.models import ProtectedIdentityAccess

    person = protected_case["person"]
    login(case_handler)
    nav_link_named(page, "Arbetskö").click()
    row = page.locator("table.table tbody tr").filter(has_text="SDF01")
    expect(row).to_contain_text("Skyddad identitet")
    expect(row).to_contain_text("******-****")
    screenshot(page, "access-protected-identity-queue")
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=f"Ärende {protected_case['case'].reference}")).to_be_visible()
    facts = page.locator(".facts").first
    expect(facts).to_contain_text("Skyddad identitet")
    expect(facts).to_contain_text("******-****")
    for address in ("/payroll/", f"/payroll/cases/{protected_case['case'].pk}/", "/payroll/cases/"):
        page.goto(address)
        html = page.content()
        assert person.name not in html and person.personnummer not in html, address
    # Nothing unmasked was seen: the log holds only the registration of the case (a probe shows there).
    assert list(ProtectedIdentityAccess.objects.values_list("context", flat=True)) == [
        f"payroll case registered {protected_case['case'].reference}"
    ]

    # A colleague whose work needs it is given the right by an administrator: they see the person,
    # and the view is logged.
    colleague = factories.UserFactory(role="case_handler", unit=protected_case["case"].agency.unit)
    colleague.groups.add(Group.objects.get(name=PROTECTED_IDENTITY_GROUP))
    page.get_by_role("button", name="Logga ut").click()
    login(colleague)
    page.goto(f"/payroll/cases/{protected_case['case'].pk}/")
    facts = page.locator(".facts").first
    expect(facts).to_contain_text(person.name)
    expect(facts).to_contain_text(person.personnummer)
    assert ProtectedIdentityAccess.objects.filter(user=colleague, person=person).exists()
    assert (
        not ProtectedIdentityAccess.objects.filter(user=case_handler)
        .exclude(context__startswith="payroll case registered")
        .exists()
    )
