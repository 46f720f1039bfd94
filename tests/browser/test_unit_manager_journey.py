"""Journey 2 (unit manager): the unit dashboard against the 950 target, the agencies, a customer meeting, FTE,
a deviation registered and closed, and the error rate on the quality page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import ClosedPeriod
from customers.models import Agency, CustomerLogEntry
from payroll.models import AggregatedPeriod, Deviation, MonthlyVolume
from staffing.models import MonthlyFte
from tests import factories
from tests.browser.helpers import nav_link

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def unit_at_work(unit, other_unit):
    """Unit lon1's agencies and closed months: March 2012 1,900 payslips with 2.00 payroll FTE (950 per FTE),
    April 2012 1,710 payslips with no FTE entered yet; one agency of lon2 that the manager must not see."""
    north = factories.AgencyFactory(
        code="SDF01", name="Stadsdelsförvaltning Norr", kind=Agency.Kind.DISTRICT, unit=unit
    )
    south = factories.AgencyFactory(
        code="SDF03", name="Stadsdelsförvaltning Söder", kind=Agency.Kind.DISTRICT, unit=unit
    )
    culture = factories.AgencyFactory(code="FF02", name="Kulturförvaltningen", unit=unit)
    elsewhere = factories.AgencyFactory(
        code="SDF09", name="Stadsdelsförvaltning Väster", kind=Agency.Kind.DISTRICT, unit=other_unit
    )
    volumes = {
        "2012-03": [(north, "self_service", 1100), (north, "manual", 300), (culture, "lisa_tid", 500)],
        "2012-04": [(north, "self_service", 1000), (north, "manual", 260), (south, "lisa_tid", 450)],
    }
    for period, rows in volumes.items():
        for agency, channel, payslips in rows + [(elsewhere, "self_service", 4000)]:
            MonthlyVolume.objects.create(
                period=period, agency=agency, unit=agency.unit, channel=channel, payslips=payslips
            )
        AggregatedPeriod.objects.create(period=period)
        ClosedPeriod.objects.create(period=period)
    factories.MonthlyFteFactory(period="2012-03", unit=unit, fte=Decimal("2.00"))
    factories.ServiceAgreementFactory(agency=north, year=2012, lead_time_days=5, notes="Gränssnitt version 3")
    factories.CustomerLogEntryFactory(
        agency=north, date=dt.date(2012, 2, 14), summary="Kundmöte: genomgång av serviceavtalet"
    )
    factories.ComplaintFactory(agency=north, description="Fel lön utbetald i februari")
    return {"north": north, "south": south, "culture": culture, "elsewhere": elsewhere}


def kpi(page, label):
    return page.locator(".kpi").filter(has=page.locator(".label", has_text=label)).first


def test_unit_manager_follows_the_unit_and_its_agencies(
    page, login, screenshot, narrow, unit_manager, unit, unit_at_work
):
    login(unit_manager)

    # The start page says what needs doing for the unit; the dashboard is a click away.
    start = page.locator(".panel").filter(has=page.get_by_role("heading", name=unit.name))
    expect(
        start.get_by_role("link").filter(has_text="Klagomål som ingen har tagit upp än").locator(".value")
    ).to_have_text("1")
    start.get_by_role("link", name="Enhetens översikt").click()

    # The unit's dashboard for the latest closed month.
    expect(page.get_by_role("heading", name=f"Översikt: {unit.name}")).to_be_visible()
    expect(page.get_by_label("Månad")).to_have_value("2012-04")
    expect(kpi(page, "Lönespecifikationer 2012-04").locator(".value")).to_have_text("1 710")
    expect(kpi(page, "Lönespecifikationer per årsarbetare").locator(".value")).to_have_text("uppgifter saknas")

    # March: 1,900 payslips with 2.00 FTE is exactly the target of 950 payslips per FTE.
    page.get_by_label("Månad").fill("2012-03")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_label("Månad")).to_have_value("2012-03")
    volumes = kpi(page, "Lönespecifikationer 2012-03")
    expect(volumes.locator(".value")).to_have_text("1 900")  # lon2's 4,000 are not counted
    expect(kpi(page, "Maskinellt").locator(".value")).to_have_text("84,2 %")  # (1,100 + 500) / 1,900
    per_fte = kpi(page, "Lönespecifikationer per årsarbetare")
    expect(per_fte.locator(".value")).to_have_text("950,0")
    expect(per_fte).to_contain_text("Mål 950")
    expect(per_fte).to_have_class("kpi ok")
    expect(kpi(page, "Öppna klagomål").locator(".value")).to_have_text("1")
    expect(page.locator("figure.chart img").first).to_be_visible()
    screenshot(page, "unit-dashboard")
    with narrow():
        screenshot(page, "unit-dashboard-narrow")

    # The agencies of the unit; filtering by kind leaves the two district administrations.
    nav_link(page, "Förvaltningar").click()
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("table.table")).not_to_contain_text("Väster")
    page.get_by_label("Typ").select_option(label="Stadsdelsförvaltning")
    page.get_by_role("button", name="Filtrera").click()
    expect(rows).to_have_count(2)
    expect(page.locator("table.table")).not_to_contain_text("Kulturförvaltningen")
    page.get_by_label("Sök kod eller namn").fill("norr")
    page.get_by_role("button", name="Filtrera").click()
    expect(rows).to_have_count(1)
    screenshot(page, "unit-manager-agencies")

    # The agency: its service agreement, customer log and complaints.
    rows.get_by_role("link", name="SDF01").or_(rows.get_by_role("link", name="Stadsdelsförvaltning Norr")).first.click()
    expect(page.get_by_role("heading", name="Stadsdelsförvaltning Norr")).to_be_visible()
    agreements = page.locator("#agreements")
    expect(agreements.locator("tbody tr")).to_have_count(1)
    expect(agreements).to_contain_text("2012-01-01 – 2012-12-31")
    expect(agreements).to_contain_text("Gränssnitt version 3")
    log = page.locator("#log")
    expect(log.locator("tbody tr")).to_have_count(1)
    expect(log).to_contain_text("Kundmöte: genomgång av serviceavtalet")
    complaints = page.locator("#complaints")
    expect(complaints).to_contain_text("Fel lön utbetald i februari")
    screenshot(page, "unit-manager-agency")

    # A customer meeting is logged; it shows on the agency's page and counts towards two a year.
    log.get_by_role("link", name="Ny anteckning").click()
    today = timezone.localdate()
    expect(page.get_by_label("Datum")).to_have_value(today.isoformat())
    page.get_by_label("Sammanfattning").fill("Kundmöte med HR-chefen: sena underlag i mars, åtgärdsplan överenskommen.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_have_text("Anteckningen sparades.")
    expect(page.get_by_role("heading", name="Stadsdelsförvaltning Norr")).to_be_visible()
    expect(log.locator("tbody tr")).to_have_count(2)
    expect(log.locator("tbody tr").first).to_contain_text("sena underlag i mars")
    expect(log).to_contain_text(f"{today.year}: 1")
    entry = CustomerLogEntry.objects.get(agency=unit_at_work["north"], date=today)
    assert entry.kind == CustomerLogEntry.Kind.MEETING and entry.author == unit_manager

    # April's FTE: a wrong figure is refused and nothing is saved; the right one is.
    nav_link(page, "Årsarbetare").click()
    april = page.locator("tbody tr", has=page.locator("td", has_text="2012-04"))
    expect(april).to_contain_text("inte inlagt")
    april.get_by_role("link", name="Lägg in").click()
    payroll_admins = page.get_by_label("Löneadministratör")
    payroll_admins.fill("-2")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".errorlist, .fielderror").first).to_be_visible()
    assert not MonthlyFte.objects.filter(period="2012-04").exists()
    payroll_admins.fill("2,00")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_have_text(f"Årsarbetare för {unit.name}, 2012-04 är sparade.")
    expect(april).to_contain_text("2,00")
    assert MonthlyFte.objects.get(period="2012-04", unit=unit, category="payroll_admin").fte == Decimal("2.00")

    # Back on the dashboard: April's 1,710 payslips on 2.00 FTE are 855 per FTE, below the target.
    nav_link(page, "Enhetens översikt").click()
    per_fte = kpi(page, "Lönespecifikationer per årsarbetare")
    expect(per_fte.locator(".value")).to_have_text("855,0")
    expect(per_fte).to_have_class("kpi bad")

    # A deviation of the centre's own: a wrong amount paid in March, registered and followed up to closed.
    nav_link(page, "Avvikelser").click()
    page.get_by_role("link", name="Registrera avvikelse").click()
    page.get_by_label("Förvaltning").select_option(label="SDF01 Stadsdelsförvaltning Norr")
    page.get_by_label("Datum").fill("2012-03-20")
    page.get_by_label("Typ").select_option(label="Fel belopp utbetalt")
    page.get_by_label("Orsak").select_option(label="Felregistrering")
    page.get_by_label("Vad som hände").fill("Fel timlön registrerad för en timanställd.")
    page.get_by_role("button", name="Spara").click()
    deviation = Deviation.objects.get()
    expect(page.get_by_role("status")).to_have_text(f"Avvikelse {deviation.reference} är registrerad.")
    expect(page.locator("[data-status]")).to_have_text("Registrerad")
    page.get_by_role("link", name="Följ upp").click()
    page.get_by_label("Rättelse", exact=True).fill("Mellanskillnaden utbetald.")
    page.get_by_label("Rättad den").fill("2012-03-22")
    page.get_by_label("Åtgärd", exact=True).fill("Rutinen för timlön gås igenom på enhetsmötet.")
    page.get_by_label("Status").select_option(label="Avslutad")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("[data-status]")).to_have_text("Avslutad")
    deviation.refresh_from_db()
    assert (deviation.status, deviation.registered_by) == (Deviation.Status.CLOSED, unit_manager)

    # Document quality and the error rate: one corrected payment of lon1's 1,900 March payslips is 5.26
    # per 10,000 (lon2's 4,000 payslips are not the unit's).
    nav_link(page, "Underlagens kvalitet").click()
    page.get_by_label("Sista månad").fill("2012-03")
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("[data-error-rate] .kpi strong")).to_have_text("5,26")
    march = page.locator("[data-error-rate] tbody tr", has=page.locator("td", has_text="2012-03"))
    expect(march).to_contain_text("1 900")
    screenshot(page, "unit-manager-quality")
