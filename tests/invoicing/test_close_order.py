"""Issue 15 item 5: months close in order. The close refuses a month while earlier months with
work are unclosed, with their list; on request it closes them first, oldest first."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from core.models import ClosedPeriod
from invoicing import tasks
from invoicing.models import CloseJob, Invoice
from invoicing.services import close, close_order
from tests import factories


@pytest.fixture
def three_months(month_of_work):
    """Work in January, nothing in February, March's work from month_of_work."""
    factories.add_cases(month_of_work["a"], "2012-01", self_service=2)
    return month_of_work


def closed():
    return sorted(ClosedPeriod.objects.values_list("period", flat=True))


def test_the_close_refuses_a_month_with_unclosed_earlier_months_and_lists_them(three_months):
    assert close_order.unclosed_months_before("2012-03") == ["2012-01", "2012-02"]
    with pytest.raises(close.MonthsOutOfOrder) as refused:
        close.create_close_job(period="2012-03")
    assert refused.value.months == ["2012-01", "2012-02"]
    assert "2012-01 – 2012-02" in str(refused.value)
    # The service itself refuses too, whoever calls it: nothing issued, nothing closed.
    with pytest.raises(close.MonthsOutOfOrder):
        close.close_month(period="2012-03")
    assert not Invoice.objects.exists() and closed() == []


def test_on_request_the_earlier_months_are_closed_first_oldest_first(three_months, eager):
    job = tasks.start_close(period="2012-03", in_order=True)
    assert job.period == "2012-03" and job.state == CloseJob.State.DONE, job.error
    assert closed() == ["2012-01", "2012-02", "2012-03"]
    numbers = list(Invoice.objects.order_by("sequence").values_list("period", flat=True))
    assert numbers == ["2012-01", "2012-03", "2012-03"]  # February had nothing to invoice
    assert list(CloseJob.objects.order_by("id").values_list("period", "state")) == [
        ("2012-01", "done"),
        ("2012-02", "done"),
        ("2012-03", "done"),
    ]


def test_close_months_in_order_closes_a_history_once(three_months):
    jobs = close.close_months_in_order(up_to="2012-03", trigger="demo")
    assert [job.period for job in jobs] == ["2012-01", "2012-02", "2012-03"]
    assert close.close_months_in_order(up_to="2012-03") == []
    assert Invoice.objects.count() == 3


def test_a_failed_month_stops_the_run_and_leaves_later_months_open(three_months, monkeypatch):
    from invoicing.services import month

    real = month.month_work

    def failing(*, period, agency_ids=None):
        if period == "2012-02":
            raise RuntimeError("disk full")
        return real(period=period, agency_ids=agency_ids)

    monkeypatch.setattr("invoicing.services.month.month_work", failing)
    with pytest.raises(close.CloseError, match="2012-02"):
        close.close_months_in_order(up_to="2012-03")
    assert closed() == ["2012-01"]
    march = CloseJob.objects.get(period="2012-03")
    assert march.state == CloseJob.State.FAILED and "2012-02" in march.error


def test_the_close_page_lists_the_unclosed_months_and_refuses_or_closes_them_in_order(
    three_months, client, finance, eager
):
    client.force_login(finance)
    page = client.get(reverse("invoicing:close_list") + "?period=2012-03").content.decode()
    assert "data-unclosed-months" in page and "2012-01 – 2012-02" in page
    refused = client.post(reverse("invoicing:close_list"), {"period": "2012-03"})
    assert refused.status_code == 200 and "2012-01 – 2012-02" in refused.content.decode()
    assert closed() == []
    response = client.post(reverse("invoicing:close_list"), {"period": "2012-03", "in_order": "on"})
    assert response.status_code == 302
    assert closed() == ["2012-01", "2012-02", "2012-03"]


def test_the_command_refuses_without_in_order_and_closes_in_order_with_it(three_months, capsys):
    with pytest.raises(CommandError, match="--in-order"):
        call_command("close_month", "2012-03")
    call_command("close_month", "2012-03", "--in-order")
    assert closed() == ["2012-01", "2012-02", "2012-03"]


def test_the_schedule_closes_the_earlier_months_in_order(three_months):
    import datetime as dt

    job = close.run_scheduled_close(today=dt.date(2012, 4, 10))
    assert job.period == "2012-03" and job.state == CloseJob.State.DONE
    assert closed() == ["2012-01", "2012-02", "2012-03"]


def test_the_close_refused_for_one_unclosed_earlier_month_names_it_in_the_singular(month_of_work):
    factories.add_cases(month_of_work["a"], "2012-02", self_service=2)
    with translation.override("en"), pytest.raises(close.MonthsOutOfOrder) as refused:
        close.create_close_job(period="2012-03")
    assert str(refused.value) == (
        "1 earlier month is not closed: 2012-02. Months close in order: close it first, "
        "or choose to close the earlier months in order."
    )


def test_the_close_refused_for_several_unclosed_earlier_months_names_them_in_the_plural(three_months):
    with translation.override("en"), pytest.raises(close.MonthsOutOfOrder) as refused:
        close.create_close_job(period="2012-03")
    assert str(refused.value) == (
        "2 earlier months are not closed: 2012-01 – 2012-02. Months close in order: close them first, "
        "or choose to close the earlier months in order."
    )


def test_with_no_work_and_no_closed_month_no_earlier_month_must_be_closed(db):
    assert close_order.first_billing_period() is None
    assert close_order.unclosed_months_before("2012-03") == []


def test_an_undecided_pension_case_does_not_hide_the_decided_ones_from_the_billing_calendar(db):
    factories.decided_pension_case(decided_on=dt.date(2012, 1, 20), billing_period="2012-01")
    factories.PensionCaseFactory()  # received, not decided: no billing period yet
    assert close_order.first_billing_period() == "2012-01"
    assert close_order.unclosed_months_before("2012-03") == ["2012-01", "2012-02"]
