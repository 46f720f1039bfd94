"""The monthly close's jobs, months in order and the month's zip, pinned rule by rule by mutation testing
(`make mutation`, module "invoicing", bench/mutation.md): each test fails when the rule it is named for breaks."""

import datetime as dt
import io
import logging
import zipfile
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, connections
from django.utils import timezone, translation

from core import billing
from core.models import ClosedPeriod
from core.periods import current_period
from customers.models import Agency
from invoicing import documents, peppol
from invoicing.models import CloseJob, Invoice, MonthZip
from invoicing.services import close, close_order, invoices, month_zip
from tests import factories

pytestmark = pytest.mark.django_db


def _ago(**delta):
    return timezone.now() - dt.timedelta(**delta)


def _running(period, *, silent_for=0):
    job = CloseJob.objects.create(period=period)
    CloseJob.objects.filter(pk=job.pk).update(
        state=CloseJob.State.RUNNING, started_at=_ago(seconds=silent_for), heartbeat_at=_ago(seconds=silent_for)
    )
    job.refresh_from_db()
    return job


def _failed_month(broken):
    """Make the close of the month ``broken`` fail (its month's work cannot be read)."""
    from invoicing.services import month

    real = month.month_work

    def failing(*, period, agency_ids=None):
        if period == broken:
            raise RuntimeError("disk full")
        return real(period=period, agency_ids=agency_ids)

    return failing


@pytest.fixture
def three_months(month_of_work):
    """Work in January, nothing in February, March's work from month_of_work."""
    factories.add_cases(month_of_work["a"], "2012-01", self_service=2)
    return month_of_work


# --- one month's close job ---------------------------------------------------------------------


def test_a_month_not_ended_is_refused_and_says_so(db):
    period = current_period()
    with translation.override("en"), pytest.raises(close.CloseError) as refused:
        close.create_close_job(period=period)
    assert str(refused.value) == f"{period} has not ended yet: a month is closed after it ends."


def test_a_close_job_records_who_started_it_and_from_where(month_of_work, finance):
    assert close.create_close_job(period="2012-03", user=finance).trigger == "web"
    CloseJob.objects.all().delete()
    job = close.create_close_job(period="2012-03", user=finance, trigger="schedule")
    assert (job.started_by, job.trigger, job.state) == (finance, "schedule", CloseJob.State.QUEUED)


def test_a_months_job_that_no_worker_started_no_longer_blocks_its_close(month_of_work, settings):
    settings.JOB_QUEUED_MAX_SECONDS = 600
    lost = CloseJob.objects.create(period="2012-03")
    other_month = CloseJob.objects.create(period="2012-02")
    CloseJob.objects.filter(pk__in=[lost.pk, other_month.pk]).update(created_at=_ago(seconds=601))
    new = close.create_close_job(period="2012-03")
    lost.refresh_from_db()
    other_month.refresh_from_db()
    assert new.state == CloseJob.State.QUEUED and lost.state == CloseJob.State.FAILED
    assert other_month.state == CloseJob.State.QUEUED  # only the month asked for is checked


@contextmanager
def _month_lock_held_by_a_worker(period):
    """On PostgreSQL a live worker holds the month's advisory lock (another session); off it nothing to hold."""
    if connection.vendor != "postgresql":
        yield
        return
    worker = connections.create_connection("default")
    try:
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [billing.LOCK_CLASS, billing.month_lock_key(period)])
        yield
    finally:
        worker.close()


def test_a_running_close_with_a_live_worker_holds_its_month(month_of_work):
    running = _running("2012-03")
    with _month_lock_held_by_a_worker("2012-03"), pytest.raises(close.CloseError, match="redan i kö eller pågår"):
        close.create_close_job(period="2012-03")
    running.refresh_from_db()
    assert running.state == CloseJob.State.RUNNING and not running.error


