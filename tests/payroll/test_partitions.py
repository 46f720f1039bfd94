"""Payroll cases partitioned by pay period (payroll.partitions, migration payroll 0010): a partition
a month, made by the import and by the maintenance; rows land in their month's partition; the
triggers stand in for the foreign keys to a case; retention drops whole months.

The partition tests need PostgreSQL; the retention rule (which months go, with the rows that
refer to their cases) is checked on SQLite too, where the month's rows are deleted."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from core.models import ClosedPeriod
from payroll import partitions
from payroll.models import PayrollCase, StatusChange
from tests import factories
from tests.payroll.helpers import generated_file, run_import


def _table_of(case_ids) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tableoid::regclass::text FROM payroll_payrollcase WHERE id = ANY(%s)", [case_ids]
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_import_makes_its_months_partition_and_writes_into_it(unit):
    agencies = [factories.AgencyFactory(code=f"P{i}", unit=unit).code for i in range(3)]
    assert partitions.is_partitioned()
    # Partitions outlive the rows of earlier tests (a flush empties them): start without these months'.
    with connection.cursor() as cursor:
        for period in ("2012-03", "2012-04"):
            cursor.execute(f"DROP TABLE IF EXISTS {partitions.partition_name(period)}")
    assert "2012-03" not in partitions.partitions()

    job = run_import(generated_file(agencies, 300, period="2012-03"))

    assert job.status == "done", job.errors[:3]
    assert partitions.partitions()["2012-03"] == "payroll_payrollcase_p2012_03"
    ids = list(PayrollCase.objects.filter(import_batch=job).values_list("id", flat=True))
    assert len(ids) == 300
    assert _table_of(ids) == {"payroll_payrollcase_p2012_03"}
    # Ids stay unique over the whole table: the next month's import continues the one sequence.
    second = run_import(generated_file(agencies, 10, period="2012-04", start=300))
    later = list(PayrollCase.objects.filter(import_batch=second).values_list("id", flat=True))
    assert _table_of(later) == {"payroll_payrollcase_p2012_04"}
    assert min(later) > max(ids)
    assert PayrollCase.objects.count() == 310


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_case_of_a_month_without_partition_waits_in_the_default_one_and_moves_when_it_is_made():
    case = factories.PayrollCaseFactory(period="2031-05")
    assert _table_of([case.pk]) == {partitions.DEFAULT_PARTITION}

    assert partitions.ensure_partitions(["2031-05", "2031-06"]) == ["2031-05", "2031-06"]
    assert partitions.ensure_partitions(["2031-05"]) == []  # already there

    assert _table_of([case.pk]) == {"payroll_payrollcase_p2031_05"}
    assert PayrollCase.objects.get(pk=case.pk).period == "2031-05"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_maintenance_makes_this_and_the_coming_months_partitions():
    made = partitions.ensure_upcoming(today_period="2030-11")
    assert made == ["2030-11", "2030-12", "2031-01", "2031-02"]
    assert set(made) <= set(partitions.partitions())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_triggers_keep_the_references_to_a_case_as_a_foreign_key_would():
    case = factories.PayrollCaseFactory(period="2012-03")
    StatusChange.objects.create(case=case, to_status="completed")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(case_id=case.pk + 1000, to_status="completed")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM payroll_payrollcase WHERE id = %s", [case.pk])
    assert PayrollCase.objects.filter(pk=case.pk).exists()
    # Moving the case to another month (another partition) keeps its references.
    PayrollCase.objects.filter(pk=case.pk).update(period="2012-02", billing_period="2012-02")
    assert StatusChange.objects.filter(case_id=case.pk).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_retention_drops_the_partitions_of_expired_months(unit):
    agencies = [factories.AgencyFactory(code=f"R{i}", unit=unit).code for i in range(2)]
    for period in ("2012-01", "2012-02", "2020-01"):
        assert run_import(generated_file(agencies, 20, period=period)).status == "done"
        ClosedPeriod.objects.create(period=period)
    old = PayrollCase.objects.filter(period="2012-01").first()
    StatusChange.objects.create(case=old, to_status="completed")
    # A case still open keeps its month.
    factories.PayrollCaseFactory(period="2012-02", status=PayrollCase.Status.REGISTERED)

    dropped = partitions.drop_expired(cutoff="2013-01")

    # (Empty partitions of earlier months, left by other tests, go too.)
    assert [(d.period, d.cases, d.dependent_rows) for d in dropped if d.cases] == [("2012-01", 20, 1)]
    found = partitions.partitions()
    assert "2012-01" not in found and "2012-02" in found and "2020-01" in found
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('payroll_payrollcase_p2012_01')")
        assert cursor.fetchone()[0] is None
    assert not StatusChange.objects.exists()
    assert PayrollCase.objects.filter(period="2012-02").count() == 21
    assert PayrollCase.objects.count() == 41


@pytest.mark.django_db
def test_retention_removes_only_finished_months_billed_in_closed_ones():
    """The rule on any database (SQLite deletes the rows): closed and finished months before the cutoff go."""
    agency = factories.AgencyFactory()
    factories.add_cases(agency, "2012-01", manual=2)
    factories.add_cases(agency, "2012-02", manual=1)
    factories.add_cases(agency, "2012-03", manual=1)  # billed in a month not closed
    factories.add_cases(agency, "2013-01", manual=1)  # after the cutoff
    for period in ("2012-01", "2012-02", "2013-01"):
        ClosedPeriod.objects.create(period=period)
    case = PayrollCase.objects.filter(period="2012-01").first()
    StatusChange.objects.create(case=case, to_status="completed")
    # A case of February billed late, in March (not closed), keeps February.
    factories.PayrollCaseFactory(agency=agency, period="2012-02", billing_period="2012-03")

    assert [d.period for d in partitions.drop_expired(cutoff="2013-01", dry_run=True)] == ["2012-01"]
    assert PayrollCase.objects.count() == 6  # a dry run removes nothing

    dropped = partitions.drop_expired(cutoff="2013-01")

    assert [(d.period, d.cases, d.dependent_rows) for d in dropped] == [("2012-01", 2, 1)]
    assert sorted(PayrollCase.objects.values_list("period", flat=True)) == ["2012-02", "2012-02", "2012-03", "2013-01"]
    assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_the_command_reports_what_retention_would_remove(capsys, settings):
    settings.PAYROLL_CASE_RETENTION_YEARS = 7
    agency = factories.AgencyFactory()
    factories.add_cases(agency, "2012-01", manual=3)
    ClosedPeriod.objects.create(period="2012-01")

    call_command("case_partitions", "--drop-expired", "--dry-run")

    out = capsys.readouterr().out
    assert "2012-01: would remove 3 cases and 0 rows referring to them" in out
    assert PayrollCase.objects.count() == 3
