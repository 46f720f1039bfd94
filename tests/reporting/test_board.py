"""The board's reports: each section's figures of the tertial report and the monthly report, from the
seeds' targets (000: 2012, 001: 2025), the page and PDF sharing them, and the head of service's writing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from payroll.models import ControlCheck
from reporting.models import CommitmentAssessment, ControlPlanItem, IndicatorComment
from reporting.services import follow_up
from reporting.services.monthly import monthly_report
from reporting.services.tertial import board_tertial_report
from staffing.models import SurveyScore
from tests import factories
from tests.reporting.conftest import patch_selector

pytestmark = pytest.mark.django_db


def _rows(report, chapter, index=0):
    return report.chapter(chapter).tables[index][1].rows


def _pdf_text(content: bytes) -> str:
    """The PDF's text with its line breaks and no-break spaces as plain spaces (a cell's text wraps)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\xa0", " ").split())


def test_nki_per_area_and_agency_against_66_from_2025_and_75_in_2012(unit):
    agency = factories.AgencyFactory(code="RK", name="Rinkeby-Kista stadsdelsförvaltning", unit=unit)
    survey = factories.CustomerSurveyFactory(year=2025, nki=Decimal("68.0"))
    SurveyScore.objects.create(survey=survey, area="payroll", nki=Decimal("69.5"))
    SurveyScore.objects.create(survey=survey, area="pension", nki=Decimal("64.0"))
    SurveyScore.objects.create(survey=survey, area="payroll", agency=agency, nki=Decimal("71.0"))
    rows = _rows(board_tertial_report(year=2025, tertial=1), "nki")
    got = [(str(r["area"]), str(r["agency"]), r["nki"], r["target"], r["status"]) for r in rows]
    assert got == [
        ("Hela verksamheten", "", Decimal("68.0"), 66, True),
        ("Lön", "Alla förvaltningar", Decimal("69.5"), 66, True),
        ("Lön", "Rinkeby-Kista stadsdelsförvaltning", Decimal("71.0"), 66, True),
        ("Pensionsadministration", "Alla förvaltningar", Decimal("64.0"), 66, False),
    ]
    factories.CustomerSurveyFactory(year=2012, nki=Decimal("74.0"))
    [whole] = _rows(board_tertial_report(year=2012, tertial=2), "nki")
    assert (whole["target"], whole["status"]) == (75, False)


def test_pension_handling_per_fte_and_retirements_against_510(monkeypatch, unit):
    """2012 (seed 000): 4.5 pension-handler FTE and 1,950 old-age pensions a year: 650 in a tertial is
    433.3 a year per FTE, short of 510."""
    for period in ("2012-01", "2012-02", "2012-03", "2012-04"):
        factories.MonthlyFteFactory(period=period, unit=unit, category="pension_handler", fte=Decimal("4.50"))
    patch_selector(monkeypatch, "pensions.selectors.pension_retirements", lambda *, periods, unit=None: 650)
    agency = factories.AgencyFactory(unit=unit)
    for kind in ("old_age", "old_age", "survivor", "insurance"):
        factories.decided_pension_case(agency=agency, kind=kind, decided_on=dt.date(2012, 3, 20))
    signals = factories.SignalListFactory(unit=unit)
    for _i in range(9):
        factories.SignalItemFactory(
            signal_list=signals, agency=agency, status="handled", handled_on=dt.date(2012, 2, 1)
        )
    rows = _rows(board_tertial_report(year=2012, tertial=1), "pensions")
    got = [(r["value"], r["per_fte"], r["target"], r["status"]) for r in rows]
    assert got == [
        (3, Decimal("0.7"), None, None),
        (1, Decimal("0.2"), None, None),
        (9, Decimal("2.0"), None, None),
        (650, Decimal("433.3"), 510, False),
    ]


