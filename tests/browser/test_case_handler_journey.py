"""Journey 1 (case handler): the work queue, a manual case, a return with its cover letter, completing
a case, and the monthly payslip file (a good one and a broken one)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.periods import current_period, next_period, previous_period
from customers.models import Agency
from payroll import services
from payroll.models import PayrollCase, PayslipImport
from tests import factories
from tests.browser.helpers import nav_link, open_pdf, pdf_text, serialize_polling

pytestmark = pytest.mark.django_db(transaction=True)


def personnummer(n: int) -> str:
    return factories._valid_personnummer(n)


@pytest.fixture
def desk(unit, other_unit, case_handler):
    """Two agencies of lon1 with documents the case handler registered this week; one of lon2."""
    north = factories.AgencyFactory(
        code="SDF01", name="Stadsdelsförvaltning Norr", kind=Agency.Kind.DISTRICT, unit=unit
    )
    culture = factories.AgencyFactory(code="FF02", name="Kulturförvaltningen", unit=unit)
    elsewhere = factories.AgencyFactory(code="SDF09", name="Stadsdelsförvaltning Väster", unit=other_unit)
    for agency in (north, culture, elsewhere):
        factories.ServiceAgreementFactory(agency=agency, year=timezone.localdate().year, lead_time_days=5)
    period = next_period(current_period())
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    def case(agency, n, name, document_type, user=case_handler):
        return services.register_case(
            user=user,
            agency=agency,
            period=period,
            personnummer=personnummer(n),
            name=name,
            document_type=document_type,
            received_on=yesterday,
            channel="manual",
        )

    other_handler = factories.UserFactory(role="case_handler", unit=other_unit)
    return {
        "north": north,
        "culture": culture,
        "period": period,
        "incomplete": case(north, 101, "Anna Andersson", "change"),
        "new_hire": case(culture, 102, "Bertil Berg", "new_hire"),
        "elsewhere": case(elsewhere, 103, "Cecilia Ceder", "termination", user=other_handler),
    }


@pytest.fixture
def held_imports(monkeypatch):
    """Uploaded files wait in the queue until the test runs the import task (the worker's part)."""
    from payroll import tasks

    queued = []
    monkeypatch.setattr(tasks.run_payslip_import, "delay", lambda job_id, language="sv": queued.append(job_id))

    def run_next():
        tasks.run_payslip_import(queued.pop(0), "sv")

    return run_next


def payslip_file(rows) -> bytes:
    lines = ["period;agency_code;payslip_id;personnummer;channel"] + [";".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_case_handler_works_the_queue_and_imports_the_month(
    page, login, screenshot, narrow, case_handler, desk, held_imports
):
    serialize_polling(page)
    login(case_handler)

    # The start page says what needs doing today; each count leads to the work it counts.
    start = page.locator(".panel").filter(has=page.get_by_role("heading", name="Dina löneärenden"))
    open_cases = start.get_by_role("link").filter(has_text="Dina öppna ärenden")
    expect(open_cases.locator(".value")).to_have_text("2")
    expect(start).to_contain_text("Underlag för löneperiod")
    open_cases.click()

    # The work queue with the handler's own open cases, not another unit's.
    expect(page.get_by_role("heading", name="Arbetskö", exact=True)).to_be_visible()
    queue = page.locator("table.table tbody tr")
    expect(queue).to_have_count(2)
    expect(queue.filter(has_text="Anna Andersson")).to_contain_text("SDF01")
    expect(queue.filter(has_text="Bertil Berg")).to_contain_text("Nyanställning")
    expect(page.locator("table.table")).not_to_contain_text("Cecilia Ceder")
    expect(page.get_by_role("navigation", name="Köer").get_by_role("link", name="Mina ärenden")).to_contain_text("2")
    screenshot(page, "case-handler-queue")
    with narrow():
        expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_hidden()  # behind the menu button
        screenshot(page, "case-handler-queue-narrow")
        page.get_by_text("Meny").click()
        expect(nav_link(page, "Lönefiler")).to_be_visible()
        screenshot(page, "case-handler-menu-narrow")
        page.get_by_text("Meny").click()

    # A document has arrived by post: the handler registers it as a manual case.
    page.get_by_role("link", name="Registrera ärende").click()
    page.get_by_label("Förvaltning").select_option(label="SDF01 Stadsdelsförvaltning Norr")
    page.get_by_label("Löneperiod").fill(desk["period"])
    page.get_by_label("Personnummer").fill(personnummer(104))
    page.get_by_label("Den anställdes namn").fill("David Dahl")
    page.get_by_label("Typ av underlag").select_option(label="Nyanställning")
    screenshot(page, "case-handler-register")
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("är registrerat.")
    registered = PayrollCase.objects.get(person__name="David Dahl")
    expect(page.get_by_role("status")).to_have_text(f"Ärende {registered.reference} är registrerat.")
    expect(page.get_by_role("heading", name=f"Ärende {registered.reference}")).to_contain_text("Inkom")
    facts = page.locator(".facts").first
    expect(facts).to_contain_text("David Dahl")
    expect(facts).to_contain_text("SDF01 Stadsdelsförvaltning Norr")
    assert registered.handler == case_handler and registered.channel == "manual" and not registered.is_late

    # An incomplete document goes back to the agency with a cover letter saying what is missing.
    nav_link(page, "Arbetskö").click()
    expect(queue).to_have_count(3)
    queue.filter(has_text="Anna Andersson").get_by_role("link").first.click()
    page.get_by_role("link", name="Returnera till förvaltningen").click()
    page.get_by_label("Underskrift (attest) av behörig chef").check()
    page.get_by_label("Beskrivning till förvaltningen").fill("Blanketten saknar chefens underskrift.")
    page.get_by_role("button", name="Returnera och skapa följebrev").click()
    incomplete = desk["incomplete"]
    expect(page.get_by_role("status")).to_contain_text("följebrevet")
    expect(page.get_by_role("heading", name=f"Ärende {incomplete.reference}")).to_contain_text("Returnerat")
    returned = page.locator(".payroll-return")
    expect(returned).to_contain_text("Underskrift (attest) av behörig chef")
    expect(returned).to_contain_text("Blanketten saknar chefens underskrift.")
    screenshot(page, "case-handler-returned")
    incomplete.refresh_from_db()
    assert incomplete.status == PayrollCase.Status.RETURNED

    letter = pdf_text(open_pdf(page, returned.get_by_role("link", name="Följebrev (PDF)")))
    assert page.url.endswith(f"/payroll/returns/{incomplete.returns.get().pk}/cover-letter.pdf")
    page.go_back()
    for expected in (
        "Stadsdelsförvaltning Norr",
        incomplete.reference,
        "Underskrift (attest) av behörig chef",
        "Blanketten saknar chefens underskrift.",
    ):
        assert expected in letter, (expected, letter)
    reply_by = incomplete.returns.get().reply_by
    for expected in ("Anna Andersson", personnummer(101), f"senast {reply_by:%Y-%m-%d}", case_handler.get_full_name()):
        assert expected in letter, (expected, letter)

    # The new case is entered in the payroll system and completed.
    nav_link(page, "Arbetskö").click()
    expect(page.get_by_role("navigation", name="Köer").get_by_role("link", name="Returnerade, väntar")).to_contain_text(
        "1"
    )
    queue.filter(has_text="David Dahl").get_by_role("link").first.click()
    page.get_by_role("button", name="Registrerat i lönesystemet").click()
    expect(page.get_by_role("status")).to_have_text(f"Ärende {registered.reference} är registrerat i lönesystemet.")
    page.get_by_role("button", name="Avsluta").click()
    expect(page.get_by_role("status")).to_have_text(f"Ärende {registered.reference} är avslutat.")
    expect(page.get_by_role("heading", name=f"Ärende {registered.reference}")).to_contain_text("Klart")
    expect(page.get_by_role("button", name="Avsluta")).to_have_count(0)
    registered.refresh_from_db()
    assert registered.status == PayrollCase.Status.COMPLETED and registered.closed_on == timezone.localdate()

    # The month's payslip file from the payroll system: the result per agency and channel.
    month = previous_period(current_period())
    good = payslip_file(
        [(month, "SDF01", f"N{i}", personnummer(200 + i), "self_service") for i in range(3)]
        + [(month, "SDF01", "N9", personnummer(209), "lisa_tid")]
        + [(month, "FF02", f"K{i}", personnummer(300 + i), "agresso") for i in range(2)]
    )
    cases_before = PayrollCase.objects.count()
    nav_link(page, "Lönefiler").click()
    expect(page.get_by_role("heading", name="Lönefiler")).to_be_visible()
    page.get_by_role("link", name="Importera en fil").click()
    page.get_by_label("Lönefil (CSV)").set_input_files(
        files=[{"name": f"lon-{month}.csv", "mimeType": "text/csv", "buffer": good}]
    )
    page.get_by_role("button", name="Importera", exact=True).click()
    status = page.locator(".payroll-import-status")
    expect(status).to_contain_text("Väntar")
    held_imports()
    expect(status).to_contain_text("6 lönespecifikationer importerade", timeout=10_000)
    result = status.locator("table")
    expect(result.locator("tbody tr")).to_have_count(2)
    expect(result.locator("tbody tr").filter(has_text="SDF01")).to_contain_text("4")
    expect(result.locator("tbody tr").filter(has_text="FF02")).to_contain_text("2")
    expect(result.locator("tfoot")).to_contain_text("6")
    screenshot(page, "case-handler-import-done")
    assert PayrollCase.objects.count() == cases_before + 6

    # A broken file: every bad row is listed, and nothing at all is imported.
    broken = payslip_file(
        [
            (month, "SDF01", "X1", personnummer(400), "self_service"),
            (month, "XX99", "X2", personnummer(401), "self_service"),
            (month, "SDF01", "X3", "19650315-0000", "self_service"),
            (month, "FF02", "X4", personnummer(402), "fax"),
            (month, "SDF09", "X5", personnummer(403), "self_service"),
        ]
    )
    cases_before = PayrollCase.objects.count()
    page.get_by_role("link", name="Importera en annan fil").click()
    page.get_by_label("Lönefil (CSV)").set_input_files(
        files=[{"name": "trasig.csv", "mimeType": "text/csv", "buffer": broken}]
    )
    page.get_by_role("button", name="Importera", exact=True).click()
    expect(status).to_contain_text("Väntar")
    held_imports()
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("Filen avvisades. Ingenting importerades.", timeout=10_000)
    error_rows = errors.locator("tbody tr")
    expect(error_rows).to_have_count(4)
    # The header is row 1 and the good first row is row 2: rows 3-6 are named with their column and fault.
    listed = [[cell.strip() for cell in error_rows.nth(i).locator("td").all_inner_texts()] for i in range(4)]
    assert [row[:2] for row in listed] == [
        ["3", "agency_code"],
        ["4", "personnummer"],
        ["5", "channel"],
        ["6", "agency_code"],
    ], listed
    assert "XX99" in listed[0][2] and "19650315-0000" in listed[1][2] and "fax" in listed[2][2]
    assert "SDF09" in listed[3][2] and "enhet" in listed[3][2]  # another unit's agency is refused
    screenshot(page, "case-handler-import-rejected")
    assert PayrollCase.objects.count() == cases_before
    assert PayslipImport.objects.get(file_name="trasig.csv").status == PayslipImport.Status.REJECTED