def test_a_running_close_whose_worker_lost_the_months_lock_is_failed_when_the_month_is_asked_for(
    month_of_work, monkeypatch
):
    asked = []
    monkeypatch.setattr(close, "_month_lock_held", lambda period: asked.append(period) or period != "2012-03")
    earlier = CloseJob.objects.create(period="2012-03", state=CloseJob.State.FAILED, error="Tidigare fel")
    dead = _running("2012-03")
    other_month = _running("2012-02")
    new = close.create_close_job(period="2012-03")
    dead.refresh_from_db()
    other_month.refresh_from_db()
    earlier.refresh_from_db()
    assert asked == ["2012-03"]
    assert dead.state == CloseJob.State.FAILED and dead.finished_at
    assert dead.error == "Körningen avbröts innan bokslutet var klart; ingenting fakturerades."
    assert other_month.state == CloseJob.State.RUNNING and earlier.error == "Tidigare fel"
    assert new.state == CloseJob.State.QUEUED


def test_beats_check_fails_a_close_no_worker_started(month_of_work, settings):
    settings.JOB_QUEUED_MAX_SECONDS = 600
    lost = CloseJob.objects.create(period="2012-03")
    CloseJob.objects.filter(pk=lost.pk).update(created_at=_ago(seconds=601))
    assert [job.pk for job in close.fail_stuck_closes()] == [lost.pk]
    assert CloseJob.objects.get(pk=lost.pk).state == CloseJob.State.FAILED


def test_an_administrator_marks_an_active_close_failed_and_a_finished_one_is_left_alone(
    month_of_work, administrator, caplog
):
    older = CloseJob.objects.create(period="2012-02")
    newer = CloseJob.objects.create(period="2012-03")
    with caplog.at_level(logging.WARNING, logger="invoicing.services.close"):
        assert close.fail_close_job(older, user=administrator) is True
    older.refresh_from_db()
    newer.refresh_from_db()
    marked = f"Markerad som misslyckad av {administrator.username}."
    assert older.state == CloseJob.State.FAILED and older.error == marked
    assert newer.state == CloseJob.State.QUEUED
    (record,) = [r for r in caplog.records if r.name == "invoicing.services.close"]
    assert record.getMessage() == f"close job {older.pk} marked failed by user {administrator.pk}"
    assert record.job_id == older.pk
    assert close.fail_close_job(older, user=administrator) is False
    assert CloseJob.objects.get(pk=older.pk).error == marked


# --- agencies the close held -------------------------------------------------------------------


def test_the_agencies_the_close_held_are_listed_with_why_and_the_invoiced_ones_are_not(month_of_work):
    held = factories.AgencyFactory(code="HELD", unit=month_of_work["a"].unit)
    factories.add_cases(held, "2012-03", manual=1)
    factories.AddonHoursFactory(agreement__agency=held, agreement__item_code="no_such_item", hours=Decimal("0.25"))
    assert close.held_agencies(period="2012-03") == []  # not closed yet
    close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    (only,) = close.held_agencies(period="2012-03")
    assert only.agency == held and "no_such_item" in only.reason
    assert str(only) == f"HELD: {only.reason}"
    assert Invoice.objects.filter(period="2012-03").count() == 2


# --- months in order ---------------------------------------------------------------------------


def test_consecutive_months_are_described_as_a_range():
    months = ["2012-01", "2012-02", "2012-03", "2012-05", "2012-07", "2012-08"]
    assert close_order.describe_months(months) == "2012-01 – 2012-03, 2012-05, 2012-07 – 2012-08"


def test_jobs_in_order_record_who_started_them_and_from_where(three_months, finance):
    jobs = close.create_close_jobs_in_order(up_to="2012-03", user=finance, trigger="schedule")
    assert [(j.period, j.started_by, j.trigger) for j in jobs] == [
        ("2012-01", finance, "schedule"),
        ("2012-02", finance, "schedule"),
        ("2012-03", finance, "schedule"),
    ]
    CloseJob.objects.all().delete()
    assert {j.trigger for j in close.create_close_jobs_in_order(up_to="2012-03")} == {"web"}


def test_jobs_in_order_are_refused_for_a_closed_month_and_say_so(three_months):
    ClosedPeriod.objects.create(period="2012-03")
    with translation.override("en"), pytest.raises(close.CloseError) as refused:
        close.create_close_jobs_in_order(up_to="2012-03")
    assert str(refused.value) == "2012-03 is already closed; its invoices have been issued."
    assert not CloseJob.objects.exists()


