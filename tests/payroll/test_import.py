"""The monthly payslip import: all or nothing, every error by row and column."""

import pytest
from django.core.management import CommandError, call_command

from payroll.models import PayrollCase, PayslipImport
from people.models import Person
from tests import factories
from tests.payroll.helpers import generated_file, payslip_file, pnr, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(unit, other_unit):
    return {
        "SDF01": factories.AgencyFactory(code="SDF01", unit=unit),
        "SDF02": factories.AgencyFactory(code="SDF02", unit=unit),
        "FAK09": factories.AgencyFactory(code="FAK09", unit=other_unit),
    }


def _errors(job):
    return [(e["row"], e["column"]) for e in job.errors]


def test_a_good_file_is_imported_as_completed_cases_with_rows_per_agency_and_channel(agencies):
    content = payslip_file(
        [
            f"2012-03;SDF01;1001;{pnr(1)};self_service",
            f"2012-03;SDF01;1002;{pnr(2)};manual",
            f"2012-03;SDF02;1003;{pnr(3)};self_service",
            f"2012-03;FAK09;1004;{pnr(4)};girovision",
        ]
    )
    job = run_import(content)
    assert job.status == PayslipImport.Status.DONE
    assert job.rows_imported == 4
    assert PayrollCase.objects.filter(status="completed", source="import", import_batch=job).count() == 4
    assert [(r["agency"], r["channel"], r["rows"]) for r in job.summary] == [
        ("FAK09", "girovision", 1),
        ("SDF01", "self_service", 1),
        ("SDF01", "manual", 1),
        ("SDF02", "self_service", 1),
    ]
    case = PayrollCase.objects.get(payslip_id="1002")
    assert case.agency.code == "SDF01" and case.channel == "manual" and case.billing_period == "2012-03"
    assert case.person.personnummer == pnr(2)


def test_comma_separated_file_with_bom_and_short_personnummer_is_accepted(agencies):
    content = payslip_file(["2012-03,SDF01,1,121212-1212,lisa_tid"], sep=",", bom=True)
    job = run_import(content)
    assert job.status == "done", job.errors
    assert PayrollCase.objects.get().person.personnummer == "20121212-1212"


def test_coordination_numbers_are_valid_personnummer(agencies):
    job = run_import(payslip_file(["2012-03;SDF01;1;701063-2391;manual"]))
    assert job.status == "done", job.errors
    assert Person.objects.get().personnummer == "19701063-2391"


def test_existing_people_are_reused_and_keep_their_names(agencies):
    known = factories.PersonFactory(personnummer=pnr(7), name="Kim Känd", protected_identity=True)
    job = run_import(payslip_file([f"2012-03;SDF01;1;{pnr(7)};manual", f"2012-04;SDF01;1;{pnr(7)};manual"]))
    assert job.status == "done", job.errors
    assert Person.objects.count() == 1
    known.refresh_from_db()
    assert known.name == "Kim Känd" and known.protected_identity
    assert set(PayrollCase.objects.values_list("person_id", flat=True)) == {known.pk}


def test_work_for_a_closed_period_is_billed_in_the_next_open_one(agencies):
    from core.models import ClosedPeriod

    ClosedPeriod.objects.create(period="2012-03")
    job = run_import(payslip_file([f"2012-03;SDF01;1;{pnr(1)};manual"]))
    assert job.status == "done", job.errors
    case = PayrollCase.objects.get()
    assert (case.period, case.billing_period) == ("2012-03", "2012-04")


def test_every_row_error_is_listed_by_row_and_column_and_nothing_is_written(agencies):
    factories.PayrollCaseFactory(agency=agencies["SDF02"], period="2012-03", payslip_id="OLD1")
    before = (PayrollCase.objects.count(), Person.objects.count())
    content = payslip_file(
        [
            f"2012-03;SDF01;1;{pnr(1)};self_service",  # row 2: good
            f"2012-13;SDF01;2;{pnr(2)};self_service",  # row 3: bad period
            f"2012-03;NOPE;3;{pnr(3)};self_service",  # row 4: unknown agency
            "2012-03;SDF01;4;19121212-1213;self_service",  # row 5: bad check digit
            f"2012-03;SDF01;5;{pnr(5)};fax",  # row 6: unknown channel
            f"2012-03;SDF01;1;{pnr(6)};manual",  # row 7: payslip 1 again in the file
            f"2012-03;SDF02;OLD1;{pnr(7)};manual",  # row 8: imported before
            f"2012-03;SDF01;;{pnr(8)};manual",  # row 9: payslip id missing
            f"2012-03;SDF01;9;{pnr(9)}",  # row 10: a cell missing
        ]
    )
    job = run_import(content)
    assert job.status == PayslipImport.Status.REJECTED
    assert _errors(job) == [
        (3, "period"),
        (4, "agency_code"),
        (5, "personnummer"),
        (6, "channel"),
        (7, "payslip_id"),
        (8, "payslip_id"),
        (9, "payslip_id"),
        (10, ""),
    ]
    messages = " ".join(e["message"] for e in job.errors)
    assert "NOPE" in messages and "fax" in messages and "first on row 2" in messages
    assert (PayrollCase.objects.count(), Person.objects.count()) == before


