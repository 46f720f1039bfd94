"""Issue 15 item 1 at the close: a payment registered by hand and carried by its payslip line is
invoiced once, an urgent payout no line carries is invoiced from its case, and the invoice's
specification says how many payments came from each source and which cases are behind them."""

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from pypdf import PdfReader

from invoicing import documents
from invoicing.models import CloseJob, Invoice
from invoicing.services import close, invoices
from payroll.models import PayrollCase
from tests import factories

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def closed_march(month_of_work):
    a = month_of_work["a"]
    line = PayrollCase.objects.filter(agency=a, channel="manual").first()
    paper = factories.ManualCaseFactory(agency=a, person=line.person, status=PayrollCase.Status.COMPLETED)
    payout = factories.ManualCaseFactory(agency=a, channel="girovision", status=PayrollCase.Status.COMPLETED)
    job = CloseJob.objects.create(period="2012-03", trigger="test")
    assert close.run_close_job(job.pk).state == CloseJob.State.DONE
    return {"invoice": Invoice.objects.get(agency=a), "paper": paper, "payout": payout}


def test_a_paper_form_carried_by_its_payslip_line_is_invoiced_once_and_an_urgent_payout_from_its_case(closed_march):
    invoice = closed_march["invoice"]
    quantities = {line.item_code: line.quantity for line in invoice.lines.all()}
    assert quantities == {"self_service": 3, "manual": 2, "agresso": 1, "girovision": 1}
    by_item = defaultdict(Decimal)
    for row in invoice.specification["sources"]:
        by_item[row["item_code"]] += Decimal(row["quantity"])
    assert by_item == quantities  # the specification adds up to every line: nothing twice, nothing dropped
    sources = {(row["item_code"], row["source"]): row["quantity"] for row in invoice.specification["sources"]}
    assert sources[("manual", "payslip_file")] == "2"
    assert sources[("girovision", "registered_case")] == "1"
    cases = {case["case_id"]: case["channel"] for case in invoice.specification["cases"]}
    assert cases == {closed_march["paper"].pk: "manual", closed_march["payout"].pk: "girovision"}


def test_the_pdf_and_the_page_show_the_specification(closed_march, client, finance):
    invoice = closed_march["invoice"]
    text = pdf_text(documents.invoice_pdf(invoice))
    assert "Specifikation" in text
    assert "lönefilen" in text
    assert closed_march["paper"].reference in text and closed_march["payout"].reference in text
    client.force_login(finance)
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert closed_march["payout"].reference in page


def test_a_credit_note_carries_the_specification_negated(closed_march, finance):
    note = invoices.credit_invoice(invoice=closed_march["invoice"], user=finance, reason="Fel")
    assert {row["quantity"] for row in note.specification["sources"]} == {"-3", "-2", "-1"}
    assert note.specification["cases"] == closed_march["invoice"].specification["cases"]
