"""Issue 22: the month's zip of invoice PDFs is built by a background job at the close (or when
first asked for), never in the request; a zip that no longer holds every invoice is built again."""

import io
import zipfile

import pytest
from django.urls import reverse

from invoicing import documents, tasks
from invoicing.models import CloseJob, Invoice, MonthZip
from invoicing.services import close, invoices

pytestmark = pytest.mark.django_db
URL = reverse("invoicing:invoice_zip", args=["2012-03"])


def _names(response) -> list[str]:
    """The PDFs in the zip (the e-invoices beside them are tests/invoicing/test_einvoice's)."""
    return sorted(n for n in zipfile.ZipFile(io.BytesIO(response.content)).namelist() if n.endswith(".pdf"))


@pytest.fixture
def closed_march(month_of_work, eager):
    job = CloseJob.objects.create(period="2012-03", trigger="web")
    tasks.run_close.apply(args=[job.pk])
    return month_of_work


def test_the_close_builds_the_zip_and_the_page_serves_it_without_rendering(closed_march, client, finance, monkeypatch):
    record = MonthZip.objects.get(period="2012-03")
    assert record.state == MonthZip.State.DONE and record.invoice_count == 2
    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: pytest.fail("rendered in the request"))
    client.force_login(finance)
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert _names(response) == sorted(documents.pdf_filename(i) for i in Invoice.objects.filter(period="2012-03"))


def test_a_credit_note_makes_the_zip_be_built_again_with_it(closed_march, client, finance):
    original = Invoice.objects.filter(period="2012-03").first()
    note = invoices.credit_invoice(invoice=original, user=finance, reason="Fel")
    client.force_login(finance)
    response = client.get(URL)  # eager: the worker's job runs at once, and the fresh zip is served
    assert documents.pdf_filename(note) in _names(response)
    assert MonthZip.objects.get(period="2012-03").invoice_count == 3


def test_with_a_worker_the_request_only_queues_the_build_and_the_page_follows_it(
    month_of_work, client, finance, not_eager, monkeypatch
):
    close.close_month(period="2012-03")
    queued = []
    monkeypatch.setattr(tasks.build_month_zip, "delay", lambda period: queued.append(period))
    client.force_login(finance)
    response = client.get(URL)
    assert response.status_code == 200 and queued == ["2012-03"]
    assert "data-poll-url" in response.content.decode()
    assert client.get(URL).status_code == 200 and queued == ["2012-03"]  # queued once, not again
    tasks.build_month_zip("2012-03")  # the worker
    status = client.get(reverse("invoicing:invoice_zip_status", args=["2012-03"])).content.decode()
    assert "data-poll-url" not in status and "Ladda ner zip-filen" in status
    assert client.get(URL)["Content-Type"] == "application/zip"
