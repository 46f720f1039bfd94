"""Webhooks delivered to a real HTTP receiver on localhost, their Standard Webhooks signature
checked with the standardwebhooks package, retried, logged and sent again by hand."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from invoicing.models import CloseJob
from invoicing.services.close import create_close_job, run_close_job
from payroll.services.cases import return_case
from tests import factories
from tests.payroll.helpers import payslip_file, pnr
from webhooks import services
from webhooks.models import Delivery

from .receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(unit, other_unit):
    factories.price_list_2012()
    a = factories.AgencyFactory(code="SDF01", unit=unit)
    b = factories.AgencyFactory(code="FF02", unit=other_unit)
    factories.add_cases(a, "2012-03", self_service=3)
    factories.add_cases(b, "2012-03", manual=1)
    return {"a": a, "b": b}


def _subscribe(api, url, events):
    response = api.post("/api/v1/webhooks/", {"url": url, "events": events, "description": "test"})
    assert response.status_code == 201, response.content
    return response.json()


def _close(period="2012-03"):
    job = create_close_job(period=period, trigger=CloseJob.Trigger.TEST)
    return run_close_job(job.pk, invoice_date=dt.date(2012, 4, 10))


def test_the_close_is_announced_signed_to_the_ledger(
    api_for, ledger_account, month, django_capture_on_commit_callbacks
):
    api = api_for(ledger_account, ["webhooks", "invoices:read"])
    with Receiver() as receiver:
        subscription = _subscribe(api, receiver.url, ["invoice.issued", "close.done"])
        with django_capture_on_commit_callbacks(execute=True):
            _close()
    events = [json.loads(r["body"]) for r in receiver.requests]
    assert sorted(e["type"] for e in events) == ["close.done", "invoice.issued", "invoice.issued"]
    issued = {e["data"]["agency"]: e["data"] for e in events if e["type"] == "invoice.issued"}
    assert issued["SDF01"]["total"] == "174.00" and issued["FF02"]["total"] == "95.00"
    close = next(e for e in events if e["type"] == "close.done")
    assert close["data"]["period"] == "2012-03" and close["data"]["invoices_issued"] == 2

    verifier = Webhook(subscription["secret"])
    for request in receiver.requests:
        headers = {k.lower(): v for k, v in request["headers"].items()}
        assert verifier.verify(request["body"], headers)["type"] in ("invoice.issued", "close.done")
        assert headers["webhook-id"].startswith("msg_")
        # A changed body or another secret fails the check.
        with pytest.raises(WebhookVerificationError):
            verifier.verify(request["body"] + b" ", headers)
        with pytest.raises(WebhookVerificationError):
            Webhook("whsec_" + "QUJD" * 8).verify(request["body"], headers)
    # The invoice named by the webhook is fetched through the API.
    fetched = api.get(f"/api/v1/invoices/{issued['SDF01']['id']}/").json()
    assert fetched["number"] == issued["SDF01"]["number"]
    log = api.get(f"/api/v1/webhooks/{subscription['id']}/deliveries/").json()["results"]
    assert len(log) == 3 and {d["status"] for d in log} == {"delivered"} and all(d["attempts"] == 1 for d in log)


def test_a_unit_account_hears_only_of_its_own_agencies(
    api_for, unit_manager, month, django_capture_on_commit_callbacks
):
    api = api_for(unit_manager, ["webhooks"])
    with Receiver() as receiver:
        _subscribe(api, receiver.url, ["invoice.issued", "case.returned"])
        with django_capture_on_commit_callbacks(execute=True):
            _close()
    # A unit manager has no invoicing.view_invoice: nothing at all.
    assert receiver.requests == []


def test_case_returned_reaches_the_units_account_only(
    api_for, system_account, other_unit, month, django_capture_on_commit_callbacks
):
    theirs = factories.UserFactory(role="case_handler", unit=other_unit)
    mine_case = factories.PayrollCaseFactory(
        agency=month["a"], status="received", received_on=dt.date(2012, 3, 2), source="manual", channel="manual"
    )
    with Receiver() as mine, Receiver() as other:
        _subscribe(api_for(system_account, ["webhooks"]), mine.url, ["case.returned"])
        _subscribe(api_for(theirs, ["webhooks"]), other.url, ["case.returned"])
        with django_capture_on_commit_callbacks(execute=True):
            return_case(case=mine_case, user=system_account, missing=["signature"], returned_on=dt.date(2012, 3, 5))
    assert [json.loads(r["body"])["data"]["reference"] for r in mine.requests] == [mine_case.reference]
    body = mine.requests[0]["body"].decode()
    assert mine_case.person.personnummer not in body and mine_case.person.name not in body
    assert other.requests == []


def test_import_done_after_an_upload_through_the_api(
    api_for, system_account, month, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = api_for(system_account, ["webhooks", "payslips:import"])
    with Receiver() as receiver:
        _subscribe(api, receiver.url, ["import.done"])
        content = payslip_file([f"2012-04;SDF01;Q1;{pnr(7)};self_service"])
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                "/api/v1/payslip-imports/", {"file": SimpleUploadedFile("april.csv", content)}, content_type=None
            )
    assert response.status_code == 202
    [event] = [json.loads(r["body"]) for r in receiver.requests]
    assert event["type"] == "import.done"
    assert event["data"] == {"id": response.json()["id"], "status": "done", "rows_imported": 1, "errors": 0}


def test_a_failed_delivery_is_retried_with_backoff_then_given_up(
    api_for, ledger_account, month, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_SECONDS = [30, 120]
    api = api_for(ledger_account, ["webhooks"])
    with Receiver(answers=[500, 503]) as receiver:
        _subscribe(api, receiver.url, ["close.done"])
        with django_capture_on_commit_callbacks(execute=True):
            _close()
        delivery = Delivery.objects.get(event="close.done")
        assert delivery.status == "pending" and delivery.last_status_code == 500
        wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
        assert 25 < wait <= 30
        # Not due yet: the sweep leaves it.
        assert services.due_deliveries() == []
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert services.attempt(delivery.pk) == 120  # 503: again after two minutes
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        from webhooks.tasks import send_due_deliveries

        send_due_deliveries()
        delivery.refresh_from_db()
        assert delivery.status == "delivered" and delivery.attempts == 3
        ids = {r["headers"]["webhook-id"] for r in receiver.requests}
        assert len(receiver.requests) == 3 and ids == {delivery.message_id}  # one id: the receiver can deduplicate

    with Receiver(answers=[500, 500, 500]) as down:
        sub = services.create_subscription(owner=ledger_account, url=down.url, events=["close.done"])
        settings.WEBHOOK_RETRY_SECONDS = [1]
        with django_capture_on_commit_callbacks(execute=True):
            _close("2012-04")
        given_up = Delivery.objects.get(subscription=sub)
        Delivery.objects.filter(pk=given_up.pk).update(next_attempt_at=timezone.now())
        assert services.attempt(given_up.pk) is None
        given_up.refresh_from_db()
        assert given_up.status == "failed" and given_up.attempts == 2
        assert [a.status_code for a in given_up.log.all()] == [500, 500]

        # Sent again by hand through the API, once the receiver is back.
        down.answers.clear()
        resent = api_for(ledger_account, ["webhooks"]).post(
            f"/api/v1/webhooks/{sub.pk}/deliveries/{given_up.pk}/resend/"
        )
        assert resent.status_code == 200 and resent.json()["status"] == "delivered"
        last = resent.json()["log"][-1]
        assert last["status_code"] == 200 and last["manual"] is True


def test_another_accounts_subscription_does_not_exist(api_for, ledger_account, finance):
    mine = services.create_subscription(owner=ledger_account, url="https://ledger.example.se/h", events=["close.done"])
    other = api_for(finance, ["webhooks"])
    assert other.get(f"/api/v1/webhooks/{mine.pk}/").status_code == 404
    assert other.get(f"/api/v1/webhooks/{mine.pk}/deliveries/").status_code == 404
    assert other.delete(f"/api/v1/webhooks/{mine.pk}/").status_code == 404
    assert api_for(ledger_account, ["webhooks"]).get("/api/v1/webhooks/").json()[0]["id"] == mine.pk


def test_a_plain_http_address_elsewhere_is_refused(api_for, ledger_account):
    response = api_for(ledger_account, ["webhooks"]).post(
        "/api/v1/webhooks/", {"url": "http://ledger.example.se/h", "events": ["close.done"]}
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "url"


@pytest.fixture
def broker_down(monkeypatch):
    """A broker configured (not eager) at a port where nothing listens (as tests/test_jobs.py)."""
    from lonservice.celery import app

    closed_port = "redis://127.0.0.1:9/0"
    monkeypatch.setenv("CELERY_BROKER_URL", closed_port)
    saved = (app.conf.task_always_eager, app.conf.broker_url, app._pool, app.amqp._producer_pool)
    app.conf.task_always_eager = False
    app.conf.broker_url = closed_port
    app._pool = app.amqp._producer_pool = None
    yield app
    app.conf.task_always_eager, app.conf.broker_url = saved[0], saved[1]
    app._pool, app.amqp._producer_pool = saved[2], saved[3]


def test_with_the_queue_down_the_event_waits_for_the_sweep(
    ledger_account, month, broker_down, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        services.create_subscription(owner=ledger_account, url=receiver.url, events=["close.done"])
        with django_capture_on_commit_callbacks(execute=True):
            _close()  # the close itself is not disturbed by the webhook that cannot be queued
        assert CloseJob.objects.get().state == "done"
        delivery = Delivery.objects.get()
        # The close runs in Swedish, so the note core.jobs left on the delivery is too.
        assert delivery.status == "pending" and "Jobbkön går inte att nå" in delivery.last_error
        assert "webhooken close.done" in delivery.last_error
        assert receiver.requests == []
        from webhooks.tasks import send_due_deliveries

        send_due_deliveries.run()  # beat's sweep, once the worker runs again
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and len(receiver.requests) == 1


def test_the_worker_queues_the_retry_with_its_backoff(ledger_account, month, monkeypatch):
    from lonservice.celery import app
    from webhooks import tasks

    with Receiver(answers=[502]) as receiver:
        sub = services.create_subscription(owner=ledger_account, url=receiver.url, events=["close.done"])
        delivery = Delivery.objects.create(subscription=sub, message_id="msg_x", event="close.done", payload={})
        queued = []
        monkeypatch.setattr(tasks.deliver, "apply_async", lambda args, countdown: queued.append((args, countdown)))
        before, app.conf.task_always_eager = app.conf.task_always_eager, False
        try:
            tasks.deliver.run(delivery.pk)
        finally:
            app.conf.task_always_eager = before
    assert queued == [((delivery.pk,), 30)]
