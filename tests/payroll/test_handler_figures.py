"""Staff statistics for payroll: cases registered, completed and returned per handler per month."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from payroll import selectors, services
from payroll.models import PayrollCase, StatusChange
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(unit=unit, code="SDF01")


def _at(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _register(case, user, day):
    StatusChange.objects.create(case=case, from_status="", to_status="received", changed_by=user, changed_at=_at(day))


def _complete(case, user, day):
    StatusChange.objects.create(
        case=case, from_status="registered", to_status="completed", changed_by=user, changed_at=_at(day)
    )


def test_figures_per_handler_and_month_count_who_did_it(unit, case_handler, agency):
    colleague = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit, first_name="Bo", last_name="Ek")
    march = [factories.ManualCaseFactory(agency=agency) for _ in range(3)]
    for case in march:
        _register(case, case_handler, dt.date(2012, 3, 5))
    _complete(march[0], colleague, dt.date(2012, 3, 9))  # completed by another handler
    _complete(march[1], case_handler, dt.date(2012, 4, 2))
    factories.CaseReturnFactory(case=march[2], returned_by=case_handler, returned_on=dt.date(2012, 3, 6))
    _register(factories.ManualCaseFactory(agency=agency), case_handler, dt.date(2011, 12, 30))  # another year
    other = factories.ManualCaseFactory(
        agency=factories.AgencyFactory(unit=factories.UnitFactory(code="lon9", name="Löneenhet 9"))
    )
    _register(other, case_handler, dt.date(2012, 3, 5))  # not among the cases asked about

    periods = [f"2012-{m:02d}" for m in range(1, 5)]
    rows = {r.handler: r for r in selectors.handler_figures(cases=selectors.cases_for(case_handler), periods=periods)}
    mine = rows[case_handler.get_full_name()]
    assert mine.months["2012-03"] == {"registered": 3, "completed": 0, "returned": 1}
    assert mine.months["2012-04"] == {"registered": 0, "completed": 1, "returned": 0}
    assert mine.total == {"registered": 3, "completed": 1, "returned": 1}
    assert rows["Bo Ek"].total == {"registered": 0, "completed": 1, "returned": 0}


def test_completing_a_case_through_the_service_counts_for_who_completed_it(unit, case_handler, agency):
    case = factories.ManualCaseFactory(agency=agency, status=PayrollCase.Status.REGISTERED)
    services.complete_case(case=case, user=case_handler)
    period = f"{timezone.localdate():%Y-%m}"
    [row] = selectors.handler_figures(cases=selectors.cases_for(case_handler), periods=[period])
    assert row.handler == case_handler.get_full_name()
    assert row.months[period] == {"registered": 0, "completed": 1, "returned": 0}


def test_the_page_shows_the_month_and_the_year_so_far(client, unit, unit_manager, case_handler, agency):
    case = factories.ManualCaseFactory(agency=agency)
    _register(case, case_handler, dt.date(2012, 2, 10))
    _complete(case, case_handler, dt.date(2012, 3, 12))
    client.force_login(unit_manager)
    response = client.get(reverse("payroll:handler_figures"), {"period": "2012-03"})
    assert response.status_code == 200
    [(row, month, total)] = response.context["rows"]
    assert (month["registered"], month["completed"], total["registered"], total["completed"]) == (0, 1, 1, 1)
    assert case_handler.get_full_name() in response.content.decode()


def test_a_case_handler_sees_no_per_handler_figures(client, case_handler):
    client.force_login(case_handler)
    assert client.get(reverse("payroll:handler_figures")).status_code == 403
