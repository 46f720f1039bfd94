"""The start page says what needs doing today for each role, every count a link to the work it counts;
the side navigation is grouped by task with the role's own work first; breadcrumbs on every page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import ClosedPeriod
from core.periods import current_period, previous_period
from lonservice import navigation, today
from payroll.models import PayrollCase
from tests import factories

pytestmark = pytest.mark.django_db


def _tiles(client) -> dict[str, tuple[str, str]]:
    """Each tile's label → (its figure, where it links)."""
    html = client.get(reverse("home")).content.decode()
    tiles = re.findall(
        r'<a class="kpi[^"]*" href="([^"]+)">\s*<span class="label">([^<]+)</span>\s*<span class="value[^"]*">([^<]*)<',
        html,
    )
    return {label.strip(): (value.strip(), url.replace("&amp;", "&")) for url, label, value in tiles}


def test_a_case_handler_sees_their_own_overdue_and_due_cases_and_the_returned_documents(client, case_handler, unit):
    agency = factories.AgencyFactory(unit=unit)
    day = timezone.localdate()
    mine = {"agency": agency, "handler": case_handler, "period": current_period(), "received_on": day}
    factories.ManualCaseFactory(**mine, due_on=day - dt.timedelta(days=1), status=PayrollCase.Status.REGISTERED)
    factories.ManualCaseFactory(**mine, due_on=day - dt.timedelta(days=5))
    factories.ManualCaseFactory(**mine, due_on=day)  # due today: within two working days
    factories.ManualCaseFactory(
        agency=agency, period=current_period(), due_on=day - dt.timedelta(days=3)
    )  # a colleague's
    factories.CaseReturnFactory(case__agency=agency, case__handler=case_handler)
    client.force_login(case_handler)
    tiles = _tiles(client)
    queue = reverse("payroll:queue")
    assert tiles["Dina försenade ärenden"] == ("2", f"{queue}?bucket=mine")
    assert tiles["Dina ärenden som ska vara klara inom två arbetsdagar"] == ("1", f"{queue}?bucket=mine")
    assert tiles["Dina öppna ärenden"] == ("4", f"{queue}?bucket=mine")
    assert tiles["Returnerade underlag som väntar på förvaltningen"] == ("1", f"{queue}?bucket=returned")


def test_the_start_page_is_where_every_role_lands_and_shows_only_its_own_panels(client, users_by_role):
    titles = {}
    for role, user in users_by_role.items():
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response.status_code == 200, role
        titles[role] = [panel.title for panel in response.context["panels"]]
    assert titles["case_handler"] == ["Dina löneärenden"]
    assert titles["pension_handler"] == ["Dina pensionsärenden"]
    assert titles["unit_manager"] == ["Löneenhet 1"]
    assert titles["head_of_service"][0] == "Hela verksamheten" and titles["head_of_service"][1].startswith(
        "Indikatorer"
    )
    assert titles["finance"] == ["Fakturering"]
    assert titles["administrator"] == ["Grunddata"]


def test_a_unit_manager_is_told_when_last_months_fte_is_missing_and_led_to_the_form(client, unit_manager, unit):
    last = previous_period(current_period())
    client.force_login(unit_manager)
    label = f"Årsarbetare för {last}"
    assert _tiles(client)[label] == ("Inte inlagda", reverse("staffing:fte_edit", args=[unit.pk, last]))
    factories.MonthlyFteFactory(period=last, unit=unit, fte=Decimal("3.00"))
    assert _tiles(client)[label] == ("Inlagda", reverse("staffing:fte"))


def test_a_unit_manager_sees_the_customer_meetings_against_two_per_agency_so_far(client, unit_manager, unit):
    agency = factories.AgencyFactory(unit=unit)
    factories.AgencyFactory(unit=factories.UnitFactory(code="lon9"))  # another unit's: not counted
    factories.CustomerLogEntryFactory(agency=agency, date=timezone.localdate(), author=unit_manager)
    client.force_login(unit_manager)
    figure, url = _tiles(client)["Kundmöten i år"]
    assert (figure, url) == ("1", reverse("customers:meetings"))


