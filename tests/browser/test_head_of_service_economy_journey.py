"""Journey (head of service): the economy page, next year's prices in the simulator saved as a
scenario, and the capacity forecast on the service dashboard."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from economy.models import CostBudget, CostType, PriceScenario
from tests import factories
from tests.browser.conftest import _named
from tests.browser.helpers import nav_link

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def head(db):
    return _named("head_of_service", "Maria", "Lind")


@pytest.fixture
def year_invoiced(unit):
    """2012 invoiced at the 2012 prices: SDF07 1,000 self-service payslips a month, FF02 500 manual
    (58,000 and 47,500 kr a month); a 2013 cost budget of 1,500,000 kr."""
    factories.price_list_2012()
    sdf07 = factories.AgencyFactory(code="SDF07", name="Södermalm", unit=unit)
    ff02 = factories.AgencyFactory(code="FF02", name="Kulturförvaltningen", unit=unit)
    for month in range(1, 13):
        period = f"2012-{month:02d}"
        factories.issued_invoice(agency=sdf07, period=period, quantities={"self_service": 1000})
        factories.issued_invoice(agency=ff02, period=period, quantities={"manual": 500})
    CostBudget.objects.create(year=2013, unit=unit, cost_type=CostType.PERSONNEL, amount=Decimal("1500000"))


def test_head_of_service_prices_next_year_and_reads_the_capacity(page, login, screenshot, head, year_invoiced):
    login(head)
    nav_link(page, "Ekonomi").click()
    expect(page.get_by_role("heading", name="Ekonomi", exact=True)).to_be_visible()
    page.get_by_role("link", name="Prismodellsimulator").click()
    page.get_by_label("År att prissätta").fill("2013")
    page.get_by_label("Volymer: tolv månader till och med").fill("2012-12")
    page.get_by_role("button", name="Börja om").click()
    expect(page.get_by_role("heading", name="Prismodellsimulator för 2013")).to_be_visible()
    models = page.locator("#models")
    # Fixed price by last year's payslips: 12,000 of 18,000 → 1,000,000.00 kr for SDF07.
    expect(models).to_contain_text("1\xa0000\xa0000,00")
    # Per-item at today's ratios: 1,500,000 / 1,266,000 × 58 = 68.72 kr.
    expect(page.locator("#prices")).to_contain_text("68,72")
    screenshot(page, "head-of-service-simulator")

    page.get_by_label("Scenariots namn").fill("Fast pris 2013")
    page.get_by_label("Modell att spara").select_option("fixed")
    page.get_by_role("button", name="Spara scenario").click()
    expect(page.get_by_role("heading", name="Fast pris 2013")).to_be_visible()
    scenario = PriceScenario.objects.get()
    assert scenario.created_by == head and scenario.chosen["revenue"] == "1500000.00"

    page.get_by_role("link", name="Sparade scenarier").click()
    expect(page.locator("table")).to_contain_text("Fast pris 2013")

    nav_link(page, "Verksamhetens översikt").click()
    page.goto(page.url.split("?")[0] + "?period=2012-12")
    expect(page.get_by_text("Kapacitet, de sex månaderna efter 2012-12")).to_be_visible()
    screenshot(page, "head-of-service-capacity")
