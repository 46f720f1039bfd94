"""Journey 3 (finance): the monthly close, the invoice list, the month's documents and a credit note."""

import csv
import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from invoicing.models import CloseJob, Invoice
from tests import factories
from tests.browser.helpers import download, nav_link, pdf_text, render_pdf_page, serialize_polling

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def march_of_work(unit, other_unit):
    """Two agencies with March 2012 payslips: 3·58 + 2·95 + 145 = 509 kr and 4·58 + 395 = 627 kr."""
    factories.price_list_2012()
    one = factories.AgencyFactory(
        code="SDF01", name="Stadsdelsförvaltning Ett", unit=unit, billing_reference="REF-1001"
    )
    two = factories.AgencyFactory(
        code="FF02", name="Fackförvaltning Två", unit=other_unit, billing_reference="REF-2002"
    )
    factories.add_cases(one, "2012-03", self_service=3, manual=2, agresso=1)
    factories.add_cases(two, "2012-03", lisa_tid=4, girovision=1)
    return {"one": one, "two": two}


@pytest.fixture
def held_queue(monkeypatch):
    """The task queue holds the close job until the test plays the worker, so the page is seen polling.

    The worker's part is the real task body (``run_close_job``); the Redis → worker path itself is
    tested in tests/invoicing/test_concurrency.py.
    """
    from invoicing import tasks

    queued = []
    monkeypatch.setattr(tasks.run_close, "delay", lambda job_id: queued.append(job_id))
    return queued


