"""The monthly close: invoices priced by the pricing engine, numbered without gaps, issued once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.jobs import QueueUnavailable
from core.models import ClosedPeriod
from customers.models import AddonAgreement, AddonHours
from invoicing import tasks
from invoicing.models import CloseJob, Invoice, InvoiceNumberSeries
from invoicing.services import close, invoices
from pricing.models import PriceList
from tests import factories


def _close(period="2012-03", user=None):
    job = CloseJob.objects.create(period=period, started_by=user, trigger="test")
    return close.run_close_job(job.pk)


def _lines(invoice):
    return {
        line.item_code: (line.quantity, line.unit_price, line.amount, line.base_price, line.surcharge)
        for line in invoice.lines.all()
    }


def test_invoice_lines_are_priced_by_the_pricing_engine(month_of_work):
    job = _close()
    assert job.state == CloseJob.State.DONE, job.error
    invoice = Invoice.objects.get(agency=month_of_work["a"])
    assert _lines(invoice) == {
        "self_service": (Decimal("3"), Decimal("58"), Decimal("174.00"), None, None),
        "manual": (Decimal("2"), Decimal("95"), Decimal("190.00"), Decimal("58"), Decimal("37")),
        "agresso": (Decimal("1"), Decimal("145"), Decimal("145.00"), Decimal("95"), Decimal("50")),
    }
    assert invoice.total == Decimal("509.00")
    other = Invoice.objects.get(agency=month_of_work["b"])
    assert other.total == Decimal("4") * 58 + 395


def test_addon_hours_and_pension_work_are_invoiced(month_of_work, monkeypatch):
    agency = month_of_work["a"]
    agreement = AddonAgreement.objects.create(
        agency=agency, description="Omkontering", valid_from=dt.date(2012, 1, 1), item_code="addon_hour"
    )
    AddonHours.objects.create(agreement=agreement, period="2012-03", billing_period="2012-03", hours=Decimal("2.5"))
    monkeypatch.setattr(
        "pensions.selectors.billable_counts",
        lambda *, billing_period: {agency.pk: {"pension_case": 2}} if billing_period == "2012-03" else {},
    )
    _close()
    lines = _lines(Invoice.objects.get(agency=agency))
    assert lines["addon_hour"][:3] == (Decimal("2.5"), Decimal("390"), Decimal("975.00"))
    assert lines["pension_case"][:3] == (Decimal("2"), Decimal("1200"), Decimal("2400.00"))


def test_agency_with_nothing_to_invoice_gets_no_invoice(month_of_work):
    _close()
    assert not Invoice.objects.filter(agency=month_of_work["idle"]).exists()
    assert Invoice.objects.count() == 2


def test_cases_not_completed_are_not_invoiced(month_of_work):
    from payroll.models import PayrollCase

    factories.add_cases(month_of_work["idle"], "2012-03", manual=3, status=PayrollCase.Status.RETURNED)
    _close()
    assert not Invoice.objects.filter(agency=month_of_work["idle"]).exists()


def test_invoice_keeps_copies_of_agency_and_dates(month_of_work, settings):
    settings.INVOICE_PAYMENT_DAYS = 30
    _close()
    agency = month_of_work["a"]
    invoice = Invoice.objects.get(agency=agency)
    agency.name = "Nytt namn"
    agency.billing_reference = "ÄNDRAD"
    agency.save()
    invoice.refresh_from_db()
    assert (invoice.agency_name, invoice.billing_reference, invoice.agency_code) == (
        "Stadsdelsförvaltning Ett",
        "REF-1001",
        "SDF01",
    )
    assert invoice.period == "2012-03"
    # Closed long after the month: dated the scheduled close day of the month after.
    assert invoice.invoice_date == dt.date(2012, 4, 10)
    assert invoice.due_date == dt.date(2012, 5, 10)


def test_invoice_numbers_follow_one_series_per_year_without_gaps(month_of_work):
    _close("2012-03")
    factories.add_cases(month_of_work["idle"], "2012-04", manual=1)
    _close("2012-04")
    numbers = list(Invoice.objects.order_by("sequence").values_list("number", flat=True))
    assert numbers == ["2012-00001", "2012-00002", "2012-00003"]
    assert InvoiceNumberSeries.objects.get(year=2012).last_number == 3


def test_close_closes_the_month_and_uses_the_price_list_frozen(month_of_work):
    _close()
    assert ClosedPeriod.objects.filter(period="2012-03").exists()
    invoice = Invoice.objects.get(agency=month_of_work["a"])
    assert invoice.price_list == PriceList.objects.get(year=2012)
    assert invoice.price_list.frozen_at is not None


def test_running_the_close_twice_issues_nothing_new(month_of_work):
    first = _close()
    numbers = set(Invoice.objects.values_list("number", flat=True))
    second = _close()
    assert first.invoices_issued == 2
    assert second.state == CloseJob.State.DONE and second.invoices_issued == 0
    assert set(Invoice.objects.values_list("number", flat=True)) == numbers


def test_failure_half_way_leaves_nothing_issued_and_can_be_run_again(month_of_work, monkeypatch):
    real_issue = invoices.issue_invoice
    calls = {"n": 0}

    def failing_issue(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full while issuing")
        return real_issue(**kwargs)

    monkeypatch.setattr(invoices, "issue_invoice", failing_issue)
    job = _close()
    assert job.state == CloseJob.State.FAILED
    assert "disk full" in job.error
    assert Invoice.objects.count() == 0
    assert not ClosedPeriod.objects.filter(period="2012-03").exists()
    assert not InvoiceNumberSeries.objects.filter(year=2012, last_number__gt=0).exists()

    monkeypatch.setattr(invoices, "issue_invoice", real_issue)
    again = _close()
    assert again.state == CloseJob.State.DONE
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["2012-00001", "2012-00002"]


def test_late_cases_of_a_closed_month_are_invoiced_next_month_marked_late(month_of_work):
    _close("2012-03")
    agency = month_of_work["a"]
    factories.add_cases(agency, "2012-03", billing_period="2012-04", manual=2)
    factories.add_cases(agency, "2012-04", manual=1)
    _close("2012-04")
    april = Invoice.objects.get(agency=agency, period="2012-04")
    lines = [(line.item_code, line.quantity, line.late_from_period) for line in april.lines.all()]
    assert ("manual", Decimal("1"), "") in lines
    assert ("manual", Decimal("2"), "2012-03") in lines
    assert april.total == 3 * Decimal("95")


def test_progress_and_outcome_are_recorded_on_the_job(month_of_work, finance):
    job = _close(user=finance)
    assert (job.agencies_done, job.agencies_total, job.invoices_issued) == (2, 2, 2)
    assert job.started_by == finance and job.started_at and job.finished_at
    assert "2012-03" in job.message


def test_start_close_refuses_a_month_not_ended(db):
    from core.periods import current_period

    with pytest.raises(close.CloseError):
        tasks.start_close(period=current_period())


def test_start_close_refuses_a_closed_month(month_of_work):
    _close()
    with pytest.raises(close.CloseError, match="redan stängd"):
        tasks.start_close(period="2012-03")


def test_start_close_runs_the_task_eagerly_without_a_broker(month_of_work, finance, eager):
    job = tasks.start_close(period="2012-03", user=finance)
    assert job.state == CloseJob.State.DONE and job.invoices_issued == 2


def test_broker_down_marks_the_job_failed_and_issues_nothing(month_of_work, finance, not_eager, monkeypatch):
    from kombu.exceptions import OperationalError

    from lonservice.celery import app

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_close, "delay", refuse)
    with pytest.raises(QueueUnavailable, match="månadsbokslutet för 2012-03 startades inte"):
        tasks.start_close(period="2012-03", user=finance)
    job = CloseJob.objects.get()
    assert job.state == CloseJob.State.FAILED and "Jobbkön går inte att nå" in job.error
    assert Invoice.objects.count() == 0
    # The failed job does not block a new attempt once the broker is back.
    app.conf.task_always_eager = True
    monkeypatch.undo()
    assert tasks.start_close(period="2012-03", user=finance).state == CloseJob.State.DONE


def test_a_second_run_while_one_is_queued_is_refused(month_of_work):
    CloseJob.objects.create(period="2012-03")
    with pytest.raises(close.CloseError, match="redan i kö eller pågår"):
        tasks.start_close(period="2012-03")


def test_beat_task_closes_the_previous_month(month_of_work):
    job = close.run_scheduled_close(today=dt.date(2012, 4, 10))
    assert job.period == "2012-03" and job.trigger == "schedule" and job.state == CloseJob.State.DONE
    assert close.run_scheduled_close(today=dt.date(2012, 4, 10)) is None


def test_close_month_command(month_of_work, capsys):
    call_command("close_month", "2012-03")
    out = capsys.readouterr().out
    assert "2 fakturor utfärdade" in out
    assert Invoice.objects.count() == 2
    call_command("close_month", "2012-03")
    assert "already closed" in capsys.readouterr().out
    assert Invoice.objects.count() == 2


def test_close_month_command_rejects_a_bad_period(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2012-03"):
        call_command("close_month", "2012-13")


def test_a_job_delivered_twice_runs_once(month_of_work):
    job = CloseJob.objects.create(period="2012-03")
    first = close.run_close_job(job.pk)
    second = close.run_close_job(job.pk)
    assert first.invoices_issued == 2 and second.invoices_issued == 2  # the record is not overwritten
    assert Invoice.objects.count() == 2