def test_agencies_of_another_unit_are_refused_on_a_scoped_import(agencies, case_handler):
    job = run_import(payslip_file([f"2012-03;FAK09;1;{pnr(1)};manual"]), user=case_handler)
    assert job.status == "rejected"
    assert "not one of your unit's agencies" in job.errors[0]["message"]
    assert not PayrollCase.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (payslip_file([]), "no payslip rows"),
        (payslip_file(["2012-03;SDF01;1;121212-1212"], header="period;agency_code;payslip_id;personnummer"), "missing"),
        (
            "period;agency_code;payslip_id;personnummer;channel\n2012-03;SDF01;1;121212-1212;manual;Åsa\n".encode(
                "latin-1"
            ),
            "UTF-8",
        ),
        (b"\x00\x01\x02binary", "not a text file"),
    ],
    ids=["empty file", "header only", "missing column", "wrong encoding", "binary"],
)
def test_file_level_errors_reject_the_file(agencies, content, message):
    job = run_import(content)
    assert job.status == "rejected"
    assert message in " ".join(e["message"] for e in job.errors)
    assert not PayrollCase.objects.exists() and not Person.objects.exists()


def test_a_file_imported_before_is_refused_by_its_content_hash(agencies):
    content = payslip_file([f"2012-03;SDF01;1;{pnr(1)};manual"])
    first = run_import(content)
    assert first.status == "done"
    again = run_import(content, name="same-file-renamed.csv")
    assert again.status == "rejected"
    assert "already imported" in again.errors[0]["message"]
    assert str(first.pk) in again.errors[0]["message"]
    assert PayrollCase.objects.count() == 1


def test_a_rejected_file_can_be_imported_once_it_can_be_read(agencies):
    content = payslip_file([f"2012-03;SDF03;1;{pnr(1)};manual"])
    assert run_import(content).status == "rejected"
    factories.AgencyFactory(code="SDF03")
    assert run_import(content).status == "done"


def test_too_many_errors_are_cut_at_the_limit(agencies):
    content = payslip_file([f"2012-03;NOPE;{i};{pnr(i)};manual" for i in range(150)])
    job = run_import(content)
    assert len(job.errors) == 101
    assert "only the first 100" in job.errors[-1]["message"]


def test_import_command_prints_the_summary_and_fails_on_a_bad_file(agencies, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(generated_file(["SDF01", "SDF02"], 20))
    call_command("import_payslips", str(good))
    assert "Imported 20 payslips" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(payslip_file([f"2012-03;SDF01;X;{pnr(1)};nope"]))
    with pytest.raises(CommandError, match="rejected"):
        call_command("import_payslips", str(bad))
    assert "column channel" in capsys.readouterr().err
    assert PayrollCase.objects.count() == 20


def test_a_few_thousand_rows_go_through_the_batches(agencies):
    job = run_import(generated_file(["SDF01", "SDF02", "FAK09"], 12_345))
    assert job.status == "done", job.errors[:3]
    assert PayrollCase.objects.count() == 12_345
    assert sum(r["rows"] for r in job.summary) == 12_345
    assert job.progress == 100 and job.rows_read == 12_345


def test_a_line_break_inside_a_payslip_id_is_refused(agencies):
    job = run_import(payslip_file([f'2012-03;SDF01;"12\n34";{pnr(1)};manual', f"2012-03;SDF01;5;{pnr(2)};manual"]))
    assert job.status == "rejected"
    assert _errors(job) == [(2, "payslip_id")]
    assert "line break" in job.errors[0]["message"]
    assert not PayrollCase.objects.exists()


@pytest.mark.parametrize("period", ["1900-01", "1999-12", "2100-12", "month after next"])
def test_pay_periods_outside_2000_to_next_month_are_refused(agencies, period):
    from core.periods import current_period, next_period

    if period == "month after next":
        period = next_period(next_period(current_period()))
    job = run_import(payslip_file([f"{period};SDF01;1;{pnr(1)};manual"]))
    assert job.status == "rejected"
    assert _errors(job) == [(2, "period")]
    message = job.errors[0]["message"]
    assert (
        f"{period} is outside the pay periods" in message
        and f"from 2000-01 to {next_period(current_period())}" in message
    )


def test_the_first_pay_period_and_next_month_are_accepted(agencies):
    from core.periods import current_period, next_period

    job = run_import(
        payslip_file([f"2000-01;SDF01;1;{pnr(1)};manual", f"{next_period(current_period())};SDF01;2;{pnr(2)};manual"])
    )
    assert job.status == "done", job.errors


def test_a_file_of_one_90_mb_line_is_refused_with_a_clear_message_not_an_unexpected_error(agencies):
    job = run_import(b"x" * 90_000_000)
    assert job.status == "rejected"
    assert (
        "The first row has more than 65,536 characters; it must be the header period;agency_code"
        in (job.errors[0]["message"])
    )
