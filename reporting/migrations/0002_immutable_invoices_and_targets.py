"""Issued invoices are immutable in the database too (PostgreSQL): UPDATE and DELETE are refused."""

from django.db import migrations

TABLES = ["reporting_invoice", "reporting_invoiceline"]

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION reporting_refuse_invoice_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'issued invoices cannot be changed or deleted (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: the model and service layers refuse changes
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION reporting_refuse_invoice_change();"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS reporting_refuse_invoice_change();")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [
        migrations.RunPython(add_triggers, drop_triggers),
    ]
