"""Journey (the centre's other work): the head of service imports the tax agency's person register file;
a case handler works its signals (a new address, a death that flags an open case) and issues an
employment certificate from the pay the centre holds."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import Certificate
from payroll.models import PayrollCase
from register.models import PersonSignal
from tests import factories
from tests.browser.helpers import nav_link, open_pdf, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(unit):
    north = factories.AgencyFactory(code="SDF01", name="Stadsdelsförvaltning Norr", unit=unit)
    moving = factories.PersonFactory(name="Anna Andersson")
    deceased = factories.PersonFactory(name="Bertil Berg")
    employee = factories.PersonFactory(name="Cecilia Ceder")
    for person in (moving, deceased):
        factories.ManualCaseFactory(agency=north, person=person, status=PayrollCase.Status.REGISTERED)
    for period in ("2025-01", "2025-02", "2025-03"):
        factories.PayrollCaseFactory(person=employee, agency=north, period=period)
    return {"north": north, "moving": moving, "deceased": deceased, "employee": employee}


def register_file(people) -> bytes:
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    rows = [
        "personnummer;name;street_address;postal_code;city;protected_identity;deceased_on",
        f"{people['moving'].personnummer};Anna Andersson;Storgatan 1;118 25;Stockholm;0;",
        f"{people['deceased'].personnummer};Bertil Berg;;;;0;{yesterday}",
        "19121212-1212;Tolvan Tolvansson;Okänd väg 1;12345;Stockholm;0;",  # not known to the centre
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


def test_the_register_file_becomes_signals_and_a_certificate_is_issued(
    page, login, screenshot, unit, case_handler, people
):
    head = factories.UserFactory(username="maria.berg", first_name="Maria", last_name="Berg", role="head_of_service")
    login(head)
    nav_link(page, "Folkbokföringssignaler").click()
    page.get_by_role("link", name="Importera en fil från folkbokföringen").click()
    page.get_by_label("CSV-fil").set_input_files(
        files=[{"name": "eps-2025-03.csv", "mimeType": "text/csv", "buffer": register_file(people)}]
    )
    page.get_by_role("button", name="Importera", exact=True).click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)  # the unknown person is left out
    assert set(PersonSignal.objects.values_list("kind", flat=True)) == {"address", "death"}

    page.context.clear_cookies()
    login(case_handler)
    nav_link(page, "Folkbokföringssignaler").click()
    expect(rows).to_have_count(2)
    death = rows.filter(has_text="Bertil Berg")
    flagged = PayrollCase.objects.get(person=people["deceased"])
    expect(death).to_contain_text(flagged.reference)
    address = rows.filter(has_text="Anna Andersson")
    expect(address).to_contain_text("Storgatan 1")
    screenshot(page, "case-handler-person-register")
    address.get_by_role("button", name="Hanterad").click()
    expect(page.get_by_role("status")).to_have_text("Signalen är hanterad.")
    handled = PersonSignal.objects.get(kind="address")
    assert handled.status == PersonSignal.Status.HANDLED and handled.handled_by.username == "lena.ek"

    nav_link(page, "Intyg").click()
    page.get_by_role("link", name="Registrera en begäran").click()
    page.get_by_label("Typ").select_option(label="Anställningsintyg")
    page.get_by_label("Förvaltning").select_option(label=str(people["north"]))
    page.get_by_label("Personnummer").fill(people["employee"].personnummer)
    page.get_by_label("Begärt av").select_option(label="Den anställda")
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Begäran är registrerad")
    page.get_by_label("Befattning").fill("Undersköterska")
    page.get_by_role("button", name="Utfärda", exact=True).click()
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.ISSUED and certificate.months_paid == 3
    text = pdf_text(open_pdf(page, page.get_by_role("link", name="Intyget (PDF)")))
    assert "Cecilia Ceder" in text and "Undersköterska" in text and certificate.number in text
    assert "Stadsdelsförvaltning Norr" in text
