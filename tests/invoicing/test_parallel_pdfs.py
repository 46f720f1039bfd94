"""The close's PDFs: one task an invoice after the issuing transaction, each rendered once and stored,
counted on the close page, a failed one shown and rendered again; the invoices never change."""

import datetime as dt
import hashlib
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from invoicing import documents, tasks
from invoicing.models import CloseJob, Invoice, InvoicePdf, MonthZip
from invoicing.services import pdfs


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _invoice_rows():
    return list(Invoice.objects.order_by("pk").values())


@pytest.fixture
def closed(month_of_work, finance):
    job = tasks.start_close(period="2012-03", user=finance)  # inline: no broker in these tests
    assert job.state == CloseJob.State.DONE, job.error
    return job


def test_the_close_stores_one_pdf_per_invoice_and_builds_the_zip_from_them(closed):
    records = list(InvoicePdf.objects.select_related("invoice").order_by("invoice__sequence"))
    assert [(r.invoice.agency_code, r.state, r.attempts) for r in records] == [
        ("FF02", "done", 1),
        ("SDF01", "done", 1),
    ]
    for record in records:
        stored = record.file.read()
        assert hashlib.sha256(stored).hexdigest() == record.sha256
        assert f"Faktura {record.invoice.number}" in _text(stored)
        assert record.file.name.startswith("invoice-pdfs/2012-03/faktura-")
    progress = pdfs.progress(closed)
    assert (progress.total, progress.done, progress.failed, progress.active) == (2, 2, [], False)
    assert MonthZip.objects.get(period="2012-03").state == MonthZip.State.DONE


def test_the_stored_pdf_is_what_is_served(closed, client, finance):
    record = InvoicePdf.objects.select_related("invoice").get(invoice__agency_code="SDF01")
    client.force_login(finance)
    response = client.get(reverse("invoicing:invoice_pdf", args=[record.invoice_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == record.file.read()


def test_a_duplicated_task_or_a_rerun_renders_nothing_again(closed):
    before = {r.pk: (r.file.name, r.sha256) for r in InvoicePdf.objects.all()}
    for pk in before:
        assert tasks.render_invoice_pdf(pk) == "done"  # a second delivery of the task
    tasks.pdfs_after_close(closed)  # the whole step again
    after = {r.pk: (r.file.name, r.sha256, r.attempts) for r in InvoicePdf.objects.all()}
    assert after == {pk: (*before[pk], 1) for pk in before}


def test_a_failed_pdf_is_shown_on_the_close_page_and_rendered_again(month_of_work, finance, client, monkeypatch):
    real = documents.render_invoice_pdf

    def fail_for_ff02(invoice):
        if invoice.agency_code == "FF02":
            raise RuntimeError("font cache unreadable")
        return real(invoice)

    monkeypatch.setattr(documents, "render_invoice_pdf", fail_for_ff02)
    job = tasks.start_close(period="2012-03", user=finance)
    assert job.state == CloseJob.State.DONE and job.invoices_issued == 2  # the invoices are issued all the same
    issued = _invoice_rows()
    failed = InvoicePdf.objects.get(invoice__agency_code="FF02")
    assert (failed.state, failed.error, failed.file.name) == ("failed", "RuntimeError: font cache unreadable", "")
    assert not MonthZip.objects.filter(period="2012-03", state=MonthZip.State.DONE).exists()

    client.force_login(finance)
    page = client.get(reverse("invoicing:close_detail", args=[job.pk])).content.decode()
    assert "1 av 2" in page  # PDFs rendered, in Swedish
    assert failed.invoice.number in page and "font cache unreadable" in page
    assert reverse("invoicing:close_retry_pdfs", args=[job.pk]) in page

    monkeypatch.setattr(documents, "render_invoice_pdf", real)
    response = client.post(reverse("invoicing:close_retry_pdfs", args=[job.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.error) == ("done", 2, "")
    assert f"Faktura {failed.invoice.number}" in _text(failed.file.read())
    assert MonthZip.objects.get(period="2012-03").state == MonthZip.State.DONE
    assert _invoice_rows() == issued  # issued invoices never change
    page = client.get(reverse("invoicing:close_detail", args=[job.pk])).content.decode()
    assert "2 av 2" in page and reverse("invoicing:close_retry_pdfs", args=[job.pk]) not in page


def test_retry_is_refused_to_a_case_handler(closed, client, case_handler):
    client.force_login(case_handler)
    assert client.post(reverse("invoicing:close_retry_pdfs", args=[closed.pk])).status_code == 403


def test_a_rendering_whose_worker_died_is_taken_over(closed):
    record = InvoicePdf.objects.get(invoice__agency_code="SDF01")
    InvoicePdf.objects.filter(pk=record.pk).update(
        state="rendering", claimed_at=timezone.now() - pdfs.STALE_AFTER - dt.timedelta(seconds=1)
    )
    assert pdfs.progress(closed).stalled == 1
    assert tasks.retry_pdfs(closed) == [record.pk]
    record.refresh_from_db()
    assert (record.state, record.attempts) == ("done", 2)
    assert record.sha256 == hashlib.sha256(record.file.read()).hexdigest()


def test_a_rendering_taken_over_meanwhile_leaves_no_file_of_its_own(closed, monkeypatch, settings):
    record = InvoicePdf.objects.get(invoice__agency_code="SDF01")
    InvoicePdf.objects.filter(pk=record.pk).update(state="pending")
    real = documents.render_invoice_pdf
    takeover = timezone.now() + dt.timedelta(minutes=10)

    def slow(invoice):
        # While this worker renders, another claims the row (this one was thought dead).
        InvoicePdf.objects.filter(pk=record.pk).update(claimed_at=takeover)
        return real(invoice)

    monkeypatch.setattr(documents, "render_invoice_pdf", slow)
    row, rendered = pdfs.render(record.pk)
    assert not rendered
    assert (row.state, row.claimed_at, row.file.name) == ("rendering", takeover, record.file.name)
    folder = settings.MEDIA_ROOT / "invoice-pdfs" / "2012-03"
    assert sorted(p.name for p in folder.iterdir()) == sorted(  # the late rendering's file is gone
        r.file.name.rsplit("/", 1)[1] for r in InvoicePdf.objects.all()
    )
