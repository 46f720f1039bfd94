"""The benchmark harness runs on a tiny dataset, writes its results and leaves the data as it was.
(The figures themselves are not tested: benchmarks never fail the suite.)"""

import pytest
from django.core.management import call_command

from bench import tables
from core.models import ClosedPeriod
from invoicing.models import Invoice
from payroll.models import PayrollCase, PayslipImport

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_bench_on_a_tiny_dataset_writes_every_figure_and_undoes_its_writes(tmp_path):
    call_command(
        "generate_volume", "--years", "1", "--agencies", "4", "--payslips-per-year", "2400",
        "--pension-cases-per-year", "60", "--last-period", "2012-12", stdout=None,
    )  # fmt: skip
    before = (PayrollCase.objects.count(), PayslipImport.objects.count(), Invoice.objects.count())
    output = tmp_path / "results.md"
    call_command(
        "bench", "--repeat", "2", "--pdf-repeat", "1", "--import-rows", "200", "--memory-rows", "200,400",
        "--small-database", "none", "--output", str(output), stdout=None,
    )  # fmt: skip
    text = output.read_text()
    for work in [
        "import one month, 200 rows CSV",
        "import memory, 400 rows",
        "unit dashboard, latest closed month 2012-11",
        "case list, agency",
        "monthly close, 4 agencies, with all PDFs",
        "one invoice PDF",
    ]:
        assert work in text
    assert "PostgreSQL 1" in text and "cores" in text
    # Imports deleted again, the close rolled back: the data is as it was.
    assert (PayrollCase.objects.count(), PayslipImport.objects.count(), Invoice.objects.count()) == before
    assert not ClosedPeriod.objects.filter(period="2012-12").exists()
    assert not PayslipImport.objects.filter(file_name__startswith="bench-import-").exists()
    assert tables.counts()["payroll_cases"] == before[0]