def test_jobs_in_order_are_refused_while_one_of_the_months_is_queued_and_say_so(three_months):
    CloseJob.objects.create(period="2012-02")
    with translation.override("en"), pytest.raises(close.CloseError) as refused:
        close.create_close_jobs_in_order(up_to="2012-03")
    assert str(refused.value) == "A close of one of these months is already queued or running."
    assert CloseJob.objects.count() == 1


def test_a_stale_job_of_an_earlier_month_does_not_block_the_months_in_order(three_months, settings):
    settings.JOB_QUEUED_MAX_SECONDS = 600
    lost = CloseJob.objects.create(period="2012-02")
    CloseJob.objects.filter(pk=lost.pk).update(created_at=_ago(seconds=601))
    jobs = close.create_close_jobs_in_order(up_to="2012-03")
    assert [j.period for j in jobs] == ["2012-01", "2012-02", "2012-03"]
    assert CloseJob.objects.get(pk=lost.pk).state == CloseJob.State.FAILED


def test_closing_in_order_records_the_demo_the_user_and_the_invoice_date(three_months, finance):
    jobs = close.close_months_in_order(up_to="2012-03", user=finance, invoice_date=dt.date(2012, 4, 11))
    assert [(j.trigger, j.started_by) for j in jobs] == [("demo", finance)] * 3
    assert set(Invoice.objects.values_list("invoice_date", flat=True)) == {dt.date(2012, 4, 11)}
    ClosedPeriod.objects.create(period="2012-04")
    factories.add_cases(three_months["a"], "2012-05", manual=1)
    later = close.close_months_in_order(up_to="2012-06", trigger="command")
    assert [(j.period, j.trigger) for j in later] == [("2012-05", "command"), ("2012-06", "command")]


def test_a_month_closed_out_of_order_still_has_its_earlier_months_closed_in_order(three_months):
    ClosedPeriod.objects.create(period="2012-04")  # closed before months had to close in order
    jobs = close.close_months_in_order(up_to="2012-04")
    assert [j.period for j in jobs] == ["2012-01", "2012-02", "2012-03"]
    assert sorted(ClosedPeriod.objects.values_list("period", flat=True)) == [
        "2012-01",
        "2012-02",
        "2012-03",
        "2012-04",
    ]


def test_a_failed_month_in_order_says_which_month_failed_and_why(three_months, monkeypatch):
    monkeypatch.setattr("invoicing.services.month.month_work", _failed_month("2012-01"))
    with translation.override("en"), pytest.raises(close.CloseError) as refused:
        close.close_months_in_order(up_to="2012-03")
    assert str(refused.value) == "The close of 2012-01 failed: RuntimeError: disk full"
    for period in ("2012-02", "2012-03"):  # every later month, not run, in the site's language
        job = CloseJob.objects.get(period=period)
        assert job.state == CloseJob.State.FAILED
        assert job.error == "Kördes inte: bokslutet för 2012-01 före den misslyckades."


def test_a_later_month_that_already_ended_keeps_its_own_outcome(three_months, monkeypatch, administrator):
    jobs = close.create_close_jobs_in_order(up_to="2012-03")
    assert close.fail_close_job(jobs[1], user=administrator)
    monkeypatch.setattr("invoicing.services.month.month_work", _failed_month("2012-01"))
    done = close.run_close_jobs_in_order([job.pk for job in jobs])
    assert [j.state for j in done] == [CloseJob.State.FAILED] * 3
    assert done[1].error == f"Markerad som misslyckad av {administrator.username}."
    assert done[2].error == "Kördes inte: bokslutet för 2012-01 före den misslyckades."


# --- the month's zip ---------------------------------------------------------------------------


@pytest.fixture
def march_invoiced(month_of_work):
    close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    return month_of_work


def _zip(record):
    record.file.open("rb")
    try:
        return zipfile.ZipFile(io.BytesIO(record.file.read()))
    finally:
        record.file.close()


def _built(period="2012-03"):
    month_zip.request_build(period)
    return month_zip.build(period)


