"""The live payslip counts (``PayslipCount``): completed cases per pay period, agency and channel,
kept by triggers on the case table so that every write, whichever path makes it (the import's
``INSERT … SELECT`` into a partition, COPY, a service, the admin), changes the count in its own
transaction.

PostgreSQL: statement-level triggers with transition tables, one aggregate a statement (a
500,000-row import is one ``INSERT … ON CONFLICT`` of a few thousand groups, not a row at a time).
A statement names the partitioned table or one partition, and only that table's statement
triggers fire: every partition carries them too (``add_partition_triggers``, called when a
partition is made). SQLite (development, tests): row-level triggers, re-made after every migrate
(``ensure_triggers``) because SQLite rebuilds a table it alters and loses its triggers.
"""

from django.db import connections

TABLE = "payroll_payrollcase"
COUNTS = "payroll_payslipcount"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION payroll_payslipcount_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {COUNTS} (period, agency_id, channel, payslips)
        SELECT period, agency_id, channel, count(*) FROM new_rows WHERE status = 'completed'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (period, agency_id, channel) DO UPDATE SET payslips = {COUNTS}.payslips + EXCLUDED.payslips;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE {COUNTS} c SET payslips = c.payslips - d.n
        FROM (SELECT period, agency_id, channel, count(*) AS n FROM old_rows WHERE status = 'completed'
              GROUP BY 1, 2, 3) d
        WHERE c.period = d.period AND c.agency_id = d.agency_id AND c.channel = d.channel;
    ELSE
        INSERT INTO {COUNTS} (period, agency_id, channel, payslips)
        SELECT period, agency_id, channel, sum(n) FROM (
            SELECT period, agency_id, channel, 1 AS n FROM new_rows WHERE status = 'completed'
            UNION ALL
            SELECT period, agency_id, channel, -1 FROM old_rows WHERE status = 'completed'
        ) d GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (period, agency_id, channel) DO UPDATE SET payslips = {COUNTS}.payslips + EXCLUDED.payslips;
    END IF;
    RETURN NULL;
END
$$
"""

_PG_TRIGGERS = [
    ("payslipcount_insert", "INSERT", "REFERENCING NEW TABLE AS new_rows"),
    ("payslipcount_update", "UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("payslipcount_delete", "DELETE", "REFERENCING OLD TABLE AS old_rows"),
]

_KEY = "period = {row}.period AND agency_id = {row}.agency_id AND channel = {row}.channel"
_ADD_NEW = (
    f"INSERT INTO {COUNTS} (period, agency_id, channel, payslips) "
    "SELECT NEW.period, NEW.agency_id, NEW.channel, 1 WHERE NEW.status = 'completed' "
    "ON CONFLICT (period, agency_id, channel) DO UPDATE SET payslips = payslips + 1;"
)
_TAKE_OLD = f"UPDATE {COUNTS} SET payslips = payslips - 1 WHERE OLD.status = 'completed' AND {_KEY.format(row='OLD')};"
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS payslipcount_insert AFTER INSERT ON {TABLE} "
    f"WHEN NEW.status = 'completed' BEGIN {_ADD_NEW} END",
    f"CREATE TRIGGER IF NOT EXISTS payslipcount_update AFTER UPDATE OF status, period, agency_id, channel ON {TABLE} "
    f"WHEN OLD.status = 'completed' OR NEW.status = 'completed' BEGIN {_TAKE_OLD} {_ADD_NEW} END",
    f"CREATE TRIGGER IF NOT EXISTS payslipcount_delete AFTER DELETE ON {TABLE} "
    f"WHEN OLD.status = 'completed' BEGIN {_TAKE_OLD} END",
]


def add_partition_triggers(cursor, table: str) -> None:
    """The count triggers on ``table`` (the partitioned table or one of its partitions), PostgreSQL."""
    for name, event, referencing in _PG_TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        cursor.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} {referencing} "
            "FOR EACH STATEMENT EXECUTE FUNCTION payroll_payslipcount_apply()"
        )


def ensure_triggers(using=None) -> None:
    """Make the triggers where they are missing (the case table, and on PostgreSQL every partition)."""
    conn = connections[using or "default"]
    tables = conn.introspection.table_names()
    if COUNTS not in tables or TABLE not in tables:
        return
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
            cursor.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = to_regclass(%s)",
                [TABLE],
            )
            for table in [TABLE, *(name for (name,) in cursor.fetchall())]:
                add_partition_triggers(cursor, table)
        elif conn.vendor == "sqlite":
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)


def recount(using=None) -> None:
    """Every count from the cases (the migration that makes the table; a repair)."""
    conn = connections[using or "default"]
    with conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNTS}")
        cursor.execute(
            f"INSERT INTO {COUNTS} (period, agency_id, channel, payslips) "
            f"SELECT period, agency_id, channel, COUNT(*) FROM {TABLE} WHERE status = 'completed' "
            "GROUP BY period, agency_id, channel"
        )
