"""The payroll case table is partitioned on PostgreSQL (payroll 0010), which replaced this foreign
key there by triggers: the state says so. Nothing changes in the database (SQLite keeps its key)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_mail_log"),
        ("payroll", "0010_partition_payroll_cases"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="mailitem",
                    name="payroll_case",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="payroll.payrollcase",
                        verbose_name="payroll case",
                    ),
                ),
            ],
        ),
    ]
