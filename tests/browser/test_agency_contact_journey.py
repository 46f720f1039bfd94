"""Journey (issue 16): an agency contact in the portal. Log in; see this month's draft; download an
invoice; answer a returned case by upload, after which the handler sees it back in the queue; dispute a
line; be refused another agency's invoice."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.periods import current_period
from invoicing.models import InvoiceDispute
from payroll.models import PayrollCase
from tests import factories
from tests.browser.conftest import _named
from tests.browser.helpers import download, nav_link, pdf_text
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture
def rinkeby(unit, case_handler):
    """Rinkeby-Kista with this month's work (3 self-service payslips at 58 kr, 1 manual at 95 kr: a draft of
    269 kr), March 2012's invoice (10 × 58 + 2 × 95 = 770 kr) and a returned case; beside it, in the same
    unit, another agency with its own invoice."""
    today = timezone.localdate()
    factories.price_list_2012(today.year)
    agency = factories.AgencyFactory(
        code="RK", name="Rinkeby-Kista stadsdelsförvaltning", unit=unit, functional_mailbox="hr.rk@stad.example.se"
    )
    contact = _named("agency_contact", "Anna", "Lindqvist")
    factories.AgencyContactAccessFactory(user=contact, agency=agency)
    factories.add_cases(agency, current_period(), self_service=3, manual=1)
    invoice = factories.issued_invoice(agency=agency, period="2012-03")
    case_return = factories.CaseReturnFactory(
        case__agency=agency,
        case__handler=case_handler,
        case__period=current_period(),
        returned_by=case_handler,
        returned_on=today - dt.timedelta(days=2),
        reply_by=today + dt.timedelta(days=5),
    )
    other = factories.issued_invoice(agency=factories.AgencyFactory(code="SP", name="Spånga-Tensta", unit=unit))
    return {"contact": contact, "invoice": invoice, "return": case_return, "other": other}


def test_an_agency_contact_follows_the_month_answers_a_return_and_disputes_a_line(
    browser, live_server, page, login, screenshot, rinkeby, case_handler
):
    invoice, case_return = rinkeby["invoice"], rinkeby["return"]
    login(rinkeby["contact"])
    expect(page.locator(".panel .kpi").first).to_be_visible()

    # This month: the running volumes and the draft, which has no number.
    nav_link(page, "Denna månad").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("RK Rinkeby-Kista")
    expect(page.locator("[data-draft-total]")).to_have_text("269,00\xa0kr")
    screenshot(page, "portal-month")

    # Invoices: open March's and download its PDF.
    nav_link(page, "Fakturor").click()
    page.get_by_role("link", name=invoice.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(invoice.number)
    pdf = download(page, page.get_by_role("link", name="Ladda ned PDF"))
    assert pdf.content.startswith(b"%PDF") and invoice.number in pdf_text(pdf.content)

    # Dispute the manual payslips' line with a reason: it waits for finance's answer.
    page.get_by_role("link", name="Bestrid en rad").click()
    manual = invoice.lines.get(item_code="manual")
    page.get_by_label("Fakturarad").select_option(str(manual.pk))
    page.get_by_label("Vad som är fel").fill("Vi skickade bara en manuell blankett i mars.")
    page.get_by_role("button", name="Skicka invändningen").click()
    disputes = page.locator("table[data-disputes]")
    expect(disputes).to_contain_text("Vi skickade bara en manuell blankett i mars.")
    expect(disputes).to_contain_text("Väntar på svar")
    dispute = InvoiceDispute.objects.get()
    assert dispute.line == manual and dispute.complaint.sender == rinkeby["contact"]

    # Answer the returned case by uploading the completed document.
    nav_link(page, "Returnerade underlag").click()
    row = page.locator("table[data-returns] tr").filter(has_text=case_return.case.reference)
    expect(row).to_contain_text("Väntar på er")
    row.get_by_role("link", name="Svara").click()
    upload = page.locator("input[type=file]")
    upload.set_input_files({"name": "svar.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Skicka det kompletterade underlaget").click()
    expect(page.locator(".messages, .message").first).to_contain_text(case_return.case.reference)
    expect(page.locator("table[data-returns] tr").filter(has_text=case_return.case.reference)).to_contain_text("Inkom")
    case = PayrollCase.objects.get(pk=case_return.case.pk)
    assert case.status != PayrollCase.Status.RETURNED

    # Another agency's invoice, even of the same unit, is not there.
    refused = page.goto(f"/portal/invoices/{rinkeby['other'].pk}/")
    assert refused.status == 404
    assert page.goto(f"/portal/invoices/{rinkeby['other'].pk}/pdf/").status == 404

    # The handler finds the case back in their queue.
    handler = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", base_url=live_server.url)
    try:
        desk = handler.new_page()
        desk.goto("/login/")
        desk.fill("input[name=username]", case_handler.username)
        desk.fill("input[name=password]", TEST_PASSWORD)
        desk.click(".login-form button[type=submit]")
        desk.wait_for_url(f"{live_server.url}/")
        desk.goto("/payroll/")
        expect(desk.locator("main")).to_contain_text(case.reference)
    finally:
        handler.close()
