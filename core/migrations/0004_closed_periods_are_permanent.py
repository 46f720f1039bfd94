"""Closed billing periods are permanent in the database too (PostgreSQL): UPDATE and DELETE are
refused. A deleted closed period could never be closed again and work billed to it was never invoiced."""

from django.db import migrations

TABLE = "core_closedperiod"

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION core_refuse_closed_period_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'closed billing periods cannot be changed or deleted (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: the model, its queryset and the admin site refuse it
    schema_editor.execute(CREATE_FUNCTION, params=None)
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_permanent BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION core_refuse_closed_period_change();"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_permanent ON {TABLE};")
    schema_editor.execute("DROP FUNCTION IF EXISTS core_refuse_closed_period_change();")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_upload")]

    operations = [migrations.RunPython(add_trigger, drop_trigger)]
