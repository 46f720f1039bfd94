"""The payroll case table partitioned by pay period (PostgreSQL declarative partitioning, LIST on
``period``): one partition a month, ``payroll_payrollcase_pYYYY_MM``, and a default partition for a
case of a month that has none yet (moved out when its month's partition is made).

On PostgreSQL the primary key is ``(id, period)`` (a partitioned table's unique keys must hold the
partition key); ``id`` stays unique by itself, taken from the table's one identity sequence. The
tables that refer to a case (status changes, returns, documents, notes, control checks) cannot
have a foreign key to a partitioned table without the period, so their references are checked by
triggers instead (migration payroll 0010): a reference to a case that does not exist, or deleting
a case that is still referred to, is refused with SQLSTATE 23503 as a foreign key would.
A new model that refers to a case needs ``db_constraint=False`` and the two triggers of migration
payroll 0010 on its table (a foreign key to the partitioned table fails on PostgreSQL: "there is
no unique constraint matching given keys").

Partitions are made on demand: by the import for the months of its file (before its one write
transaction), and ahead of time by the monthly maintenance (``manage.py case_partitions``,
Celery beat). Retention drops whole partitions: a month older than the retention limit whose cases
are all finished and billed in closed months goes with its dependent rows in one transaction.
On SQLite (development, tests) there is one table; making partitions does nothing and retention
deletes the month's rows instead, so the rule is the same everywhere.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from core.periods import PERIOD_RE, current_period, next_period

from . import counts
from .models import PayrollCase, PayslipCount

logger = logging.getLogger(__name__)

TABLE = "payroll_payrollcase"
DEFAULT_PARTITION = f"{TABLE}_default"
# Months ahead the maintenance makes partitions for (manual cases may be registered early).
MONTHS_AHEAD = 3
# Cases are kept this many full calendar years after their pay period's year (accounting records:
# seven years after the year, Bokföringslagen 7:2; a margin on top).
DEFAULT_RETENTION_YEARS = 10


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def partition_name(period: str) -> str:
    if not PERIOD_RE.match(period):
        raise ValueError(f"not a pay period: {period!r}")
    return f"{TABLE}_p{period[:4]}_{period[5:7]}"


def partitions() -> dict[str, str]:
    """Pay period → partition table, oldest first (the default partition left out)."""
    if not is_partitioned():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)",
            [TABLE],
        )
        rows = cursor.fetchall()
    found = {}
    for name, bound in rows:
        if bound == "DEFAULT":
            continue
        # FOR VALUES IN ('2026-09')
        period = bound.split("'")[1]
        found[period] = name
    return dict(sorted(found.items()))


def ensure_partitions(periods) -> list[str]:
    """Make the partitions of ``periods`` that are missing; returns the periods made. Rows of such
    a month in the default partition are moved into its new partition. Runs in its own short
    transactions (a new partition locks the table briefly): call it before a long write."""
    if not is_partitioned():
        return []
    existing = partitions()
    made = []
    for period in sorted(set(periods)):
        if period in existing:
            continue
        name = partition_name(period)
        with transaction.atomic(), connection.cursor() as cursor:
            # One maker at a time; another import may have made it since.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [TABLE])
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is not None:
                continue
            cursor.execute(f"SELECT 1 FROM {DEFAULT_PARTITION} WHERE period = %s LIMIT 1", [period])
            # A partition carries the payslip counts' statement triggers (payroll.counts): a write that
            # names the partition fires its own, not the partitioned table's.
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES IN (%s)", [period])
                counts.add_partition_triggers(cursor, name)
            else:
                # Counted in before the month's rows leave the default partition (counted out there).
                cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
                counts.add_partition_triggers(cursor, name)
                cursor.execute(f"INSERT INTO {name} SELECT * FROM {DEFAULT_PARTITION} WHERE period = %s", [period])
                cursor.execute(f"DELETE FROM {DEFAULT_PARTITION} WHERE period = %s", [period])
                cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES IN (%s)", [period])
        made.append(period)
        logger.info("payroll case partition %s made", name)
    return made


def ensure_upcoming(*, today_period: str | None = None) -> list[str]:
    """This month's partition and the next ``MONTHS_AHEAD`` months' (the monthly maintenance)."""
    period = today_period or current_period()
    periods = [period]
    for _i in range(MONTHS_AHEAD):
        period = next_period(period)
        periods.append(period)
    return ensure_partitions(periods)


# --- retention ---------------------------------------------------------------------------------------


@dataclass
class Dropped:
    period: str
    cases: int
    dependent_rows: int


def retention_cutoff(*, today_period: str | None = None, years: int | None = None) -> str:
    """The first pay period kept: January of the year ``years`` before this one."""
    if years is None:
        years = getattr(settings, "PAYROLL_CASE_RETENTION_YEARS", DEFAULT_RETENTION_YEARS)
    year = int((today_period or current_period())[:4]) - years
    return f"{year:04d}-01"


def _dependents():
    """(model, case column) for every model that refers to a payroll case, history models included."""
    found = []
    for relation in PayrollCase._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and relation.field.many_to_one:
            found.append((relation.related_model, relation.field.column))
    return found


def expired_periods(cutoff: str) -> list[str]:
    """Months before ``cutoff`` that may go: every case finished, and billed in a closed month."""
    from core.models import ClosedPeriod

    closed = set(ClosedPeriod.objects.values_list("period", flat=True))
    rows = (
        PayrollCase.objects.filter(period__lt=cutoff)
        .values_list("period", "billing_period", "status")
        .distinct()
        .order_by()
    )
    periods: dict[str, bool] = {}
    for period, billing_period, status in rows.iterator():
        keep = status in PayrollCase.OPEN_STATUSES or billing_period not in closed
        periods[period] = periods.get(period, True) and not keep
    if is_partitioned():
        for period in partitions():
            if period < cutoff and period not in periods:
                periods[period] = True  # an empty partition
    return sorted(p for p, ok in periods.items() if ok)


def drop_expired(*, cutoff: str, dry_run: bool = False) -> list[Dropped]:
    """Remove every expired month (``expired_periods``): its partition dropped on PostgreSQL, its
    rows deleted on SQLite, the rows that refer to its cases deleted first, in one transaction a month."""
    dropped = []
    existing = partitions()
    for period in expired_periods(cutoff):
        cases = PayrollCase.objects.filter(period=period)
        with transaction.atomic():
            count = cases.count()
            dependent = 0
            for model, column in _dependents():
                rows = model._base_manager.filter(**{f"{column}__in": cases.values("id")})
                dependent += rows.count() if dry_run else rows._raw_delete(rows.db)
            if not dry_run:
                history = PayrollCase.history.model
                history._base_manager.filter(period=period).delete()
                if period in existing:
                    with connection.cursor() as cursor:
                        cursor.execute(f"DROP TABLE {existing[period]}")
                else:
                    cases._raw_delete(cases.db)
                # A dropped table fires no trigger: the month's payslip counts go with it.
                PayslipCount.objects.filter(period=period).delete()
        dropped.append(Dropped(period, count, dependent))
        logger.info("payroll cases of %s removed (%s cases, %s rows referring to them)", period, count, dependent)
    return dropped
