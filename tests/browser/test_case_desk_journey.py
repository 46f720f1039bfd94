"""Journey (case desk): a case handler finds a case by its number from the top bar, and a person by
name among grouped results, where another unit's case and a protected person are not found."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(unit, other_unit):
    north = factories.AgencyFactory(code="SDF01", name="Stadsdelsförvaltning Norr", unit=unit)
    elsewhere = factories.AgencyFactory(code="SDF09", name="Stadsdelsförvaltning Väster", unit=other_unit)
    anna = factories.PersonFactory(name="Anna Andersson")
    return {
        "north": north,
        "case": factories.ManualCaseFactory(agency=north, person=anna, period="2012-03"),
        "secret": factories.ManualCaseFactory(
            agency=north, person=factories.PersonFactory(name="Anna Hemlig", protected_identity=True)
        ),
        "elsewhere": factories.ManualCaseFactory(agency=elsewhere, person=factories.PersonFactory(name="Anna Väster")),
    }


def test_case_handler_finds_a_case_by_number_from_the_top_bar(page, login, screenshot, narrow, case_handler, desk):
    login(case_handler)
    case = desk["case"]
    search = page.get_by_role("search").get_by_role("searchbox", name="Sök ärenden, anställda och förvaltningar")
    search.fill(case.reference)
    search.press("Enter")
    expect(page.get_by_role("heading", name=f"Ärende {case.reference}")).to_be_visible()
    expect(page.locator(".facts").first).to_contain_text("Anna Andersson")

    # The scanned document is attached and opened; a note is written; both are in the timeline.
    documents = page.locator("#documents")
    documents.get_by_label("Dokument (pdf eller bild)").set_input_files(
        files=[{"name": "anstallningsbevis.pdf", "mimeType": "application/pdf", "buffer": factories.PDF_BYTES}]
    )
    documents.get_by_role("button", name="Bifoga").click()
    expect(page.get_by_role("status")).to_contain_text(f"Dokumentet är bifogat till ärende {case.reference}.")
    link = page.locator("#documents").get_by_role("link", name="anstallningsbevis.pdf")
    with page.expect_response(lambda r: "/payroll/documents/" in r.url) as opened:
        link.click()
    assert opened.value.status == 200 and opened.value.headers["content-type"] == "application/pdf"
    assert page.request.get(link_href := opened.value.url).body() == factories.PDF_BYTES, link_href
    page.go_back()
    notes = page.locator("#notes")
    notes.get_by_label("Anteckning").fill("Ringde förvaltningen: originalet kommer med posten.")
    notes.get_by_role("button", name="Spara anteckningen").click()
    expect(page.get_by_role("status")).to_have_text("Anteckningen är sparad.")
    expect(page.locator("#notes")).to_contain_text("Ringde förvaltningen: originalet kommer med posten.")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Dokument bifogat")
    expect(timeline.get_by_role("link", name="Anteckning")).to_be_visible()
    screenshot(page, "case-handler-case-desk")

    # A name: the people and the agencies the handler may see, grouped; nobody else's.
    search = page.get_by_role("search").first.get_by_role("searchbox")
    search.fill("anna")
    search.press("Enter")
    expect(page.get_by_role("heading", name="Sök", exact=True)).to_be_visible()
    people = page.locator("section").filter(has=page.get_by_role("heading", name="Anställda"))
    expect(people.get_by_role("listitem")).to_have_count(1)
    expect(people).to_contain_text("Anna Andersson")
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("Anna Hemlig")
    expect(main).not_to_contain_text("Anna Väster")
    screenshot(page, "case-handler-search")

    # Another unit's case number finds nothing, like a number that does not exist.
    search = page.get_by_role("search").first.get_by_role("searchbox")
    search.fill(desk["elsewhere"].reference)
    search.press("Enter")
    expect(main).to_contain_text(f"Inga träffar för ”{desk['elsewhere'].reference}”.")
    with narrow():
        expect(page.get_by_role("search").first.get_by_role("searchbox")).to_be_visible()
        screenshot(page, "case-handler-search-narrow")