def test_finance_sees_the_ended_months_with_work_that_are_not_closed(client, finance, unit):
    agency = factories.AgencyFactory(unit=unit)
    last = previous_period(current_period())
    before = previous_period(last)
    factories.add_cases(agency, before, manual=1)
    factories.add_cases(agency, last, manual=1)
    factories.add_cases(agency, current_period(), manual=1)  # not ended yet
    assert today.months_to_close() == [before, last]
    ClosedPeriod.objects.create(period=before)
    assert today.months_to_close() == [last]
    client.force_login(finance)
    assert _tiles(client)["Månad som väntar på bokslut"] == ("1", reverse("invoicing:close_list"))


def test_the_head_of_service_sees_the_tertials_indicators_formatted_the_swedish_way(client, head_of_service):
    factories.PhoneServiceMonthFactory(period=previous_period(current_period()))
    client.force_login(head_of_service)
    response = client.get(reverse("home"))
    indicators = response.context["panels"][1]
    tiles = {tile.label: tile for tile in indicators.tiles}
    revenue = tiles["Intäkter hittills i år (kr)"]
    assert revenue.text.endswith("\xa0kr") and "," not in revenue.text  # whole kronor on a tile
    assert all(tile.url == reverse("reporting:tertial_report") for tile in indicators.tiles)


def test_the_navigation_puts_each_roles_own_work_first(rf, users_by_role):
    def sections(role):
        request = rf.get("/")
        request.user = users_by_role[role]
        request.resolver_match = None
        return [section["key"] for section in navigation.navigation(request)["nav_sections"]]

    assert sections("case_handler") == ["start", "payroll", "customers"]
    assert sections("finance")[:2] == ["start", "invoicing"]
    assert sections("unit_manager")[:2] == ["start", "follow_up"]
    assert "admin" in sections("administrator")


def test_every_page_has_breadcrumbs_back_to_the_start_and_its_section(client, case_handler, unit):
    case = factories.ManualCaseFactory(agency=factories.AgencyFactory(unit=unit))
    client.force_login(case_handler)
    html = client.get(reverse("payroll:case_return", args=[case.pk])).content.decode()
    trail = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", trail, re.S)] == [
        "Start",
        "Lön",
        "Löneärenden",
        case.reference,
    ]
    assert 'href="/"' in trail and f'href="{reverse("payroll:case_list")}"' in trail
    home = client.get(reverse("home")).content.decode()
    assert 'class="breadcrumbs"' not in home  # the start page is where every trail begins


def test_the_layout_has_a_skip_link_landmarks_and_the_language(client, case_handler):
    client.force_login(case_handler)
    html = client.get(reverse("payroll:queue")).content.decode()
    assert '<html lang="sv">' in html
    assert '<a class="skip-link" href="#main">Hoppa till innehållet</a>' in html
    assert (
        '<main class="content" id="main"' in html
        and '<nav class="sidenav" id="mainnav" aria-label="Huvudmeny">' in html
    )
    assert 'aria-controls="mainnav" aria-expanded="false">Meny</button>' in html
    assert "<title>Arbetskö · Lönservice</title>" in html
    assert '<th scope="col"' in html


def test_the_person_registers_overdue_signals_show_once_on_the_first_panel_of_a_role_that_handles_them(
    client, case_handler, unit
):
    from register.models import PersonSignal
    from tests.register.factories import PersonSignalFactory

    day = timezone.localdate()
    PersonSignalFactory(unit=unit, due_on=day - dt.timedelta(days=1))
    PersonSignalFactory(unit=unit, due_on=day - dt.timedelta(days=2))
    PersonSignalFactory(unit=unit, due_on=day + dt.timedelta(days=3))  # open, not yet due
    PersonSignalFactory(
        unit=unit, due_on=day - dt.timedelta(days=4), status=PersonSignal.Status.HANDLED, handled_on=day
    )
    PersonSignalFactory(unit=factories.UnitFactory(), due_on=day - dt.timedelta(days=1))  # another unit's
    client.force_login(case_handler)
    html = client.get(reverse("home")).content.decode()
    tiles = _tiles(client)
    assert tiles["Signaler från personregistret efter sista dag"] == ("2", reverse("register:queue") + "?overdue=on")
    assert html.count("Signaler från personregistret efter sista dag") == 1
    assert "3 öppna totalt" in html


def test_with_no_overdue_signals_the_register_tile_is_good_news_and_links_to_the_queue(client, case_handler):
    client.force_login(case_handler)
    assert _tiles(client)["Signaler från personregistret efter sista dag"] == ("0", reverse("register:queue"))
