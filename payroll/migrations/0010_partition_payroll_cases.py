"""Payroll cases partitioned by pay period on PostgreSQL (see payroll/partitions.py).

The existing table becomes a partitioned table of the same name, columns, indexes, constraints and
identity sequence, with one partition a month that has cases and a default partition; the rows are
copied over (one INSERT … SELECT, the indexes built afterwards). The primary key becomes
``(id, period)``. Every table that refers to a case (payroll's
status changes, returns, documents, notes and control checks; register's flags; certificates' mail
log) loses its foreign key (a partitioned table's key must hold the period) and gets triggers that
check the same thing (register 0002 and certificates 0003 record ``db_constraint=False`` for theirs).

SQLite keeps its single table and its foreign keys: only the migration state changes there
(``db_constraint=False`` on the references, which is what PostgreSQL then holds).
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "payroll_payrollcase"
OLD = "payroll_payrollcase_unpartitioned"
MUST_EXIST = f"""
CREATE OR REPLACE FUNCTION payroll_case_must_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    case_id bigint;
    still_there integer;
BEGIN
    EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) USING NEW INTO case_id;
    IF case_id IS NULL THEN
        RETURN NULL;
    END IF;
    -- Checked when the transaction commits: a row deleted or changed since is not this row's concern
    -- (as a foreign key, which checks only rows still there).
    EXECUTE format('SELECT 1 FROM %I WHERE id = $1 AND %I = $2', TG_TABLE_NAME, TG_ARGV[0])
        USING NEW.id, case_id;
    GET DIAGNOSTICS still_there = ROW_COUNT;
    IF still_there = 0 THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM {TABLE} WHERE id = case_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('insert or update on table "%s" violates the reference to a payroll case',
                             TG_TABLE_NAME),
            DETAIL = format('Key (%s)=(%s) is not present in table "{TABLE}".', TG_ARGV[0], case_id);
    END IF;
    RETURN NULL;
END $$;
"""


def triggers(referring: list[tuple[str, str]]) -> str:
    """The triggers that stand in for the foreign keys of ``referring`` (table, column) to a case."""
    checks = "".join(
        f"""
    SELECT r.{column} INTO found_id FROM {table} r JOIN gone g ON g.id = r.{column}
        WHERE NOT EXISTS (SELECT 1 FROM {TABLE} c WHERE c.id = g.id) LIMIT 1;
    IF found_id IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = 'delete on table "{TABLE}" violates the reference from table "{table}"',
            DETAIL = format('Key (id)=(%s) is still referenced from table "{table}".', found_id);
    END IF;"""
        for table, column in referring
    )
    sql = (
        MUST_EXIST
        + f"""
CREATE OR REPLACE FUNCTION payroll_case_not_referred_to() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    found_id bigint;
BEGIN{checks}
    RETURN NULL;
END $$;

CREATE TRIGGER payroll_case_not_referred_to AFTER DELETE ON {TABLE}
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION payroll_case_not_referred_to();
"""
    )
    for table, column in referring:
        sql += f"""
CREATE CONSTRAINT TRIGGER payroll_case_must_exist AFTER INSERT OR UPDATE OF {column} ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION payroll_case_must_exist('{column}');
"""
    return sql


def _referring(cursor) -> list[tuple[str, str]]:
    """(table, column) of every table with a case trigger."""
    cursor.execute(
        "SELECT tgrelid::regclass::text, encode(tgargs, 'escape') FROM pg_trigger WHERE tgname = 'payroll_case_must_exist'"
    )
    return sorted((table, args.split("\\000")[0]) for table, args in cursor.fetchall())


def partition_name(period: str) -> str:
    return f"{TABLE}_p{period[:4]}_{period[5:7]}"


def _relkind(cursor, name):
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [name])
    row = cursor.fetchone()
    return row[0] if row else None


def _definitions(cursor, table):
    """(index statements, constraint (name, definition)) of ``table`` but its primary key."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = to_regclass(%s) AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u')) "
        "ORDER BY i.relname",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
        "AND contype IN ('c', 'f', 'u') ORDER BY conname",
        [table],
    )
    return indexes, cursor.fetchall()


