"""Work billed to a month while the month is being closed is never lost (issue 14, item 2).

An 80,000-row payslip upload racing finance's close of the same month ended with the month closed,
the cases billed to it and no invoice for them; a case completed during a close was lost the same
way. Writes that bill work to a month take the month's lock (``core.billing``) shared, the close
takes it exclusively. Both orders of the race are played on PostgreSQL with real threads, each
with its own connection: the writer caught inside the close (it must wait, then bill the next
month) and the close caught inside the writer (it must wait, then invoice the writer's rows).
Afterwards every case billed to the closed month is on its invoice.
"""

import io
import threading
import time

import pytest
from django.db import connection, connections

from core.models import ClosedPeriod
from core.periods import current_period, next_period, previous_period
from invoicing.models import InvoiceLine
from invoicing.services import close
from invoicing.services import month as month_pricing
from payroll import imports, staging
from payroll.billing import billed_payments
from payroll.models import PayrollCase, PayslipImport
from payroll.services import cases as case_service
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MONTH = previous_period(current_period())
PAYSLIP_ITEMS = ("self_service", "manual", "lisa_tid", "agresso", "girovision")


@pytest.fixture
def month(unit):
    factories.price_list_2012(year=int(MONTH[:4]))
    if MONTH[:4] != next_period(MONTH)[:4]:
        factories.price_list_2012(year=int(next_period(MONTH)[:4]))
    agency = factories.AgencyFactory(code="RACE", unit=unit)
    factories.add_cases(agency, MONTH, self_service=3)
    handler = factories.UserFactory(role="case_handler", unit=unit)
    open_case = factories.PayrollCaseFactory(
        agency=agency, period=MONTH, status=PayrollCase.Status.REGISTERED, channel="manual", source="manual"
    )
    return {"agency": agency, "case": open_case, "handler": handler}


def _import(agency) -> None:
    numbers = [factories._valid_personnummer(n) for n in (501, 502)]
    text = "period;agency_code;payslip_id;personnummer;channel\n" + "".join(
        f"{MONTH};{agency.code};RACE-{i};{number};self_service\n" for i, number in enumerate(numbers)
    )
    job = PayslipImport.objects.create(file_name="race.csv", sha256="", origin=PayslipImport.Origin.COMMAND)
    result = imports.import_payslips(binary=io.BytesIO(text.encode()), job=job)
    assert not result.rejected, result.errors


def _complete(world) -> None:
    case_service.complete_case(case=world["case"], user=world["handler"])


def _waiting_for_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted)")
        return cursor.fetchone()[0]


def _thread(target, errors):
    def run():
        try:
            target()
        except Exception as exc:  # asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _until(condition, thread) -> None:
    """Wait until ``condition()`` holds or ``thread`` has ended (a writer that does not wait ends)."""
    for _ in range(600):
        if condition() or not thread.is_alive():
            return
        time.sleep(0.05)


def _caught_in(monkeypatch, module, name):
    """Patch ``module.name`` so that its first call stops (inside its caller's transaction) until released."""
    inside, release = threading.Event(), threading.Event()
    original = getattr(module, name)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        if not inside.is_set():
            inside.set()
            release.wait(timeout=60)
        return result

    monkeypatch.setattr(module, name, paused)
    return inside, release


def _all_billed_work_invoiced() -> tuple[int, int]:
    """The payments billed to the month (``payroll.billing``'s rule: every payment once) and the
    payslip quantities on the month's invoices."""
    billed = sum(row.count for row in billed_payments(billing_period=MONTH))
    invoiced = sum(
        line.quantity
        for line in InvoiceLine.objects.filter(invoice__period=MONTH, item_code__in=PAYSLIP_ITEMS)
        if line.quantity > 0
    )
    return billed, int(invoiced)


@pytest.mark.parametrize("writer", ["import", "complete"])
def test_a_write_during_the_close_waits_and_bills_the_next_month(writer, month, monkeypatch):
    inside, release = _caught_in(monkeypatch, month_pricing, "price_agency_month")
    errors = []
    closing = _thread(lambda: close.close_month(period=MONTH), errors)
    assert inside.wait(timeout=30), errors
    write = _thread(lambda: _import(month["agency"]) if writer == "import" else _complete(month), errors)
    _until(_waiting_for_lock, write)
    waited = write.is_alive()
    release.set()
    closing.join(timeout=60)
    write.join(timeout=60)
    assert not errors, errors
    assert waited, "the write did not wait for the close of its month"
    assert ClosedPeriod.objects.filter(period=MONTH).exists()
    assert _all_billed_work_invoiced() == (3, 3)
    late = PayrollCase.objects.exclude(billing_period=MONTH).filter(status=PayrollCase.Status.COMPLETED)
    assert set(late.values_list("billing_period", flat=True)) == {next_period(MONTH)}
    assert late.count() == (2 if writer == "import" else 1)


@pytest.mark.parametrize("writer", ["import", "complete"])
def test_a_close_during_a_write_waits_and_invoices_it(writer, month, monkeypatch):
    if writer == "import":
        inside, release = _caught_in(monkeypatch, staging, "insert_cases")
    else:
        inside, release = _caught_in(monkeypatch, case_service, "_record")
    errors = []
    write = _thread(lambda: _import(month["agency"]) if writer == "import" else _complete(month), errors)
    assert inside.wait(timeout=30), errors
    closing = _thread(lambda: close.close_month(period=MONTH), errors)
    _until(_waiting_for_lock, closing)
    waited = closing.is_alive()
    release.set()
    write.join(timeout=60)
    closing.join(timeout=60)
    assert not errors, errors
    assert waited, "the close did not wait for the write billed to its month"
    if writer == "import":
        assert _all_billed_work_invoiced() == (5, 5)
    else:  # a registered case is the payment of a payslip line, not billed on its own; billed to the month
        assert _all_billed_work_invoiced() == (3, 3)
        assert PayrollCase.objects.get(pk=month["case"].pk).billing_period == MONTH