def _two_fte_a_month_with_a_sick_march(unit):
    staff = factories.PensionStaffFactory(unit=unit, category="payroll_admin")
    for month in range(5, 13):
        factories.MonthlyFteFactory(period=f"2024-{month:02d}", unit=unit, fte=Decimal("2.00"))
    for month in range(1, 5):
        factories.MonthlyFteFactory(period=f"2025-{month:02d}", unit=unit, fte=Decimal("2.00"))
    # Monday 3 to Friday 28 March 2025: 20 of March's 21 working days; days 1-14 hold 10 of them.
    factories.AbsenceFactory(staff_member=staff, first_day=dt.date(2025, 3, 3), last_day=dt.date(2025, 3, 28))


def test_sick_leave_total_and_days_1_to_14_against_6_and_2_2_with_rolling_12_months(unit):
    _two_fte_a_month_with_a_sick_march(unit)
    rows = _rows(board_tertial_report(year=2025, tertial=1), "sick-leave")
    got = [(r["value"], r["target"], r["status"]) for r in rows]
    # The tertial: 20/21 FTE-month sick of 8 + 20/21 scheduled = 20/188; rolling 12 months 20/524;
    # days 1-14: 10/188 and 10/524.
    assert got == [
        (Decimal("10.6"), 6, False),
        (Decimal("3.8"), 6, True),
        (Decimal("5.3"), Decimal("2.2"), False),
        (Decimal("1.9"), Decimal("2.2"), True),
    ]
    assert "2024-05 – 2025-04" in " ".join(board_tertial_report(year=2025, tertial=1).chapter("sick-leave").notes)


def test_internal_control_plan_and_the_error_rate_of_the_samples(unit, head_of_service):
    ControlPlanItem.objects.create(
        year=2012,
        risk="Felaktiga utbetalningar",
        probability=3,
        consequence=4,
        control="Stickprov av genomförda utbetalningar",
        responsible="Enhetscheferna",
        schedule="Varje månad",
        updated_by=head_of_service,
    )
    ControlPlanItem.objects.create(
        year=2012,
        risk="Sjukfrånvaro",
        probability=2,
        consequence=3,
        control="Uppföljning i ledningsgruppen",
        responsible="Verksamhetschef",
        schedule="Varje tertial",
        updated_by=head_of_service,
    )
    sample = factories.ControlSampleFactory(period="2012-03", unit=unit, size=20, population=400)
    agency = factories.AgencyFactory(unit=unit)
    outcomes = ["correct"] * 18 + ["incorrect", "pending"]
    for outcome in outcomes:
        ControlCheck.objects.create(sample=sample, case=factories.ManualCaseFactory(agency=agency), outcome=outcome)
    report = board_tertial_report(year=2012, tertial=1)
    plan = _rows(report, "internal-control", 0)
    assert [(r["risk"], r["risk_value"]) for r in plan] == [("Felaktiga utbetalningar", 12), ("Sjukfrånvaro", 6)]
    samples = report.chapter("internal-control").tables[1][1]
    march = next(r for r in samples.rows if r["period"] == "2012-03")
    assert (march["sampled"], march["checked"], march["incorrect"], march["error_rate"]) == (20, 19, 1, Decimal("5.3"))
    assert samples.total["error_rate"] == Decimal("5.3") and samples.total["samples"] == 1


def test_documents_per_month_and_type(unit):
    agency = factories.AgencyFactory(unit=unit)
    for period, kind, n in [("2025-01", "new_hire", 3), ("2025-01", "change", 2), ("2025-02", "termination", 1)]:
        for _i in range(n):
            factories.ManualCaseFactory(agency=agency, period=period, billing_period=period, document_type=kind)
    factories.PayrollCaseFactory(agency=agency, period="2025-01", billing_period="2025-01")  # imported: no document
    report = board_tertial_report(year=2025, tertial=1)
    table = report.chapter("documents").tables[0][1]
    january = table.rows[0]
    assert (january["new_hire"], january["change"], january["total"]) == (3, 2, 5)
    assert table.total["total"] == 6 and table.total["termination"] == 1
    assert "1,5" in report.chapter("documents").notes[0]  # 6 documents over the tertial's 4 months