def test_the_zip_holds_the_months_documents_in_number_order_each_rendered_once(march_invoiced, finance, monkeypatch):
    first = Invoice.objects.filter(period="2012-03").order_by("sequence").first()
    invoices.credit_invoice(invoice=first, user=finance, reason="Fel", credit_date=dt.date(2013, 1, 2))
    factories.add_cases(march_invoiced["a"], "2012-04", manual=1)
    close.close_month(period="2012-04", invoice_date=dt.date(2012, 5, 10))
    rendered = []
    real = documents.invoice_pdf
    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: rendered.append(invoice.number) or real(invoice))
    archive = _zip(_built())
    march = Invoice.objects.filter(period="2012-03").order_by("series_year", "sequence")
    assert [n for n in archive.namelist() if n.endswith(".pdf")] == [documents.pdf_filename(i) for i in march]
    assert [i.number for i in march] == ["2012-00001", "2012-00002", "2013-00001"]
    assert sorted(rendered) == sorted(i.number for i in march)  # once each, the e-invoice embeds the same PDF
    assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}


def test_an_invoice_that_cannot_be_an_einvoice_is_listed_in_the_zip_with_why(month_of_work):
    Agency.objects.filter(pk=month_of_work["b"].pk).update(organisation_number="")
    close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    without = Invoice.objects.get(agency=month_of_work["b"])
    with pytest.raises(peppol.EInvoiceError) as why:
        peppol.einvoice_xml(without)
    record = _built()
    assert record.state == MonthZip.State.DONE
    archive = _zip(record)
    assert archive.read("e-faktura/saknas.txt").decode() == f"{without.number}: {why.value}\n"
    with_einvoice = Invoice.objects.get(agency=month_of_work["a"])
    assert f"e-faktura/{with_einvoice.number}.xml" in archive.namelist()


def test_a_zip_built_again_replaces_its_old_file(march_invoiced, finance):
    first = _built()
    old_name = first.file.name
    invoices.credit_invoice(invoice=Invoice.objects.first(), user=finance, reason="Fel")
    again = _built()
    assert again.file.name != old_name and not again.file.storage.exists(old_name)
    assert again.file.storage.exists(again.file.name)


def test_an_invoice_issued_while_the_zip_is_built_waits_for_the_next_build(march_invoiced, finance, monkeypatch):
    real = month_zip._contents

    def counted_then_credited(period):
        found = real(period)
        invoices.credit_invoice(invoice=Invoice.objects.first(), user=finance, reason="Fel")
        monkeypatch.setattr(month_zip, "_contents", real)
        return found

    month_zip.request_build("2012-03")
    monkeypatch.setattr(month_zip, "_contents", counted_then_credited)
    record = month_zip.build("2012-03")
    assert len([n for n in _zip(record).namelist() if n.endswith(".pdf")]) == record.invoice_count == 2
    assert month_zip.current_zip("2012-03") is None
    assert month_zip.request_build("2012-03")[1] is True


def test_a_failed_build_is_recorded_with_its_error_and_a_later_build_clears_it(march_invoiced, monkeypatch, caplog):
    def broken(invoice):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(documents, "invoice_pdf", broken)
    month_zip.request_build("2012-03")
    with caplog.at_level(logging.ERROR, logger="invoicing.services.month_zip"):
        failed = month_zip.build("2012-03")
    assert (failed.state, failed.error) == (MonthZip.State.FAILED, "RuntimeError: printer on fire")
    assert MonthZip.objects.get(pk=failed.pk).state == MonthZip.State.FAILED
    (record,) = [r for r in caplog.records if r.name == "invoicing.services.month_zip"]
    assert record.getMessage() == "building the invoice zip of 2012-03 failed" and record.exc_info
    monkeypatch.undo()
    queued, to_queue = month_zip.request_build("2012-03")
    assert to_queue and (queued.state, queued.error) == (MonthZip.State.QUEUED, "")
    built = month_zip.build("2012-03")
    assert (built.state, built.error) == (MonthZip.State.DONE, "")


def test_building_a_months_zip_claims_only_that_months_queued_build(march_invoiced):
    MonthZip.objects.create(period="2012-04")
    month_zip.request_build("2012-03")
    month_zip.build("2012-03")
    assert MonthZip.objects.get(period="2012-04").state == MonthZip.State.QUEUED


def test_a_second_delivery_of_the_build_renders_nothing(march_invoiced, monkeypatch):
    built = _built()
    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: pytest.fail("rendered again"))
    again = month_zip.build("2012-03")
    assert (again.state, again.built_at, again.file.name) == (MonthZip.State.DONE, built.built_at, built.file.name)


