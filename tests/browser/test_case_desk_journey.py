"""Journey (case desk): a case handler finds a case by its number from the top bar, and a person by
name among grouped results, where another unit's case and a protected person are not found."""

import datetime as dt

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
    search = page.get_by_role("search").get_by_role("searchbox", name="Sök i hela Lönservice")
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


def test_unit_manager_reassigns_in_bulk_and_lends_a_handler(
    page, login, screenshot, unit, other_unit, unit_manager, case_handler
):
    """The manager gives two of Lena's cases to a colleague at once, then lends Lena to unit 2: she
    sees unit 2's case from the loan's first day, and no longer once the loan is ended."""
    from django.urls import reverse

    from payroll.models import PayrollCase

    colleague = factories.UserFactory(
        username="karin.kollega", first_name="Karin", last_name="Kollega", role="case_handler", unit=unit
    )
    north = factories.AgencyFactory(code="SDF01", name="Stadsdelsförvaltning Norr", unit=unit)
    mine = [factories.ManualCaseFactory(agency=north, handler=case_handler) for _ in range(3)]
    west = factories.AgencyFactory(code="SDF09", name="Stadsdelsförvaltning Väster", unit=other_unit)
    foreign_case = factories.ManualCaseFactory(agency=west)
    other_manager = factories.UserFactory(
        username="olle.chef", first_name="Olle", last_name="Chef", role="unit_manager", unit=other_unit
    )
    other_unit.manager = other_manager
    other_unit.save()

    login(unit_manager)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Arbetsfördelning").click()
    workload = page.locator("table.workload")
    expect(workload.get_by_role("row").filter(has_text="Lena Ek")).to_contain_text("3")
    page.get_by_label(f"Välj ärende {mine[0].reference}").check()
    page.get_by_label(f"Välj ärende {mine[1].reference}").check()
    page.get_by_label("Ge de valda ärendena till").select_option(label="Karin Kollega")
    page.get_by_role("button", name="Fördela ärendena").click()
    expect(page.get_by_role("status")).to_have_text("2 ärenden tillhör nu Karin Kollega.")
    expect(workload.get_by_role("row").filter(has_text="Karin Kollega")).to_contain_text("2")
    screenshot(page, "unit-manager-workload")
    assert set(PayrollCase.objects.filter(handler=colleague).values_list("pk", flat=True)) == {mine[0].pk, mine[1].pk}

    # Lena cannot open unit 2's case: it is not her unit.
    foreign_url = reverse("payroll:case_detail", args=[foreign_case.pk])
    page.context.clear_cookies()
    login(case_handler)
    assert page.goto(foreign_url).status == 404

    # Unit 1's manager lends Lena to unit 2 from today.
    page.context.clear_cookies()
    login(unit_manager)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Lån mellan enheter").click()
    page.locator("#id_staff_member").select_option(label="Lena Ek")
    page.get_by_label("Utlånad till").select_option(label=str(other_unit))
    today = dt.date.today()
    page.locator("#id_starts_on").fill(today.isoformat())
    page.locator("#id_ends_on").fill((today + dt.timedelta(days=14)).isoformat())
    page.locator("#id_reason").fill("Ärendetopp på enhet 2")
    page.get_by_role("button", name="Låna ut", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Lena Ek är utlånad till")
    expect(page.locator("table:not([data-skills])")).to_contain_text("Gäller")
    screenshot(page, "unit-manager-loans")

    page.context.clear_cookies()
    login(case_handler)
    assert page.goto(foreign_url).status == 200
    expect(page.get_by_role("heading", name=f"Ärende {foreign_case.reference}")).to_be_visible()

    # The loan is ended early: the access ends with it.
    page.context.clear_cookies()
    login(unit_manager)
    page.goto(reverse("staffing:loans"))
    page.get_by_role("button", name="Avsluta lånet").click()
    expect(page.get_by_role("status")).to_have_text("Lånet av Lena Ek är avslutat.")
    page.context.clear_cookies()
    login(case_handler)
    assert page.goto(foreign_url).status == 404


def test_case_handler_registers_a_call_and_answers_an_email(page, login, screenshot, unit, case_handler):
    """A call resolved at once and an e-mail waiting past its 24 hours: the handler registers the one,
    answers the other, and the month's measured shares say so."""
    from django.utils import timezone

    from staffing.models import Enquiry

    north = factories.AgencyFactory(code="SDF01", name="Stadsdelsförvaltning Norr", unit=unit)
    waiting = Enquiry.objects.create(
        agency=north,
        asked_by="Karin på SDF01",
        channel="email",
        topic="payslip",
        received_at=timezone.now() - dt.timedelta(hours=26),
        registered_by=case_handler,
    )
    login(case_handler)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Löneservice: frågor").click()
    queue = page.locator("table.enquiry-queue tbody tr")
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text("Karin på SDF01")
    expect(queue.first.locator(".badge.bad")).to_be_visible()  # past its 24 hours

    page.get_by_label("Förvaltning", exact=True).select_option(label="SDF01 Stadsdelsförvaltning Norr")
    page.get_by_label("Vem frågade").fill("Per på SDF01")
    page.get_by_label("Telefon").check()
    page.get_by_label("Ämne").select_option(index=2)
    page.get_by_label("Löst vid första kontakten").check()
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Frågan är registrerad.")
    call = Enquiry.objects.get(channel="phone")
    assert call.resolved_first_contact and call.answered_by == case_handler

    queue.first.get_by_role("button", name="Besvarat").click()
    expect(page.get_by_role("status")).to_have_text("Frågan är besvarad.")
    expect(page.locator("table.enquiry-queue")).to_contain_text("Ingen e-post väntar.")
    waiting.refresh_from_db()
    assert waiting.answered_by == case_handler and waiting.answered_in_time is False
    kpis = page.locator(".kpi")
    expect(kpis.first).to_contain_text("100")  # one call, resolved at first contact
    expect(kpis.nth(1)).to_contain_text("0")  # one e-mail, answered after 26 hours
    screenshot(page, "case-handler-enquiries")
