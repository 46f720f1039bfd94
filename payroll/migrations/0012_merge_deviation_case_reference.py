"""Deviations' reference to a case: on PostgreSQL payroll 0010_partition_payroll_cases turned its
foreign key into triggers, as for every table that refers to a case; the state says so. Nothing
changes in the database (SQLite keeps its key)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payroll", "0010_case_employee_name"),
        ("payroll", "0010_partition_payroll_cases"),
        ("payroll", "0011_handler_figures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="deviation",
                    name="case",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deviations",
                        to="payroll.payrollcase",
                        verbose_name="case",
                    ),
                ),
            ],
        ),
    ]