def test_the_current_zip_is_the_built_one_while_it_holds_every_invoice(march_invoiced, finance):
    assert month_zip.current_zip("2012-03") is None
    built = _built()
    assert month_zip.current_zip("2012-03") == built and month_zip.current_zip("2012-04") is None
    invoices.credit_invoice(invoice=Invoice.objects.first(), user=finance, reason="Fel")
    assert month_zip.current_zip("2012-03") is None


def test_a_zip_is_current_only_when_built_and_stored(march_invoiced):
    built = _built()
    assert month_zip.is_current(built)
    MonthZip.objects.filter(pk=built.pk).update(state=MonthZip.State.RUNNING)
    assert not month_zip.is_current(MonthZip.objects.get(pk=built.pk))
    MonthZip.objects.filter(pk=built.pk).update(state=MonthZip.State.DONE, file="")
    assert not month_zip.is_current(MonthZip.objects.get(pk=built.pk))


def test_a_current_zip_is_not_built_again(march_invoiced):
    built = _built()
    record, to_queue = month_zip.request_build("2012-03")
    assert (record.pk, to_queue, record.state) == (built.pk, False, MonthZip.State.DONE)
    assert MonthZip.objects.get(pk=built.pk).state == MonthZip.State.DONE


def test_a_build_queued_is_not_queued_again_until_it_is_stale(march_invoiced, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(month_zip.timezone, "now", lambda: now)
    record, to_queue = month_zip.request_build("2012-03")
    assert to_queue and record.requested_at == now
    assert month_zip.request_build("2012-03")[1] is False
    MonthZip.objects.filter(pk=record.pk).update(requested_at=now - dt.timedelta(minutes=29, seconds=59))
    assert month_zip.request_build("2012-03")[1] is False
    MonthZip.objects.filter(pk=record.pk).update(requested_at=now - dt.timedelta(minutes=30))
    assert month_zip.request_build("2012-03")[1] is True  # 30 minutes: taken to have died with its worker


def test_a_zip_record_made_by_another_request_at_the_same_moment_is_used(march_invoiced, monkeypatch):
    MonthZip.objects.create(period="2012-03", state=MonthZip.State.FAILED)  # the other request's, committed

    def made_by_the_other_request(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(MonthZip.objects, "get_or_create", made_by_the_other_request)
    record, to_queue = month_zip.request_build("2012-03")
    assert (record.period, to_queue) == ("2012-03", True)
    assert MonthZip.objects.get(period="2012-03").state == MonthZip.State.QUEUED


# --- a close job's run and its outcome ---------------------------------------------------------


def _held_agency(month_of_work):
    held = factories.AgencyFactory(code="HELD", unit=month_of_work["a"].unit)
    factories.add_cases(held, "2012-03", manual=1)
    factories.AddonHoursFactory(agreement__agency=held, agreement__item_code="no_such_item", hours=Decimal("0.25"))
    return held


def test_a_close_job_issues_as_the_user_who_started_it_on_the_date_asked_for(month_of_work, finance):
    job = CloseJob.objects.create(period="2012-03", started_by=finance)
    done = close.run_close_job(job.pk, invoice_date=dt.date(2012, 4, 12))
    assert (done.state, done.error, done.message) == (
        CloseJob.State.DONE,
        "",
        "2 fakturor utfärdade; 2012-03 är stängd.",
    )
    issued = Invoice.objects.filter(close_job=job)
    assert {(i.issued_by, i.invoice_date) for i in issued} == {(finance, dt.date(2012, 4, 12))}
    assert CloseJob.objects.get(pk=job.pk).heartbeat_at  # its last sign of life stays on the finished job


def test_a_close_job_is_running_while_it_closes(month_of_work, monkeypatch):
    seen = []
    real = close.close_month

    def watched(**kwargs):
        seen.append(CloseJob.objects.get(pk=kwargs["job"].pk).state)
        return real(**kwargs)

    monkeypatch.setattr(close, "close_month", watched)
    job = CloseJob.objects.create(period="2012-03")
    assert close.run_close_job(job.pk).state == CloseJob.State.DONE
    assert seen == [CloseJob.State.RUNNING]


def test_a_failed_close_job_records_the_error_and_no_progress(month_of_work, monkeypatch, caplog):
    monkeypatch.setattr("invoicing.services.month.month_work", _failed_month("2012-03"))
    job = CloseJob.objects.create(period="2012-03")
    with caplog.at_level(logging.ERROR, logger="invoicing.services.close"):
        failed = close.run_close_job(job.pk)
    stored = CloseJob.objects.get(pk=job.pk)
    assert (stored.state, stored.error, stored.message) == (CloseJob.State.FAILED, "RuntimeError: disk full", "")
    assert stored.agencies_done == 0 and failed.finished_at and stored.heartbeat_at
    (record,) = [r for r in caplog.records if r.name == "invoicing.services.close"]
    assert record.getMessage() == "monthly close 2012-03 failed" and record.exc_info


def test_the_close_job_names_the_agencies_it_held(month_of_work):
    held = _held_agency(month_of_work)
    job = close.run_close_job(CloseJob.objects.create(period="2012-03").pk)
    (why,) = close.held_agencies(period="2012-03")
    assert why.agency == held
    assert job.message == (
        f"2 fakturor utfärdade; 2012-03 är stängd. 1 förvaltning hölls inne och fakturerades inte: HELD: {why.reason}."
    )


def test_a_close_that_held_every_agency_says_there_was_nothing_to_invoice(unit):
    factories.price_list_2012()
    first = factories.AgencyFactory(code="HELD1", unit=unit)
    second = factories.AgencyFactory(code="HELD2", unit=unit)
    for agency in (first, second):
        factories.add_cases(agency, "2012-03", manual=1)
        factories.AddonHoursFactory(
            agreement__agency=agency, agreement__item_code="no_such_item", hours=Decimal("0.25")
        )
    job = close.run_close_job(CloseJob.objects.create(period="2012-03").pk)
    reasons = "; ".join(str(h) for h in close.held_agencies(period="2012-03"))
    assert reasons.startswith("HELD1: ") and "; HELD2: " in reasons
    assert (job.invoices_issued, job.agencies_total) == (0, 2)
    assert (
        job.message
        == f"Inget att fakturera; 2012-03 är stängd. 2 förvaltningar hölls inne och fakturerades inte: {reasons}."
    )


def _close_watching_progress(monkeypatch):
    """Close 2012-03, noting the job's progress (agencies done, of all) before each invoice is issued."""
    seen = []
    real = invoices.issue_invoice

    def watched(**kwargs):
        seen.append(CloseJob.objects.values_list("agencies_done", "agencies_total").get(pk=kwargs["close_job"].pk))
        return real(**kwargs)

    monkeypatch.setattr(invoices, "issue_invoice", watched)
    return close.run_close_job(CloseJob.objects.create(period="2012-03").pk), seen


@pytest.mark.django_db(transaction=True)  # on PostgreSQL the progress is written on a second connection
def test_the_close_records_its_progress_as_it_issues(month_of_work, monkeypatch):
    job, seen = _close_watching_progress(monkeypatch)
    assert seen == [(0, 2), (1, 2)]
    assert (job.agencies_done, job.agencies_total) == (2, 2)


@pytest.mark.parametrize(
    ("today", "dated"),
    [
        (dt.date(2012, 4, 20), dt.date(2012, 4, 20)),  # closed in time: today
        (dt.date(2012, 6, 11), dt.date(2012, 6, 11)),  # 62 days after the close day: still today
        (dt.date(2012, 6, 12), dt.date(2012, 4, 10)),  # later: the close day of the month after
    ],
)
def test_a_close_is_dated_today_unless_run_long_after_the_close_day(db, monkeypatch, today, dated):
    monkeypatch.setattr(close.timezone, "localdate", lambda: today)
    assert close.invoice_date_for("2012-03") == dated


def _two_held_agencies(month_of_work):
    held = []
    for code in ("HELD1", "HELD2"):
        agency = factories.AgencyFactory(code=code, unit=month_of_work["a"].unit)
        factories.add_cases(agency, "2012-03", manual=1)
        factories.AddonHoursFactory(
            agreement__agency=agency, agreement__item_code="no_such_item", hours=Decimal("0.25")
        )
        held.append(agency)
    return held


def test_a_close_job_on_an_english_site_counts_its_invoices_and_held_agencies_in_the_plural(month_of_work, settings):
    _two_held_agencies(month_of_work)
    settings.LANGUAGE_CODE = "en"
    job = close.run_close_job(CloseJob.objects.create(period="2012-03").pk)
    with translation.override("en"):
        reasons = "; ".join(str(h) for h in close.held_agencies(period="2012-03"))
    assert reasons.startswith("HELD1: ") and "; HELD2: " in reasons
    assert job.message == (f"2 invoices issued; 2012-03 is closed. 2 agencies were held and not invoiced: {reasons}.")


def test_a_close_job_of_a_month_already_closed_says_nothing_new_was_issued(month_of_work):
    close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    job = close.run_close_job(CloseJob.objects.create(period="2012-03").pk)
    assert (job.state, job.invoices_issued) == (CloseJob.State.DONE, 0)
    assert job.message == "2012-03 var redan stängd eller hade inget att fakturera; inget nytt utfärdades."


def test_a_finished_close_tells_the_webhooks_its_month_and_how_many_invoices_it_issued(month_of_work, monkeypatch):
    sent = []
    monkeypatch.setattr(close.webhooks, "emit", lambda event, data, **kw: sent.append((event, data, kw)))
    job = close.run_close_job(CloseJob.objects.create(period="2012-03").pk)
    assert [s for s in sent if s[0] != "invoice.issued"] == [
        (
            "close.done",
            {"id": job.pk, "period": "2012-03", "invoices_issued": 2},
            {"permission": "invoicing.view_invoice"},
        )
    ]


def test_the_close_returns_the_invoices_it_issued(month_of_work):
    issued = close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    assert sorted(invoice.pk for invoice in issued) == sorted(
        Invoice.objects.filter(period="2012-03").values_list("pk", flat=True)
    )
    assert {invoice.agency for invoice in issued} == {month_of_work["a"], month_of_work["b"]}


def test_an_invoice_the_close_issues_records_no_reason(month_of_work):
    close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    assert list(Invoice.objects.filter(period="2012-03").values_list("reason", flat=True)) == ["", ""]


def test_the_close_holds_its_months_lock_while_it_issues(month_of_work, monkeypatch):
    seen = []
    real = invoices.issue_invoice

    def watched(**kwargs):
        seen.append((close._month_lock_held("2012-03"), close._month_lock_held("2012-04")))
        return real(**kwargs)

    monkeypatch.setattr(invoices, "issue_invoice", watched)
    close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    # PostgreSQL: the month's advisory lock, and no other month's; elsewhere a worker is assumed to hold it
    assert seen == [(True, connection.vendor != "postgresql")] * 2


def test_a_running_close_without_its_months_lock_is_failed_on_postgresql_and_assumed_alive_elsewhere(month_of_work):
    running = _running("2012-03")
    if connection.vendor == "postgresql":
        assert close.create_close_job(period="2012-03").state == CloseJob.State.QUEUED
        running.refresh_from_db()
        assert running.state == CloseJob.State.FAILED
    else:
        with pytest.raises(close.CloseError):
            close.create_close_job(period="2012-03")
        running.refresh_from_db()
        assert running.state == CloseJob.State.RUNNING


@pytest.mark.django_db(transaction=True)  # on PostgreSQL the progress is written on a second connection
def test_the_close_counts_the_agencies_it_held_as_done_in_its_progress(month_of_work, monkeypatch):
    _held_agency(month_of_work)
    job, seen = _close_watching_progress(monkeypatch)
    assert seen == [(0, 3), (2, 3)]
    assert (job.agencies_done, job.agencies_total) == (3, 3)


def test_the_zip_leaves_out_the_invoices_of_earlier_months(three_months):
    close.close_months_in_order(up_to="2012-03", invoice_date=dt.date(2012, 4, 10))
    january = Invoice.objects.get(period="2012-01")
    march = Invoice.objects.filter(period="2012-03").order_by("series_year", "sequence")
    assert all(january.pk < invoice.pk for invoice in march)
    names = [n for n in _zip(_built()).namelist() if n.endswith(".pdf")]
    assert names == [documents.pdf_filename(i) for i in march]


def test_each_invoice_that_cannot_be_an_einvoice_is_listed_in_the_zip_on_a_line_of_its_own(month_of_work):
    Agency.objects.filter(pk__in=[month_of_work["a"].pk, month_of_work["b"].pk]).update(organisation_number="")
    close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    why = []
    for invoice in Invoice.objects.filter(period="2012-03").order_by("sequence"):
        with pytest.raises(peppol.EInvoiceError) as refused:
            peppol.einvoice_xml(invoice)
        why.append(f"{invoice.number}: {refused.value}")
    assert _zip(_built()).read("e-faktura/saknas.txt").decode() == f"{why[0]}\n{why[1]}\n"


def test_a_zip_build_queued_by_another_request_at_the_same_moment_is_not_queued_again(march_invoiced, monkeypatch):
    other = MonthZip.objects.create(period="2012-03", state=MonthZip.State.QUEUED)  # the other request's

    def made_by_the_other_request(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(MonthZip.objects, "get_or_create", made_by_the_other_request)
    record, to_queue = month_zip.request_build("2012-03")
    assert (record.pk, to_queue) == (other.pk, False)
    assert MonthZip.objects.get(pk=other.pk).requested_at == other.requested_at


@contextmanager
def _row_locked_by_another_session(table, pk, lock="FOR UPDATE"):
    """On PostgreSQL another session (a live worker) holds the row FOR UPDATE, and a wait for it here
    gives up after a second instead of hanging; off PostgreSQL there are no row locks to hold. The row
    must be committed for the other session to see it (a test with ``transaction=True``)."""
    if connection.vendor != "postgresql":
        yield
        return
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE id = %s {lock}", [pk])  # noqa: S608 (fixed names)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
        other.rollback()
        other.close()


@pytest.mark.django_db(transaction=True)  # the other session sees only committed rows
def test_an_administrator_leaves_a_close_whose_worker_holds_its_row_alone(month_of_work, administrator):
    job = CloseJob.objects.create(period="2012-03")
    with _row_locked_by_another_session("invoicing_closejob", job.pk):
        marked = close.fail_close_job(job, user=administrator)
    job.refresh_from_db()
    if connection.vendor == "postgresql":
        assert marked is False and job.state == CloseJob.State.QUEUED
    else:  # no row locks: the job is marked failed
        assert marked is True and job.state == CloseJob.State.FAILED


@pytest.mark.django_db(transaction=True)  # the other session sees only committed rows
def test_a_reissue_waits_for_the_agencys_row_while_another_transaction_changes_it(month_of_work, finance):
    from django.db import OperationalError

    close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    agency = month_of_work["a"]
    invoices.credit_invoice(invoice=Invoice.objects.get(agency=agency), user=finance, reason="Fel")
    # FOR NO KEY UPDATE, as an UPDATE of the agency takes: the invoice's foreign key does not wait for it
    with _row_locked_by_another_session("customers_agency", agency.pk, lock="FOR NO KEY UPDATE"):
        if connection.vendor == "postgresql":
            with pytest.raises(OperationalError, match="lock timeout"):
                invoices.reissue_invoice(agency=agency, period="2012-03", user=finance)
        else:
            assert invoices.reissue_invoice(agency=agency, period="2012-03", user=finance).revision == 2


@pytest.mark.django_db(transaction=True)  # the progress is read from another session
def test_another_session_sees_the_closes_progress_while_it_runs_on_postgresql(month_of_work, monkeypatch):
    """On PostgreSQL the job's page (another session) sees the progress before the close commits;
    elsewhere it is written in the close's transaction, seen there and by others at the end."""
    observer = connections.create_connection("default") if connection.vendor == "postgresql" else connection
    seen = []
    real = invoices.issue_invoice

    def watched(**kwargs):
        with observer.cursor() as cursor:
            sql = "SELECT agencies_done, agencies_total FROM invoicing_closejob WHERE id = %s"
            cursor.execute(sql, [kwargs["close_job"].pk])
            seen.append(tuple(cursor.fetchone()))
        return real(**kwargs)

    monkeypatch.setattr(invoices, "issue_invoice", watched)
    try:
        close.run_close_job(CloseJob.objects.create(period="2012-03").pk)
    finally:
        if observer is not connection:
            observer.close()
    assert seen == [(0, 2), (1, 2)]