def test_commitments_self_assessed_and_indicator_comments_show_in_page_and_pdf(client, head_of_service):
    follow_up.add_plan_commitments(year=2012)
    client.force_login(head_of_service)
    url = reverse("reporting:tertial_report")
    commitment = follow_up.add_plan_commitments(year=2012)[4]  # Rätt service, again: not doubled
    response = client.post(
        reverse("reporting:assess_commitment"),
        {
            "prefix": "c",
            "c-commitment": commitment.pk,
            "c-year": 2012,
            "c-tertial": 1,
            "c-status": "partly",
            "c-text": "Stickproven visar 5,3 % fel; genomgång av rutinerna pågår.",
        },
    )
    assert response.status_code == 302
    client.post(
        reverse("reporting:comment_indicator"),
        {
            "prefix": "i",
            "i-year": 2012,
            "i-tertial": 1,
            "i-indicator": "sick_leave",
            "i-comment": "Sjukfrånvaron är över målet.",
            "i-action": "Tidig kontakt med företagshälsovården.",
        },
    )
    assert IndicatorComment.objects.get(indicator="sick_leave").action == "Tidig kontakt med företagshälsovården."
    report = board_tertial_report(year=2012, tertial=1)
    commitments = _rows(report, "commitments")
    assert len(commitments) == 5
    assert commitments[4] == {
        "commitment": "Rätt service",
        "status": "Delvis uppfyllt",
        "text": "Stickproven visar 5,3 % fel; genomgång av rutinerna pågår.",
    }
    page = client.get(url, {"year": 2012, "tertial": 1}).content.decode()
    assert "Sjukfrånvaron är över målet." in page and "Delvis uppfyllt" in page
    pdf = client.get(url, {"year": 2012, "tertial": 1, "format": "pdf"})
    text = _pdf_text(pdf.content)
    assert "Innehåll" in text and "Rätt service" in text and "Delvis uppfyllt" in text
    assert "Tidig kontakt med företagshälsovården." in text
    assert "Sida 3 av" in text  # page numbers from the @page counters


