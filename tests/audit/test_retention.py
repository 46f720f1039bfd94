"""Personal data is kept PERSONAL_DATA_RETENTION_YEARS full calendar years, then anonymised or deleted;
cases, volumes and invoices keep their counts and totals."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from audit.retention import ANONYMOUS_PREFIX, purge_personal_data
from invoicing.models import Invoice, InvoiceLine
from payroll.models import PayrollCase, PayslipImport
from pensions.models import PensionCase, SignalItem
from people.models import Person, ProtectedIdentityAccess
from tests import factories

TODAY = dt.date(2020, 3, 1)  # 7 years: work of 2012 and before goes, 2013 on stays
LONG_AGO = timezone.make_aware(dt.datetime(2011, 6, 1, 12, 0))


def _person(name, **kwargs):
    person = factories.PersonFactory(name=name, **kwargs)
    Person.history.filter(id=person.pk).update(history_date=LONG_AGO)
    return person


@pytest.fixture
def archive(unit, administrator):
    agency = factories.AgencyFactory(code="ARK1", unit=unit)
    people = {
        "old_payroll": _person("Anna Gammal"),
        "old_pension": _person("Bertil Pensionär"),
        "old_signal": _person("Cecilia Signal"),
        "mixed": _person("Doris Både"),
        "open": _person("Erik Öppen"),
        "recent": _person("Fia Ny"),
        "orphan": _person("Gustav Ensam"),
        "viewed": _person("Hemlig Hanna", protected_identity=True),
    }
    case = factories.PayrollCaseFactory(agency=agency, person=people["old_payroll"], period="2012-03")
    case.note = "Sjukskriven enligt läkarintyg"
    case.save()
    factories.PayrollCaseFactory(agency=agency, person=people["old_payroll"], period="2012-04")
    factories.CaseReturnFactory(case=case, details="Intyg saknas")  # returned once, completed since
    factories.PensionCaseFactory(
        agency=agency,
        person=people["old_pension"],
        received_on=dt.date(2011, 9, 1),
        status=PensionCase.Status.CLOSED,
        closed_on=dt.date(2012, 2, 1),
        note="Efterlevandepension, make avliden",
    )
    factories.SignalItemFactory(
        agency=agency,
        person=people["old_signal"],
        event_date=dt.date(2011, 5, 1),
        status="handled",
        handled_on=dt.date(2011, 5, 20),
        note="Avliden",
    )
    factories.PayrollCaseFactory(agency=agency, person=people["mixed"], period="2012-03")
    factories.PayrollCaseFactory(agency=agency, person=people["mixed"], period="2014-01")
    factories.PayrollCaseFactory(
        agency=agency, person=people["open"], period="2012-03", status=PayrollCase.Status.RECEIVED
    )
    factories.PayrollCaseFactory(agency=agency, person=people["recent"], period="2019-11")
    factories.PayrollCaseFactory(agency=agency, person=people["viewed"], period="2012-03")
    ProtectedIdentityAccess.objects.create(user=administrator, person=people["viewed"], context="2019")
    ProtectedIdentityAccess.objects.filter(person=people["viewed"]).update(
        accessed_at=timezone.make_aware(dt.datetime(2019, 5, 1, 9, 0))
    )
    invoice = factories.issued_invoice(agency=agency)
    job = PayslipImport.objects.create(file_name="lon-2012-03.csv", sha256="a" * 64, status="done")
    job.file.save("lon-2012-03.csv", ContentFile(b"period;personnummer\n2012-03;19500101-0000\n"))
    job.errors = [{"row": 2, "column": "personnummer", "message": "19121212-1213 is not valid"}]
    job.save()
    PayslipImport.objects.filter(pk=job.pk).update(created_at=LONG_AGO)
    return {"people": people, "invoice": invoice, "job": job, "agency": agency}


def _state():
    return {
        "people": sorted(Person.objects.values_list("pk", "personnummer", "name")),
        "history": sorted(Person.history.values_list("history_id", "personnummer", "name")),
        "notes": sorted(PayrollCase.objects.values_list("pk", "note")),
        "pension_notes": sorted(PensionCase.objects.values_list("pk", "note")),
    }


def test_old_peoples_data_is_anonymised_and_cases_and_invoices_keep_their_numbers(archive):
    people = archive["people"]
    invoice_before = (Invoice.objects.count(), archive["invoice"].total, InvoiceLine.objects.count())
    cases_before = (PayrollCase.objects.count(), PensionCase.objects.count(), SignalItem.objects.count())

    result = purge_personal_data(today=TODAY, years=7)

    assert result.cutoff == dt.date(2013, 1, 1)
    assert (result.people_anonymised, result.people_deleted) == (3, 1)
    for key in ("old_payroll", "old_pension", "old_signal"):
        person = Person.objects.get(pk=people[key].pk)
        assert person.personnummer.startswith(ANONYMOUS_PREFIX) and person.name == ""
        names = Person.history.filter(id=person.pk).values_list("name", "personnummer")
        assert all(name == "" and number.startswith(ANONYMOUS_PREFIX) for name, number in names)
    assert not Person.objects.filter(pk=people["orphan"].pk).exists()
    assert not Person.history.filter(id=people["orphan"].pk).exists()
    for key in ("mixed", "open", "recent", "viewed"):
        assert Person.objects.get(pk=people[key].pk).name == people[key].name, key
    # What was written about them goes too, also in the history.
    assert not PayrollCase.objects.filter(note__contains="Sjukskriven").exists()
    assert not PayrollCase.history.filter(note__contains="Sjukskriven").exists()
    assert not PensionCase.objects.filter(note__contains="avliden").exists()
    assert SignalItem.objects.get(person=people["old_signal"]).note == ""
    assert not archive["agency"].payroll_cases.filter(returns__details="Intyg saknas").exists()
    # The counted work and what was invoiced stay.
    assert (PayrollCase.objects.count(), PensionCase.objects.count(), SignalItem.objects.count()) == cases_before
    invoice = Invoice.objects.get(pk=archive["invoice"].pk)
    assert (Invoice.objects.count(), invoice.total, InvoiceLine.objects.count()) == invoice_before
    assert invoice.total == Decimal("770.00")
    # The payslip file of 2012 with its personal identity numbers is gone.
    job = PayslipImport.objects.get(pk=archive["job"].pk)
    assert not job.file and job.errors == [] and job.rows_imported == archive["job"].rows_imported


def test_the_stored_payslip_file_is_deleted_from_disk(archive, django_capture_on_commit_callbacks):
    storage, name = archive["job"].file.storage, archive["job"].file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        result = purge_personal_data(today=TODAY, years=7)
    assert result.import_files_deleted == 1
    assert not storage.exists(name)


def test_a_dry_run_counts_the_same_and_changes_nothing(archive, django_capture_on_commit_callbacks):
    before = _state()
    with django_capture_on_commit_callbacks(execute=True):
        dry = purge_personal_data(today=TODAY, years=7, dry_run=True)
    assert _state() == before
    assert archive["job"].file.storage.exists(archive["job"].file.name)
    real = purge_personal_data(today=TODAY, years=7)
    assert (dry.people_anonymised, dry.people_deleted, dry.notes_cleared, dry.import_files_deleted) == (
        real.people_anonymised,
        real.people_deleted,
        real.notes_cleared,
        real.import_files_deleted,
    )


def test_running_it_again_changes_nothing(archive):
    assert purge_personal_data(today=TODAY, years=7).changed_anything
    after_first = _state()
    again = purge_personal_data(today=TODAY, years=7)
    assert not again.changed_anything
    assert _state() == after_first


def test_the_limit_is_whole_calendar_years(archive):
    result = purge_personal_data(today=dt.date(2019, 12, 31), years=7)  # 2012 is kept through 2019
    assert (result.people_anonymised, result.people_deleted) == (1, 1)  # the signal handled in 2011 only
    assert Person.objects.get(pk=archive["people"]["old_payroll"].pk).name == "Anna Gammal"
    assert Person.objects.get(pk=archive["people"]["old_pension"].pk).name == "Bertil Pensionär"  # closed 2012


def test_the_retention_period_comes_from_the_settings(archive, settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 20
    result = purge_personal_data(today=TODAY)
    assert not result.changed_anything


def test_the_command_reports_and_refuses_a_period_under_a_year(archive):
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", "--today", "2020-03-01", "--years", "7", stdout=out)
    text = out.getvalue()
    assert "before 2013-01-01" in text and "people anonymised:        3" in text and "Nothing was changed" in text
    assert Person.objects.filter(name="Anna Gammal").exists()
    call_command("purge_personal_data", "--today", "2020-03-01", "--years", "7", stdout=io.StringIO())
    assert not Person.objects.filter(name="Anna Gammal").exists()
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="at least one year"):
        call_command("purge_personal_data", "--years", "0", stdout=io.StringIO())
