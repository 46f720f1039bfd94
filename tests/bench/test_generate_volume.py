"""The volume generator behind the benchmarks: counts, channel shares and valid data at a tiny scale."""

import pytest
from django.core.management import call_command

from bench import plan, tables
from core.models import ClosedPeriod
from core.periods import periods_between
from customers.models import Agency
from invoicing.models import Invoice
from payroll.models import PayrollCase, PayslipImport
from pensions.models import PensionCase
from people.identity import normalize_personnummer
from people.models import Person
from pricing.models import PriceList
from staffing.models import MonthlyFte

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TINY = ["--years", "1", "--agencies", "4", "--payslips-per-year", "2400", "--pension-cases-per-year", "230"]


def generate(*extra):
    call_command("generate_volume", *TINY, "--last-period", "2012-12", "--seed", "7", *extra, stdout=None)


def test_a_year_of_payslips_is_written_month_by_month_as_imports():
    generate()
    imports = PayslipImport.objects.filter(file_name__startswith=plan.FILE_PREFIX, status="done")
    assert imports.count() == 12
    total = PayrollCase.objects.count()
    assert total == sum(imports.values_list("rows_imported", flat=True))
    # 2,400 a year, rounded per agency and month.
    assert abs(total - 2400) <= 4 * 12
    assert set(PayrollCase.objects.values_list("period", flat=True).distinct()) == {
        f"2012-{m:02d}" for m in range(1, 13)
    }
    assert not PayrollCase.objects.exclude(status="completed").exists()
    assert list(Agency.objects.order_by("code").values_list("code", flat=True)) == sorted(["RK", "ST", "HV", "BR"])


def test_seventy_per_cent_of_payslips_come_through_self_service_or_lisa_tid():
    generate()
    shares = tables.channel_shares()
    machine = shares["self_service"] + shares["lisa_tid"]
    assert 0.67 <= machine <= 0.73
    assert set(shares) <= {"self_service", "lisa_tid", "manual", "agresso", "girovision"}
    assert shares["manual"] > shares["agresso"] > shares.get("girovision", 0)


def test_people_have_valid_unique_personal_identity_numbers():
    generate()
    numbers = list(Person.objects.values_list("personnummer", flat=True))
    assert len(numbers) == len(set(numbers)) > 200
    assert all(normalize_personnummer(n) == n for n in numbers)


def test_pension_cases_fte_price_lists_and_closed_months():
    generate()
    cases = PensionCase.objects.count()
    assert 200 <= cases <= 240
    assert PensionCase.objects.filter(kind="old_age").count() / cases == pytest.approx(1950 / 2300, abs=0.05)
    assert MonthlyFte.objects.count() == 12 * len(plan.FTE)
    assert PriceList.objects.filter(year=2012).exists()
    # Every month but the last is closed by the product's own close: one invoice per agency.
    assert sorted(ClosedPeriod.objects.values_list("period", flat=True)) == [f"2012-{m:02d}" for m in range(1, 12)]
    assert Invoice.objects.filter(period="2012-11").count() == 4
    assert not Invoice.objects.filter(period="2012-12").exists()


def test_running_it_again_writes_nothing_new():
    generate()
    before = tables.counts()
    generate()
    assert tables.counts() == before


def test_reset_empties_what_it_generated():
    generate("--no-close")
    call_command("generate_volume", *TINY, "--last-period", "2012-06", "--reset", "--no-close", stdout=None)
    periods = set(PayrollCase.objects.values_list("period", flat=True).distinct())
    assert periods == set(periods_between("2011-07", "2012-06"))
