"""The invoicing pages: who sees invoices, the close button, credit notes, filters and exports."""

import csv
import io

import pytest
from django.urls import reverse

from invoicing.models import CloseJob, Invoice
from tests import factories


@pytest.fixture
def closed_march(month_of_work, finance, client, eager):
    client.force_login(finance)
    client.post(reverse("invoicing:close_list"), {"period": "2012-03"})
    client.logout()
    return month_of_work


def test_finance_closes_a_month_from_the_button_and_follows_the_job(month_of_work, client, finance, eager):
    client.force_login(finance)
    response = client.post(reverse("invoicing:close_list"), {"period": "2012-03"})
    job = CloseJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("invoicing:close_detail", args=[job.pk])
    assert job.state == CloseJob.State.DONE and job.started_by == finance
    page = client.get(response["Location"]).content.decode()
    assert "2 av 2" in page or "2 of 2" in page
    assert reverse("invoicing:invoice_zip", args=["2012-03"]) in page
    assert "data-poll-url" not in page  # finished: the page stops polling


def test_the_close_form_refuses_a_bad_period(db, client, finance):
    client.force_login(finance)
    response = client.post(reverse("invoicing:close_list"), {"period": "2012-13"})
    assert response.status_code == 200 and "fielderror" in response.content.decode()
    assert not CloseJob.objects.exists()


def test_closing_a_closed_month_again_is_refused_with_a_message(closed_march, client, finance):
    client.force_login(finance)
    response = client.post(reverse("invoicing:close_list"), {"period": "2012-03"})
    assert response.status_code == 200
    assert CloseJob.objects.count() == 1 and Invoice.objects.count() == 2


def test_broker_down_shows_a_clear_message_and_issues_nothing(month_of_work, client, finance, not_eager, monkeypatch):
    from kombu.exceptions import OperationalError

    from invoicing import tasks

    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.run_close, "delay", refuse)
    client.force_login(finance)
    response = client.post(reverse("invoicing:close_list"), {"period": "2012-03"}, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Jobbkön går inte att nå, så månadsbokslutet för 2012-03 startades inte. Ingenting ändrades; "
        "försök igen om några minuter."
    ]
    assert CloseJob.objects.get().state == CloseJob.State.FAILED
    assert Invoice.objects.count() == 0


def test_a_running_job_fragment_asks_to_be_polled(db, client, finance):
    job = CloseJob.objects.create(period="2012-03", state=CloseJob.State.RUNNING, agencies_total=33, agencies_done=12)
    client.force_login(finance)
    html = client.get(reverse("invoicing:close_status", args=[job.pk])).content.decode()
    assert f'data-poll-url="{reverse("invoicing:close_status", args=[job.pk])}"' in html
    assert 'value="12"' in html and 'max="33"' in html
    assert "<script" not in html and 'style="' not in html


def test_finance_and_head_of_service_see_invoices_case_handlers_do_not(closed_march, client, users_by_role):
    number = Invoice.objects.order_by("sequence").first().number
    for role, allowed in [
        ("finance", True),
        ("head_of_service", True),
        ("case_handler", False),
        ("unit_manager", False),
    ]:
        client.force_login(users_by_role[role])
        response = client.get(reverse("invoicing:invoice_list"))
        assert (response.status_code == 200) is allowed, role
        if allowed:
            assert number in response.content.decode()


def test_invoice_list_filters_by_status_and_exports_csv(closed_march, client, finance):
    from invoicing.services.invoices import credit_invoice

    credited = Invoice.objects.get(agency=closed_march["a"])
    credit_invoice(invoice=credited, user=finance, reason="Fel")
    client.force_login(finance)
    page = client.get(reverse("invoicing:invoice_list"), {"status": "credited"}).content.decode()
    assert credited.number in page
    assert Invoice.objects.get(agency=closed_march["b"]).number not in page
    export = client.get(reverse("invoicing:invoice_list"), {"period": "2012-03", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [r["status"] for r in rows] == ["issued", "credited", "credit_note", ""]
    assert rows[-1]["invoice_number"] == "Totalt" and rows[-1]["total_sek"] == "627.00"


def test_credit_and_reissue_from_the_invoice_page(closed_march, client, finance):
    invoice = Invoice.objects.get(agency=closed_march["a"])
    client.force_login(finance)
    response = client.post(
        reverse("invoicing:invoice_credit", args=[invoice.pk]), {"reason": "Fel kanal", "reissue": "on"}
    )
    assert response.status_code == 302
    note = Invoice.objects.get(credited_invoice=invoice)
    new = Invoice.objects.get(agency=invoice.agency, period="2012-03", revision=2)
    assert response["Location"] == new.get_absolute_url()
    assert note.total == -invoice.total and new.total == invoice.total
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert note.number in page and new.number in page


def test_a_credit_note_needs_a_reason_on_the_page(closed_march, client, finance):
    invoice = Invoice.objects.get(agency=closed_march["a"])
    client.force_login(finance)
    response = client.post(reverse("invoicing:invoice_credit", args=[invoice.pk]), {"reason": ""})
    assert response.status_code == 200 and not Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).exists()


def test_head_of_service_cannot_credit(closed_march, client, head_of_service):
    invoice = Invoice.objects.first()
    client.force_login(head_of_service)
    response = client.post(reverse("invoicing:invoice_credit", args=[invoice.pk]), {"reason": "x"})
    assert response.status_code == 403 and not Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).exists()


def test_invoice_of_another_unit_is_not_found_for_a_scoped_user(db, client, unit_manager, other_unit):
    """Unit managers have no invoice permission at all; a scoped user with it would still get 404."""
    from django.contrib.auth.models import Permission

    invoice = factories.issued_invoice(unit=other_unit)
    unit_manager.user_permissions.add(Permission.objects.get(codename="view_invoice"))
    client.force_login(unit_manager)
    assert client.get(invoice.get_absolute_url()).status_code == 404
    own = factories.issued_invoice(agency=factories.AgencyFactory(unit=unit_manager.staff_member.unit))
    assert client.get(own.get_absolute_url()).status_code == 200
