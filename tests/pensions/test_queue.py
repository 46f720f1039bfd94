"""The pension handlers' work queue: mine, the team's, unassigned, due soon, overdue, waiting."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pensions import selectors
from pensions.models import PensionCase
from tests import factories

S = PensionCase.Status
TODAY = dt.date(2012, 3, 14)  # a Wednesday


@pytest.fixture
def world(agency, handler, other_agency):
    team = factories.TeamFactory(unit=agency.unit, name="Pensionsteam")
    handler.team = team
    handler.save()
    teammate = factories.PensionStaffFactory(unit=agency.unit, team=team, name="Teamkamrat")
    elsewhere = factories.PensionStaffFactory(unit=agency.unit, name="Annat team")

    def case(name, **kwargs):
        kwargs.setdefault("received_on", dt.date(2012, 3, 1))
        kwargs.setdefault("due_on", dt.date(2012, 4, 2))
        return factories.PensionCaseFactory(agency=agency, note=name, **kwargs)

    return {
        "mine_due_soon": case("mine_due_soon", handler=handler, due_on=dt.date(2012, 3, 19)),
        "mine_overdue": case("mine_overdue", handler=handler, status=S.INVESTIGATING, due_on=dt.date(2012, 3, 13)),
        "mine_waiting": case("mine_waiting", handler=handler, status=S.WAITING, waiting_for="person"),
        "mine_decided": factories.decided_pension_case(agency=agency, handler=handler, note="mine_decided"),
        "mine_paid": factories.decided_pension_case(
            agency=agency, handler=handler, status=S.PAID, paid_on=dt.date(2012, 3, 22), note="mine_paid"
        ),
        "teammate": case("teammate", handler=teammate),
        "elsewhere": case("elsewhere", handler=elsewhere, due_on=dt.date(2012, 3, 21)),
        "unassigned": case("unassigned"),
        "other_unit": factories.PensionCaseFactory(agency=other_agency, due_on=dt.date(2012, 3, 2), note="other_unit"),
    }


def _names(qs):
    return sorted(qs.values_list("note", flat=True))


def test_each_tab_holds_the_right_cases(world, pension_handler):
    tabs = selectors.queue_tabs(pension_handler, today=TODAY)
    assert _names(tabs["mine"]) == ["mine_decided", "mine_due_soon", "mine_overdue", "mine_waiting"]
    assert _names(tabs["team"]) == [
        "mine_decided", "mine_due_soon", "mine_overdue", "mine_waiting", "teammate", "unassigned"
    ]  # fmt: skip
    assert _names(tabs["unassigned"]) == ["unassigned"]
    # Due within five working days of Wednesday 14 March: up to Wednesday 21 March.
    assert _names(tabs["due_soon"]) == ["elsewhere", "mine_due_soon"]
    assert _names(tabs["overdue"]) == ["mine_overdue"]
    assert _names(tabs["waiting"]) == ["mine_waiting"]
    assert selectors.queue_counts(tabs) == {
        "mine": 4, "team": 6, "unassigned": 1, "due_soon": 2, "overdue": 1, "waiting": 1
    }  # fmt: skip


def test_another_units_cases_never_reach_the_queue(world, pension_handler):
    tabs = selectors.queue_tabs(pension_handler, today=TODAY)
    assert all("other_unit" not in _names(qs) for qs in tabs.values())


def test_queue_page_shows_counts_and_my_cases(client, pension_handler, world):
    client.force_login(pension_handler)
    response = client.get(reverse("pensions:queue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert world["mine_due_soon"].number in body
    assert world["teammate"].number not in body  # "mine" is the default tab
    assert "Mina" in body and "Teamets" in body and "Försenade" in body
    assert response.context["tab"] == "mine"
    counts = {t["name"]: t["count"] for t in response.context["tabs"]}
    assert counts["mine"] == 4 and counts["waiting"] == 1


def test_queue_filters_by_kind_and_agency(client, pension_handler, world, agency):
    survivor = factories.PensionCaseFactory(agency=agency, kind="survivor", handler=world["teammate"].handler)
    client.force_login(pension_handler)
    response = client.get(reverse("pensions:queue"), {"tab": "team", "kind": "survivor"})
    numbers = [row.record.number for row in response.context["table"].rows]
    assert numbers == [survivor.number]


def test_overdue_cases_are_flagged_on_the_page(client, pension_handler, agency, handler):
    today = timezone.localdate()
    late = factories.PensionCaseFactory(
        agency=agency, handler=handler, received_on=today - dt.timedelta(days=40), due_on=today - dt.timedelta(days=3)
    )
    client.force_login(pension_handler)
    response = client.get(reverse("pensions:queue"), {"tab": "overdue"})
    body = response.content.decode()
    assert late.number in body
    assert 'class="badge bad"' in body


def test_unknown_tab_is_not_found(client, pension_handler):
    client.force_login(pension_handler)
    assert client.get(reverse("pensions:queue"), {"tab": "everything"}).status_code == 404


def test_unit_manager_sees_the_team_tab_first(client, unit_manager, world):
    client.force_login(unit_manager)
    response = client.get(reverse("pensions:queue"))
    assert response.status_code == 200
    assert response.context["tab"] == "mine"  # the manager has a staff record, but no cases
    assert response.context["table"].paginator.count == 0
