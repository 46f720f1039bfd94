"""The payslip import's staging table: the checked rows of one file, loaded in batches (PostgreSQL
``COPY``, batched inserts on SQLite) so memory stays flat, checked by SQL for duplicates, and
written with one ``INSERT … SELECT`` (``payroll.imports`` runs these steps)."""

import logging
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.billing import billing_period_for_write, open_billing_period
from core.csvimport import MAX_ERRORS, RowError
from customers.models import Agency
from people.models import Person

from . import partitions
from .models import Channel, PayrollCase, PayslipImport

logger = logging.getLogger(__name__)

BATCH_ROWS = 5000
# Memory each sort and hash of the import's queries may take on PostgreSQL (its default, 4 MB, makes a
# 500,000-row file's sort by line spill to disk, and the join with 500,000 people run in batches).
WORK_MEM = "64MB"
STAGING = "payroll_import_staging"
STAGING_COLUMNS = ("line", "agency_id", "period", "billing_period", "payslip_id", "personnummer", "channel")


# --- the staging table -------------------------------------------------------------------------------


class staging_table:
    """A temporary table for the rows of one import, dropped afterwards whatever happens; on
    PostgreSQL the session's ``work_mem`` is ``WORK_MEM`` meanwhile."""

    def __enter__(self):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SET work_mem = '{WORK_MEM}'")
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} (line integer NOT NULL, agency_id bigint NOT NULL, "
                "period varchar(7) NOT NULL, billing_period varchar(7) NOT NULL, payslip_id varchar(40) NOT NULL, "
                "personnummer varchar(13) NOT NULL, channel varchar(20) NOT NULL)"
            )
        return self

    def __exit__(self, *exc_info):
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
                if connection.vendor == "postgresql":
                    cursor.execute("RESET work_mem")
        except Exception:  # the connection is broken; the temporary table goes with it
            logger.warning("could not drop %s", STAGING, exc_info=True)
        return False


def load_staging(rows: Iterable[tuple]) -> None:
    """Append rows (in STAGING_COLUMNS order) to the staging table: COPY on PostgreSQL."""
    rows = list(rows)
    if not rows:
        return
    columns = ", ".join(STAGING_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(STAGING_COLUMNS))
            cursor.executemany(f"INSERT INTO {STAGING} ({columns}) VALUES ({placeholders})", rows)


def analyze_staging() -> None:
    """Give PostgreSQL's planner the staging table's statistics (temporary tables get none by
    themselves), so that the checks and the insert join by hash rather than row by row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {STAGING}")


# --- writing -------------------------------------------------------------------------------------------


class _Param:
    """A value bound as a query parameter in a set-based insert."""

    def __init__(self, value):
        self.value = value


def _insert_parts(model, explicit: dict) -> tuple[list[str], list[str], list]:
    """Column names, SQL expressions and parameters for a set-based insert into ``model``.

    ``explicit`` maps a column to an SQL expression (str) or a bound ``_Param``; every
    other field takes its model default (``auto_now_add``: now), so a field added to the
    model later cannot be forgotten here.
    """
    columns, expressions, params = [], [], []
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        given = explicit.get(field.column)
        if isinstance(given, str):
            expressions.append(given)
            continue
        if isinstance(given, _Param):
            value = given.value
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
            if value is None and not field.null:
                raise ImproperlyConfigured(f"{model.__name__}.{field.name} needs a value in the bulk import")
        expressions.append("%s")
        params.append(field.get_db_prep_save(value, connection))
    return columns, expressions, params


def upsert_people() -> None:
    """Every staged personal identity number as a Person: people.services' rule in bulk for a file
    without names (a new number becomes a person, a known person is kept as is). Set-based SQL
    for 50,000 rows a month, so these creations write no history rows."""
    table = connection.ops.quote_name(Person._meta.db_table)
    columns, expressions, params = _insert_parts(Person, {"personnummer": "s.personnummer"})
    # Most employees are paid every month: skip the known ones by an anti-join rather than
    # letting each of them hit the unique index as a conflict.
    select = (
        f"SELECT {', '.join(expressions)} FROM (SELECT DISTINCT personnummer FROM {STAGING}) s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} p WHERE p.personnummer = s.personnummer)"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) {select} ON CONFLICT (personnummer) DO NOTHING", params
            )
        else:
            cursor.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) {select}", params)


def insert_cases(job: PayslipImport) -> int:
    """The staged rows as completed, imported cases of ``job``, in the file's order."""
    columns, expressions, params = _insert_parts(
        PayrollCase,
        {
            "agency_id": "s.agency_id",
            "period": "s.period",
            "billing_period": "s.billing_period",
            "payslip_id": "s.payslip_id",
            "channel": "s.channel",
            "person_id": "p.id",
            # The agency's own payslip names its employee: the case keeps the register's name.
            "employee_name": "p.name",
            "source": _Param(PayrollCase.Source.IMPORT.value),
            "status": _Param(PayrollCase.Status.COMPLETED.value),
            "import_batch_id": _Param(job.pk),
        },
    )
    table = connection.ops.quote_name(PayrollCase._meta.db_table)
    people = connection.ops.quote_name(Person._meta.db_table)
    months = partitions.partitions()
    if not months:
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {STAGING} s "
            f"JOIN {people} p ON p.personnummer = s.personnummer ORDER BY s.line"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount
    # Partitioned: each month straight into its partition (made by ensure_partitions before the
    # transaction), ids from the table's one sequence (a partition has no identity of its own).
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_get_serial_sequence('{PayrollCase._meta.db_table}', 'id')")
        sequence = cursor.fetchone()[0]
        for period in staged_periods():
            target = months.get(period, partitions.DEFAULT_PARTITION)
            cursor.execute(
                f"INSERT INTO {target} (id, {', '.join(columns)}) SELECT nextval(%s), {', '.join(expressions)} "
                f"FROM {STAGING} s JOIN {people} p ON p.personnummer = s.personnummer "
                "WHERE s.period = %s ORDER BY s.line",
                [sequence, *params, period],
            )
            written += cursor.rowcount
    return written