def test_a_bad_self_assessment_is_refused_and_nothing_saved(client, head_of_service):
    [commitment, *_rest] = follow_up.add_plan_commitments(year=2012)
    client.force_login(head_of_service)
    response = client.post(
        reverse("reporting:assess_commitment"),
        {
            "prefix": f"c-{commitment.pk}",
            f"c-{commitment.pk}-commitment": commitment.pk,
            f"c-{commitment.pk}-year": 2012,
            f"c-{commitment.pk}-tertial": 1,
            f"c-{commitment.pk}-status": "maybe",
            f"c-{commitment.pk}-text": "Texten som skrevs finns kvar.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "inte sparad" in page
    assert "Texten som skrevs finns kvar." in page  # what was typed is shown again
    assert not CommitmentAssessment.objects.exists()


def test_a_unit_manager_reads_the_tertial_report_but_cannot_write(client, unit_manager):
    [commitment, *_rest] = follow_up.add_plan_commitments(year=2012)
    client.force_login(unit_manager)
    page = client.get(reverse("reporting:tertial_report"), {"year": 2012, "tertial": 1})
    assert page.status_code == 200 and "Spara självvärdering" not in page.content.decode()
    response = client.post(
        reverse("reporting:assess_commitment"),
        {
            "prefix": "c",
            "c-commitment": commitment.pk,
            "c-year": 2012,
            "c-tertial": 1,
            "c-status": "met",
            "c-text": "x",
        },
    )
    assert response.status_code == 403 and not CommitmentAssessment.objects.exists()


def test_the_monthly_report_page_and_pdf_share_their_figures(client, head_of_service, volumes, staffing_figures):
    report = monthly_report(period="2012-03")
    volumes_table = report.chapter("volumes").tables[0][1]
    assert volumes_table.total["payslips"] == 3700 and volumes_table.total["last_year"] == 1000
    staffing = {r["label"]: r for r in _rows(report, "staffing")}
    per_fte = staffing["Lönespecifikationer per årsarbetare lön"]
    assert (per_fte["value"], per_fte["target"], per_fte["status"]) == (Decimal("925.0"), 950, False)
    client.force_login(head_of_service)
    pdf = client.get(reverse("reporting:monthly_report"), {"period": "2012-03", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Månadsrapport 2012-03" in text and "925,0" in text and "3 700" in text
    for title in (
        "Volymer",
        "Ekonomi",
        "Bemanning och produktivitet",
        "Ledtider och returer",
        "Synpunkter och klagomål",
    ):
        assert title in text


def test_the_report_command_writes_the_board_ready_tertial_and_monthly_pdfs(db, tmp_path):
    from django.core.management import call_command

    follow_up.add_plan_commitments(year=2012)
    for name, args in [("tertial", ["--tertial", "2012-T1"]), ("monthly", ["--period", "2012-03"])]:
        output = tmp_path / f"{name}.pdf"
        call_command("report", name, *args, "--format", "pdf", "--output", str(output))
        text = _pdf_text(output.read_bytes())
        assert "Innehåll" in text
    assert "Produktivitet" in _pdf_text((tmp_path / "tertial.pdf").read_bytes())


def test_the_head_of_service_adds_a_commitment_and_a_title_is_required(client, head_of_service):
    from reporting.models import Commitment

    client.force_login(head_of_service)
    url = reverse("reporting:commitment_create")
    refused = client.post(url, {"year": 2025, "order": 6, "title": ""})
    assert refused.status_code == 200 and not Commitment.objects.exists()
    response = client.post(url, {"year": 2025, "order": 6, "title": "Säker sekretesshantering", "description": ""})
    assert response.status_code == 302
    [row] = _rows(board_tertial_report(year=2025, tertial=1), "commitments")
    assert row == {"commitment": "Säker sekretesshantering", "status": "Inte bedömt ännu", "text": ""}


def test_internal_control_lists_the_tertials_deviations_per_kind_and_their_error_rate(unit, volumes):
    from payroll.models import Deviation

    agency = factories.AgencyFactory(unit=unit)
    march, june = dt.date(2012, 3, 25), dt.date(2012, 6, 25)
    factories.DeviationFactory(agency=agency, occurred_on=march)
    factories.DeviationFactory(
        agency=agency, occurred_on=march, status=Deviation.Status.CORRECTED, corrected_on=dt.date(2012, 3, 27)
    )
    factories.DeviationFactory(agency=agency, occurred_on=march, kind=Deviation.Kind.DOUBLE_PAYMENT)
    factories.DeviationFactory(agency=agency, occurred_on=march, kind=Deviation.Kind.LATE_PAYMENT)
    factories.DeviationFactory(agency=agency, occurred_on=june)  # the second tertial's
    report = board_tertial_report(year=2012, tertial=1)
    chapter = report.chapter("internal-control")
    title, deviations = chapter.tables[2]
    by_kind = {row["kind"]: row for row in deviations.rows}
    assert (by_kind["wrong_payment"]["registered"], by_kind["wrong_payment"]["corrected"]) == (2, 1)
    assert by_kind["double_payment"]["registered"] == 1 and by_kind["late_payment"]["registered"] == 1
    assert by_kind["wrong_payment"]["label"].endswith(" *") and not by_kind["late_payment"]["label"].endswith("*")
    assert deviations.total["registered"] == 4
    # Three corrected payments (the late one is not) of the 3,700 payslips of March 2012: 8.11 per 10,000.
    assert "3 korrigerade utbetalningar av 3\xa0700 lönespecifikationer: 8,11 per 10 000." in chapter.notes
