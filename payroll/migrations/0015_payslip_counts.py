import django.db.models.deletion
from django.db import migrations, models


def triggers_and_counts(apps, schema_editor):
    from payroll import counts

    counts.ensure_triggers(schema_editor.connection.alias)
    counts.recount(schema_editor.connection.alias)


def drop_triggers(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS payroll_payslipcount_apply() CASCADE")
        else:
            for name in ("payslipcount_insert", "payslipcount_update", "payslipcount_delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0017_notice_dispute_answered'),
        ('payroll', '0014_merge_20261202_0816'),
    ]

    operations = [
        migrations.CreateModel(
            name='PayslipCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.CharField(max_length=7, verbose_name='period')),
                ('channel', models.CharField(max_length=20, verbose_name='channel')),
                ('payslips', models.IntegerField(default=0, verbose_name='payslips')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='customers.agency', verbose_name='agency')),
            ],
            options={
                'verbose_name': 'payslip count',
                'verbose_name_plural': 'payslip counts',
                'constraints': [models.UniqueConstraint(fields=('period', 'agency', 'channel'), name='payslipcount_unique')],
            },
        ),
        # The triggers that keep the counts (payroll.counts), then the counts of the cases already there.
        migrations.RunPython(triggers_and_counts, drop_triggers),
    ]