def test_finance_closes_the_month_and_sends_the_invoices(
    page, login, screenshot, narrow, finance, march_of_work, held_queue
):
    from invoicing.services import close

    serialize_polling(page)
    login(finance)
    # Finance starts on what is waiting: the month to close; nothing has been invoiced yet.
    waiting = page.locator(".panel .kpi").filter(has_text="Månad som väntar på bokslut")
    expect(waiting).to_contain_text("2012-03")
    nav_link(page, "Fakturor").click()
    expect(page.get_by_role("heading", name="Fakturor", exact=True)).to_be_visible()
    expect(page.locator("table.table")).to_contain_text("Inga fakturor")

    nav_link(page, "Månadsbokslut").click()
    expect(page.get_by_role("heading", name="Stäng en månad")).to_be_visible()
    page.get_by_label("Period").fill("2012-03")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Kör månadsbokslutet").click()

    # The job is queued: its page says so and polls for news.
    status = page.locator(".close-status")
    expect(page.get_by_role("heading", name="Månadsbokslut 2012-03")).to_be_visible()
    expect(status).to_contain_text("I kö")
    expect(status).to_contain_text("Sidan uppdateras av sig själv")
    assert dialogs and "kan inte ändras" in dialogs[0]
    assert len(held_queue) == 1
    job = CloseJob.objects.get(pk=held_queue[0])
    assert job.state == CloseJob.State.QUEUED and job.started_by == finance

    # A worker takes the job: the page shows it running, then done, without a reload.
    real_close_month = close.close_month

    def close_month_while_watched(**kwargs):
        expect(status).to_contain_text("Pågår", timeout=10_000)
        screenshot(page, "finance-close-running")
        return real_close_month(**kwargs)

    close.close_month = close_month_while_watched
    try:
        close.run_close_job(job.pk)
    finally:
        close.close_month = real_close_month
    expect(status).to_contain_text("Klar", timeout=10_000)
    expect(status).to_contain_text("2 av 2")
    expect(status).to_contain_text("2 fakturor utfärdade")
    assert page.url.endswith(f"/invoicing/close/{job.pk}/")  # the same page, updated in place
    screenshot(page, "finance-close-done")

    # The month's invoices, one per agency, with the right totals.
    status.get_by_role("link", name="Månadens fakturor").click()
    expect(page.get_by_role("heading", name="Fakturor", exact=True)).to_be_visible()
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(2)
    one = Invoice.objects.get(agency=march_of_work["one"])
    two = Invoice.objects.get(agency=march_of_work["two"])
    expect(rows.filter(has_text=one.number)).to_contain_text("509,00")
    expect(rows.filter(has_text=two.number)).to_contain_text("627,00")
    expect(rows.filter(has_text=one.number)).to_contain_text("Stadsdelsförvaltning Ett")
    screenshot(page, "finance-invoice-list")
    with narrow():
        screenshot(page, "finance-invoice-list-narrow")

    # One invoice's PDF, as the agency will read it.
    pdf = download(page, rows.filter(has_text=one.number).get_by_role("link", name="PDF"))
    assert pdf.suggested_filename == f"faktura-{one.number}-SDF01.pdf"
    text = pdf_text(pdf.content)
    for expected in (f"Faktura {one.number}", "Stadsdelsförvaltning Ett", "REF-1001", "2012-03", "509,00"):
        assert expected in text, (expected, text)
    # The line, its coding under the name, then base + surcharge.
    assert re.search(r"Manuell rapportering\s.*?2 lönespec 95,00 kr 58,00 kr \+ 37,00 kr 190,00 kr", text, re.S), text
    assert "Att betala 509,00 kr" in text
    render_pdf_page(pdf.content, screenshot, "finance-invoice-pdf")

    # The month's zip of all PDFs and the Agresso file.
    archive = download(page, page.get_by_role("link", name="Alla PDF:er för 2012-03 (zip)"))
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        names = sorted(zipped.namelist())
        assert names == sorted(
            [
                f"faktura-{one.number}-SDF01.pdf",
                f"faktura-{two.number}-FF02.pdf",
                f"e-faktura/{one.number}.xml",
                f"e-faktura/{two.number}.xml",
            ]
        )
        assert "627,00" in pdf_text(zipped.read(f"faktura-{two.number}-FF02.pdf"))
        assert b'<cbc:PayableAmount currencyID="SEK">627.00<' in zipped.read(f"e-faktura/{two.number}.xml")
    erp = download(page, page.get_by_role("link", name="Agresso-fil för 2012-03"))
    erp_rows = list(csv.DictReader(io.StringIO(erp.content.decode("utf-8-sig"))))
    assert {row["invoice_number"] for row in erp_rows} == {one.number, two.number}
    assert sum(float(row["amount"]) for row in erp_rows if row["invoice_number"] == one.number) == 509
    agresso_line = next(row for row in erp_rows if row["item_code"] == "agresso")
    assert (agresso_line["customer_reference"], agresso_line["unit_price"]) == ("REF-1001", "145.00")

    # The month's reconciliation: invoices = e-invoices = SIE vouchers = Agresso file.
    page.get_by_role("link", name="Avstämning 2012-03").click()
    expect(page.get_by_role("heading", name="Avstämning 2012-03").first).to_be_visible()
    expect(page.get_by_text("Avstämd på öret")).to_be_visible()
    page.go_back()

    # A credit note for the first invoice, with a reason.
    rows.filter(has_text=one.number).get_by_role("link", name=one.number).click()
    expect(page.get_by_role("heading", name=f"Faktura {one.number}")).to_be_visible()
    expect(page.locator("table.table").first.locator("tbody tr")).to_have_count(3)  # then the specification
    screenshot(page, "finance-invoice-detail")
    page.get_by_role("link", name="Kreditera").click()
    page.get_by_role("button", name="Utfärda kreditfaktura").click()
    # The reason is required: the browser keeps the form and points at the empty field.
    reason = page.get_by_label("Orsak")
    assert reason.evaluate("el => el.validity.valueMissing")
    expect(page.get_by_role("heading", name=f"Kreditera faktura {one.number}")).to_be_visible()
    assert not Invoice.objects.filter(credited_invoice=one).exists()
    reason.fill("Fel kanal registrerad")
    expect(page.get_by_label("Utfärda en ny faktura för månaden direkt")).to_be_checked()
    page.get_by_role("button", name="Utfärda kreditfaktura").click()

    # The credit note and a new invoice for the month are issued; the new invoice is shown.
    messages = page.get_by_role("status")
    expect(messages).to_have_count(2)
    note = Invoice.objects.get(credited_invoice=one)
    new = Invoice.objects.get(agency=one.agency, period="2012-03", revision=2)
    expect(messages.first).to_have_text(f"Kreditfaktura {note.number} utfärdad.")
    expect(messages.last).to_have_text(f"Ny faktura {new.number} utfärdad, prissatt med prislista 2012 v1.")
    expect(page.get_by_role("heading", name=f"Faktura {new.number}")).to_be_visible()
    expect(page.locator(".facts").last.locator("dt", has_text="Orsak").locator("+ dd")).to_have_text(
        f"Ersätter {one.number}; prissatt med prislista 2012 v1"
    )
    assert note.total == -one.total and new.total == one.total

    # The list shows the original as credited, the credit note as negative.
    nav_link(page, "Fakturor").click()
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text=one.number)).to_contain_text("Krediterad")
    expect(rows.filter(has_text=note.number)).to_contain_text("-509,00")
    rows.filter(has_text=note.number).get_by_role("link", name=note.number).click()
    expect(page.get_by_role("heading", name=f"Kreditfaktura {note.number}")).to_be_visible()
    expect(page.locator(".facts").last.locator("dt", has_text="Krediterar").locator("+ dd")).to_have_text(one.number)
    note_pdf = pdf_text(download(page, page.get_by_role("link", name="Ladda ned PDF")).content)
    for expected in (f"Kreditfaktura {note.number}", one.number, "Fel kanal registrerad", "-509,00 kr"):
        assert expected in note_pdf, (expected, note_pdf)