def staged_periods() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT period FROM {STAGING} ORDER BY period")
        return [row[0] for row in cursor.fetchall()]


def staged_summary() -> list[dict]:
    """Rows per agency and channel, as the job keeps them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT agency_id, channel, COUNT(*) FROM {STAGING} GROUP BY agency_id, channel")
        counts = cursor.fetchall()
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={row[0] for row in counts})}
    labels = dict(Channel.choices)
    rows = [
        {
            "agency": agencies[agency_id].code,
            "agency_name": agencies[agency_id].name,
            "channel": channel,
            "channel_label": str(labels.get(channel, channel)),
            "rows": n,
        }
        for agency_id, channel, n in counts
    ]
    return sorted(rows, key=lambda r: (r["agency"], Channel.values.index(r["channel"])))


# --- checks across rows ------------------------------------------------------------------------------


def duplicates_in_file() -> list[RowError]:
    sql = f"""
        SELECT s.line, d.first_line, s.payslip_id FROM {STAGING} s
        JOIN (SELECT agency_id, period, payslip_id, MIN(line) AS first_line FROM {STAGING}
              GROUP BY agency_id, period, payslip_id HAVING COUNT(*) > 1) d
          ON s.agency_id = d.agency_id AND s.period = d.period AND s.payslip_id = d.payslip_id
        WHERE s.line > d.first_line ORDER BY s.line LIMIT {MAX_ERRORS + 1}"""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [
            RowError(
                line,
                "payslip_id",
                _("payslip %(id)s appears twice in the file (first on row %(first)s)") % {"id": pid, "first": first},
            )
            for line, first, pid in cursor.fetchall()
        ]


def already_imported() -> list[RowError]:
    table = PayrollCase._meta.db_table
    # The file's months spelt out: PostgreSQL reads only their partitions (not every month's index for each row).
    periods = staged_periods()
    if not periods:
        return []
    placeholders = ", ".join(["%s"] * len(periods))
    sql = f"""
        SELECT s.line, s.payslip_id FROM {STAGING} s
        JOIN {table} c ON c.agency_id = s.agency_id AND c.period = s.period AND c.payslip_id = s.payslip_id
        WHERE c.payslip_id <> '' AND c.period IN ({placeholders}) ORDER BY s.line LIMIT {MAX_ERRORS + 1}"""
    with connection.cursor() as cursor:
        cursor.execute(sql, periods)
        return [
            RowError(
                line,
                "payslip_id",
                _("payslip %(id)s of this agency and period is already imported") % {"id": pid},
            )
            for line, pid in cursor.fetchall()
        ]


# --- writing ---------------------------------------------------------------------------------------------


def assign_billing_periods() -> None:
    """The staged rows' billing periods, set again under the month lock (``core.billing``) in the
    import's transaction: a month closed since the file was checked, or being closed now (this
    waits for it), bills them to the next open month, so they are never left out of an invoice."""
    with connection.cursor() as cursor:
        for period in staged_periods():
            billing_period = billing_period_for_write(period)
            cursor.execute(f"UPDATE {STAGING} SET billing_period = %s WHERE period = %s", [billing_period, period])


def write_staged(job: PayslipImport) -> int:
    """People upserted and cases inserted from the staged rows (call inside the import's transaction)."""
    assign_billing_periods()
    upsert_people()
    return insert_cases(job)


# --- demo data ----------------------------------------------------------------------------------------


def write_generated_rows(*, job: PayslipImport, rows: Iterable[tuple]) -> int:
    """Write trusted, generated rows ``(agency_id, period, payslip_id, personnummer, channel)``
    through the import's bulk path without checking them (the demo's year of volumes)."""
    count = 0
    billing_periods: dict[str, str] = {}
    with staging_table():
        batch = []
        for agency_id, period, payslip_id, number, channel in rows:
            count += 1
            if period not in billing_periods:
                billing_periods[period] = open_billing_period(period)
            batch.append((count + 1, agency_id, period, billing_periods[period], payslip_id, number, channel))
            if len(batch) >= BATCH_ROWS * 4:
                load_staging(batch)
                batch.clear()
        load_staging(batch)
        analyze_staging()
        summary = staged_summary()
        partitions.ensure_partitions(staged_periods())
        with transaction.atomic():
            written = write_staged(job)
            PayslipImport.objects.filter(pk=job.pk).update(
                status=PayslipImport.Status.DONE,
                rows_imported=written,
                summary=summary,
                errors=[],
                progress=100,
                finished_at=timezone.now(),
            )
    return count
