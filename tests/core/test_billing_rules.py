"""The billing calendar and the month lock (core.billing) as the rules they carry: work of a closed
month is billed in the first open month after it, and a write takes the month's lock shared while the
close takes it exclusively (PostgreSQL advisory locks, keyed per month)."""

import contextlib

import pytest

from core import billing
from core.models import ClosedPeriod

pytestmark = pytest.mark.django_db


def _close(*periods):
    for period in periods:
        ClosedPeriod.objects.create(period=period)


class _RecordingPostgres:
    """Stands in for a PostgreSQL connection: records the lock statements sent to it."""

    vendor = "postgresql"

    def __init__(self, *, in_atomic_block=True):
        self.in_atomic_block = in_atomic_block
        self.statements = []

    @contextlib.contextmanager
    def cursor(self):
        yield self

    def execute(self, sql, params):
        self.statements.append((sql, params))


@pytest.fixture
def postgres(monkeypatch):
    connection = _RecordingPostgres()
    monkeypatch.setattr(billing, "connection", connection)
    return connection


def _shared(period):
    return ("SELECT pg_advisory_xact_lock_shared(%s, %s)", [billing.LOCK_CLASS, billing.month_lock_key(period)])


def test_work_of_a_closed_month_is_billed_in_the_first_open_month_after_it():
    _close("2012-01", "2012-03", "2012-04", "2012-06")
    assert billing.open_billing_period("2012-03") == "2012-05"
    assert billing.open_billing_period("2012-02") == "2012-02"


def test_a_write_billed_to_a_closed_month_locks_each_month_it_passes_shared(postgres):
    _close("2012-03", "2012-04")
    assert billing.billing_period_for_write("2012-03") == "2012-05"
    assert postgres.statements == [_shared("2012-03"), _shared("2012-04"), _shared("2012-05")]


def test_the_close_takes_its_months_lock_exclusively(postgres):
    billing.lock_month("2012-03")
    billing.lock_month("2012-04", shared=True)
    assert postgres.statements == [
        ("SELECT pg_advisory_xact_lock(%s, %s)", [billing.LOCK_CLASS, billing.month_lock_key("2012-03")]),
        _shared("2012-04"),
    ]


def test_the_month_lock_is_taken_only_inside_a_transaction(monkeypatch):
    monkeypatch.setattr(billing, "connection", _RecordingPostgres(in_atomic_block=False))
    with pytest.raises(RuntimeError) as refused:
        billing.lock_month("2012-03")
    assert str(refused.value) == "the month lock is held to the end of a transaction: take it inside one"


def test_every_month_has_its_own_lock_key_that_fits_postgresqls_int_key():
    keys = {billing.month_lock_key(f"{year}-{month:02d}") for year in (2012, 2013) for month in range(1, 13)}
    assert len(keys) == 24
    assert all(0 <= key <= 2**31 - 1 for key in keys)


def test_closed_periods_are_listed_newest_first():
    assert billing.latest_closed_period() is None
    _close("2012-03", "2012-01", "2012-04")
    assert billing.closed_periods() == ["2012-04", "2012-03", "2012-01"]
    assert billing.latest_closed_period() == "2012-04"
    assert billing.is_period_closed("2012-03") and not billing.is_period_closed("2012-02")
