"""Journey (head of service): the tertial report to the board — a commitment self-assessed and an
indicator commented, the board-ready PDF opened and read back — and the monthly report subscribed to."""

import pytest
from playwright.sync_api import expect

from core.models import ClosedPeriod
from reporting.models import CommitmentAssessment, IndicatorComment, ReportSubscription
from reporting.services.follow_up import add_plan_commitments
from tests.browser.helpers import download, nav_link, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def boss(db):
    from tests.factories import UserFactory

    return UserFactory(
        username="karin.berg",
        first_name="Karin",
        last_name="Berg",
        role="head_of_service",
        email="karin.berg@stad.example.se",
    )


def test_head_of_service_writes_the_tertial_report_reads_its_pdf_and_subscribes(page, login, screenshot, boss):
    ClosedPeriod.objects.create(period="2012-04")
    add_plan_commitments(year=2012)
    login(boss)

    nav_link(page, "Tertialrapport").click()
    page.get_by_label("År").fill("2012")
    page.get_by_label("Tertial", exact=True).select_option("1")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", name="Tertialrapport 2012, tertial 1")).to_be_visible()

    form = page.get_by_role("form", name="Rätt service")
    form.get_by_label("Självvärdering").select_option("partly")
    form.get_by_label("Bedömning").fill("Stickproven visar få fel; rutinerna gås igenom under hösten.")
    form.get_by_role("button", name="Spara självvärdering").click()
    expect(page.get_by_text("Självvärderingen av Rätt service är sparad.")).to_be_visible()

    comments = page.locator("details", has_text="Sjukfrånvaro")
    comments.first.locator("summary").click()
    comments.first.get_by_label("Kommentar").fill("Sjukfrånvaron ligger över nämndens mål.")
    comments.first.get_by_label("Åtgärd").fill("Tidig kontakt med företagshälsovården.")
    comments.first.get_by_role("button", name="Spara kommentar").click()
    expect(page.get_by_text("Kommentaren är sparad.")).to_be_visible()
    expect(page.locator("#indicators")).to_contain_text("Tidig kontakt med företagshälsovården.")
    expect(page.locator("#commitments")).to_contain_text("Delvis uppfyllt")
    screenshot(page, "head-of-service-tertial-report")

    pdf = download(page, page.get_by_role("link", name="PDF"))
    assert pdf.suggested_filename == "tertial-2012-T1.pdf"
    text = " ".join(pdf_text(pdf.content).split())
    assert "Tertialrapport 2012, tertial 1" in text and "Innehåll" in text
    assert "Stickproven visar få fel; rutinerna gås igenom under hösten." in text
    assert "Sjukfrånvaron ligger över nämndens mål." in text and "Sida 2 av" in text

    nav_link(page, "Månadsrapport").click()
    expect(page.get_by_role("heading", name="Månadsrapport 2012-04")).to_be_visible()
    page.get_by_role("button", name="Få den med e-post").click()
    expect(page.get_by_text("Du får månadsrapport med e-post efter varje månadsstängning.")).to_be_visible()
    expect(page.get_by_role("button", name="Sluta skicka e-post")).to_be_visible()

    assert CommitmentAssessment.objects.get(commitment__title="Rätt service", tertial=1).status == "partly"
    assert IndicatorComment.objects.get(year=2012, tertial=1, indicator="sick_leave").comment
    assert ReportSubscription.objects.filter(user=boss, kind="monthly").exists()