def _move(cursor, *, partitioned: bool):
    """Rebuild ``TABLE`` as a partitioned table (or back as a plain one) with the same rows, columns,
    identity, indexes and constraints."""
    indexes, constraints = _definitions(cursor, TABLE)
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM " + TABLE)
    last_id = cursor.fetchone()[0]
    cursor.execute(f"SELECT pg_get_serial_sequence('{TABLE}', 'id')")
    sequence = cursor.fetchone()[0]
    if sequence:
        cursor.execute(f"SELECT last_value FROM {sequence}")
        last_id = max(last_id, cursor.fetchone()[0])
    cursor.execute(f"SELECT DISTINCT period FROM {TABLE} ORDER BY period")
    periods = [row[0] for row in cursor.fetchall()]

    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    for name, _definition in constraints:
        cursor.execute(f"ALTER TABLE {OLD} DROP CONSTRAINT {name}")
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype = 'p'",
        [OLD],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"ALTER TABLE {OLD} DROP CONSTRAINT {name}")
    cursor.execute(f"ALTER TABLE {OLD} ALTER COLUMN id DROP IDENTITY IF EXISTS")

    tail = " PARTITION BY LIST (period)" if partitioned else ""
    cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING STORAGE){tail}")
    cursor.execute(
        f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH {last_id + 1})"
    )
    if partitioned:
        for period in periods:
            cursor.execute(f"CREATE TABLE {partition_name(period)} PARTITION OF {TABLE} FOR VALUES IN (%s)", [period])
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")
    cursor.execute(f"DROP TABLE {OLD}")
    cursor.execute(f"ALTER TABLE {TABLE} ADD PRIMARY KEY ({'id, period' if partitioned else 'id'})")
    for _name, definition in indexes:
        cursor.execute(definition.replace(" ON ONLY ", " ON "))
    for name, definition in constraints:
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if _relkind(cursor, TABLE) == "p":
            return
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, a.attname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "WHERE c.confrelid = to_regclass(%s) AND c.contype = 'f' ORDER BY 1",
            [TABLE],
        )
        referring = []
        for table, name, column in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            referring.append((table, column))
        _move(cursor, partitioned=True)
        cursor.execute(triggers(referring))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if _relkind(cursor, TABLE) != "p":
            return
        referring = _referring(cursor)
        for table, _column in referring:
            cursor.execute(f"DROP TRIGGER payroll_case_must_exist ON {table}")
        cursor.execute(f"DROP TRIGGER payroll_case_not_referred_to ON {TABLE}")
        cursor.execute("DROP FUNCTION payroll_case_must_exist(); DROP FUNCTION payroll_case_not_referred_to()")
        _move(cursor, partitioned=False)
        for table, column in referring:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {table}_{column}_fk_{TABLE}_id "
                f"FOREIGN KEY ({column}) REFERENCES {TABLE} (id) DEFERRABLE INITIALLY DEFERRED"
            )


def case_reference(on_delete, related_name):
    return models.ForeignKey(
        db_constraint=False,
        on_delete=on_delete,
        related_name=related_name,
        to="payroll.payrollcase",
        verbose_name="case",
    )


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("payroll", "0009_merge_20261202_0437"),
        # Deviations refer to a case too: their key is made before, and turned into triggers here.
        ("payroll", "0010_deviations"),
        # They make foreign keys to the case table, which this migration turns into triggers.
        ("register", "0001_initial"),
        ("certificates", "0002_mail_log"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="statuschange",
                    name="case",
                    field=case_reference(django.db.models.deletion.CASCADE, "status_changes"),
                ),
                migrations.AlterField(
                    model_name="casereturn",
                    name="case",
                    field=case_reference(django.db.models.deletion.PROTECT, "returns"),
                ),
                migrations.AlterField(
                    model_name="casedocument",
                    name="case",
                    field=case_reference(django.db.models.deletion.PROTECT, "documents"),
                ),
                migrations.AlterField(
                    model_name="casenote",
                    name="case",
                    field=case_reference(django.db.models.deletion.PROTECT, "notes"),
                ),
                migrations.AlterField(
                    model_name="controlcheck",
                    name="case",
                    field=case_reference(django.db.models.deletion.PROTECT, "control_checks"),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards, elidable=False)],
        ),
    ]
