"""Webhooks through Redis and a real Celery worker: the close queued from here, run by the worker,
which then delivers its events to a receiver on localhost, retrying one the receiver refused."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from standardwebhooks.webhooks import Webhook

from invoicing import tasks as invoicing_tasks
from invoicing.models import CloseJob
from tests import factories
from webhooks import services
from webhooks.models import Delivery

from .receiver import Receiver

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _eager():
    """Not inline here: the worker does the work (overrides the package's autouse fixture)."""
    yield


def _worker():
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    database_url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "WEBHOOK_RETRY_SECONDS": "1",
    }
    env.pop("TEST_DATABASE_NAME", None)
    command = [sys.executable, "-m", "celery", "-A", "lonservice", "worker", "-P", "solo", "-l", "info"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"webhooks-{os.getpid()}@%h"]
    return subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_the_worker_delivers_and_retries(unit, finance):
    factories.price_list_2012()
    factories.add_cases(factories.AgencyFactory(code="SDF01", unit=unit), "2012-03", self_service=3)
    ledger = factories.UserFactory(username="agresso", role="finance")
    with Receiver(answers=[500]) as receiver:
        subscription = services.create_subscription(
            owner=ledger, url=receiver.url, events=["invoice.issued", "close.done"]
        )
        worker = _worker()
        try:
            from lonservice.celery import app

            assert not app.conf.task_always_eager
            job = invoicing_tasks.start_close(period="2012-03", user=finance)
            assert job.state == CloseJob.State.QUEUED
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                done = Delivery.objects.filter(status=Delivery.Status.DELIVERED).count()
                if done == 2:
                    break
                assert worker.poll() is None, worker.stdout.read()
                time.sleep(0.2)  # waiting for the worker's result, not for timing
        finally:
            worker.terminate()
            try:
                output, _ = worker.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                output, _ = worker.communicate()
    deliveries = list(Delivery.objects.order_by("event"))
    assert [(d.event, d.status) for d in deliveries] == [("close.done", "delivered"), ("invoice.issued", "delivered")]
    assert sorted(d.attempts for d in deliveries) == [1, 2]  # the refused one went again after its backoff
    assert len(receiver.requests) == 3
    verifier = Webhook(subscription.secret)
    types = [verifier.verify(r["body"], r["headers"])["type"] for r in receiver.requests]
    assert sorted(set(types)) == ["close.done", "invoice.issued"]
    assert json.loads(receiver.requests[-1]["body"])["data"]
    assert "webhooks.tasks.deliver" in output
