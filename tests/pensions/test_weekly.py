"""The weekly follow-up: cases and signals received and handled per week and per handler."""

import datetime as dt

from django.urls import reverse

from pensions import selectors
from pensions.models import PensionCase, SignalItem
from tests import factories

# ISO week 10 of 2012 is Monday 5 March – Sunday 11 March; week 11 starts 12 March.


def _world(agency, handler, unit):
    colleague = factories.PensionStaffFactory(unit=unit, name="Birgitta Bergström")
    factories.PensionCaseFactory(agency=agency, handler=handler, received_on=dt.date(2012, 3, 5))
    factories.PensionCaseFactory(agency=agency, handler=colleague, received_on=dt.date(2012, 3, 11))
    factories.decided_pension_case(
        agency=agency, handler=handler, received_on=dt.date(2012, 2, 27), decided_on=dt.date(2012, 3, 7)
    )
    factories.decided_pension_case(
        agency=agency, handler=colleague, received_on=dt.date(2012, 3, 1), decided_on=dt.date(2012, 3, 12)
    )
    factories.PensionCaseFactory(
        agency=agency, handler=handler, received_on=dt.date(2012, 3, 1), status=PensionCase.Status.CLOSED,
        closed_on=dt.date(2012, 3, 9), note="Dubblett",
    )  # fmt: skip
    signals = factories.SignalListFactory(unit=unit, received_on=dt.date(2012, 3, 6), deadline=dt.date(2012, 4, 6))
    factories.SignalItemFactory(signal_list=signals, agency=agency)
    factories.SignalItemFactory(
        signal_list=signals, agency=agency, status="handled", handled_on=dt.date(2012, 3, 8), handled_by=colleague
    )
    return colleague


def test_weeks_count_cases_and_signals_received_and_handled(agency, handler, unit):
    _world(agency, handler, unit)
    rows = {r["week"]: r for r in selectors.weekly_followup(
        cases=PensionCase.objects.all(), items=SignalItem.objects.all(), year=2012
    )}  # fmt: skip
    assert len(rows) == 52
    assert rows[10] == {
        "week": 10,
        "monday": dt.date(2012, 3, 5),
        "cases_received": 2,
        "cases_handled": 2,  # one decided, one closed without a decision
        "signals_received": 2,
        "signals_handled": 1,
    }
    assert (rows[9]["cases_received"], rows[11]["cases_handled"]) == (3, 1)


def test_handlers_are_counted_for_the_week(agency, handler, unit):
    colleague = _world(agency, handler, unit)
    first, last = selectors.iso_week_range(2012, 10)
    rows = {r["handler"]: r for r in selectors.handler_followup(
        cases=PensionCase.objects.all(), items=SignalItem.objects.all(), first=first, last=last
    )}  # fmt: skip
    assert {k: rows[handler.name][k] for k in ("received", "decided", "closed", "signals", "handled")} == {
        "received": 1, "decided": 1, "closed": 1, "signals": 0, "handled": 2
    }  # fmt: skip
    assert rows[colleague.name]["received"] == 1 and rows[colleague.name]["signals"] == 1
    assert rows[colleague.name]["decided"] == 0  # decided in week 11


def test_weekly_page_shows_the_weeks_and_the_handlers(client, pension_handler, agency, handler, unit):
    _world(agency, handler, unit)
    client.force_login(pension_handler)
    response = client.get(reverse("pensions:weekly"), {"year": 2012, "week": 10})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Per handläggare, vecka 10 2012" in body
    assert "Birgitta Bergström" in body and handler.name in body
    assert response.context["totals"]["cases_received"] == 5


def test_weekly_page_defaults_to_the_latest_year_with_cases(client, pension_handler, agency, handler, unit):
    _world(agency, handler, unit)
    client.force_login(pension_handler)
    assert client.get(reverse("pensions:weekly")).context["year"] == 2012


def test_a_week_the_year_does_not_have_is_refused(client, pension_handler):
    client.force_login(pension_handler)
    response = client.get(reverse("pensions:weekly"), {"year": 2012, "week": 53})
    assert response.status_code == 200
    assert "Året har ingen sådan vecka." in response.content.decode()


def test_weekly_follow_up_is_scoped_to_the_users_unit(client, pension_handler, other_agency):
    factories.PensionCaseFactory(agency=other_agency, received_on=dt.date(2012, 3, 5))
    client.force_login(pension_handler)
    response = client.get(reverse("pensions:weekly"), {"year": 2012})
    assert response.context["totals"]["cases_received"] == 0
