"""The case list's pages in the browser: the next and previous links (a cursor in the address,
payroll.keyset) lead through the list and back, the filter kept, and the address can be shared."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_next_and_previous_pages_of_a_filtered_case_list_follow_the_cursor(page, login, case_handler, unit):
    agency = factories.AgencyFactory(code="SDF01", unit=unit)
    person = factories.PersonFactory()
    cases = [factories.PayrollCaseFactory(agency=agency, person=person, period="2012-03") for _ in range(55)]
    factories.PayrollCaseFactory(agency=agency, person=person, period="2012-04")
    newest_first = sorted(cases, key=lambda c: c.pk, reverse=True)
    login(case_handler)
    page.goto("/payroll/cases/?period=2012-03")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text(newest_first[0].reference)
    expect(page.get_by_role("link", name="Föregående sida")).to_have_count(0)
    page.get_by_role("link", name="Nästa sida").click()
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text(newest_first[50].reference)
    assert "after=" in page.url and "period=2012-03" in page.url
    shared = page.url
    page.get_by_role("link", name="Föregående sida").click()
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text(newest_first[0].reference)
    # The second page's address, opened again, shows the same five cases.
    page.goto(shared)
    expect(rows).to_have_count(5)
    expect(rows.last).to_contain_text(newest_first[-1].reference)
