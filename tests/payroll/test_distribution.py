"""Work distribution: agencies served by a team, each handler's workload, assigning cases in bulk, and
a handler lent to another unit who works on its cases for the loan's days only."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from organisation import services as loans
from organisation.models import UnitLoan
from payroll import selectors
from payroll.models import PayrollCase
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(unit=unit, code="SDF01")


@pytest.fixture
def foreign_agency(other_unit):
    return factories.AgencyFactory(unit=other_unit, code="SDF09")


def test_the_team_tab_shows_the_teams_agencies(client, unit, case_handler, agency):
    north, south = factories.TeamFactory(unit=unit, name="Norr"), factories.TeamFactory(unit=unit, name="Syd")
    case_handler.staff_member.team = north
    case_handler.staff_member.save()
    agency.team = north
    agency.save()
    theirs = factories.AgencyFactory(unit=unit, code="SDF02", team=south)
    nobodys = factories.AgencyFactory(unit=unit, code="SDF03")
    own = factories.ManualCaseFactory(agency=agency)
    factories.ManualCaseFactory(agency=theirs)
    unserved = factories.ManualCaseFactory(agency=nobodys)
    client.force_login(case_handler)
    response = client.get(reverse("payroll:queue"), {"bucket": "team"})
    shown = {row.record.pk for row in response.context["table"].paginated_rows}
    assert shown == {own.pk, unserved.pk}
    assert response.context["counts"]["team"] == 2


def test_the_workload_counts_each_handlers_open_cases(unit_manager, case_handler, agency, unit):
    colleague = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit)
    today = timezone.localdate()
    factories.ManualCaseFactory(agency=agency, handler=case_handler, due_on=today - dt.timedelta(days=3))
    factories.ManualCaseFactory(agency=agency, handler=case_handler, due_on=today + dt.timedelta(days=60))
    factories.ManualCaseFactory(agency=agency, handler=case_handler, status="completed")
    factories.ManualCaseFactory(agency=agency, handler=None, due_on=today - dt.timedelta(days=1))
    rows = {row.handler.pk if row.handler else None: row for row in selectors.workload(unit_manager, today=today)}
    assert (rows[case_handler.pk].open, rows[case_handler.pk].overdue) == (2, 1)
    assert rows[colleague.pk].open == 0
    assert (rows[None].open, rows[None].overdue) == (1, 1)
    assert unit_manager.pk not in rows  # a manager handles no cases


def test_a_manager_reassigns_cases_in_bulk(client, unit_manager, case_handler, agency, unit):
    colleague = factories.UserFactory(role=roles.CASE_HANDLER, unit=unit, first_name="Karin", last_name="Kollega")
    cases = [factories.ManualCaseFactory(agency=agency, handler=case_handler) for _ in range(3)]
    client.force_login(unit_manager)
    page = client.get(reverse("payroll:workload"))
    assert page.status_code == 200 and f"L-{cases[0].pk}" in page.content.decode()
    response = client.post(
        reverse("payroll:workload_assign"), {"cases": [cases[0].pk, cases[1].pk], "to": colleague.pk}
    )
    assert response.status_code == 302
    handlers = dict(PayrollCase.objects.values_list("pk", "handler_id"))
    assert handlers == {cases[0].pk: colleague.pk, cases[1].pk: colleague.pk, cases[2].pk: case_handler.pk}
    # The audit trail says who gave it; the timeline tells it.
    record = PayrollCase.history.filter(id=cases[0].pk).latest("history_date")
    assert record.history_user == unit_manager and record.handler_id == colleague.pk
    events = selectors.case_timeline(PayrollCase.objects.get(pk=cases[0].pk))
    assigned = [e for e in events if e.kind == "assigned"]
    assert assigned[-1].who == unit_manager and "Karin Kollega" in assigned[-1].text
    # And to nobody.
    client.post(reverse("payroll:workload_assign"), {"cases": [cases[2].pk], "to": "none"})
    assert PayrollCase.objects.get(pk=cases[2].pk).handler is None


def test_another_units_case_in_the_body_changes_nothing(client, unit_manager, case_handler, agency, foreign_agency):
    own = factories.ManualCaseFactory(agency=agency, handler=None)
    foreign = factories.ManualCaseFactory(agency=foreign_agency, handler=None)
    client.force_login(unit_manager)
    client.post(reverse("payroll:workload_assign"), {"cases": [own.pk, foreign.pk], "to": case_handler.pk})
    assert PayrollCase.objects.filter(handler__isnull=False).count() == 0


def test_cases_cannot_go_to_someone_outside_the_unit(client, unit_manager, agency, other_unit):
    outsider = factories.UserFactory(role=roles.CASE_HANDLER, unit=other_unit)
    case = factories.ManualCaseFactory(agency=agency, handler=None)
    client.force_login(unit_manager)
    client.post(reverse("payroll:workload_assign"), {"cases": [case.pk], "to": outsider.pk})
    assert PayrollCase.objects.get(pk=case.pk).handler is None
    # The service refuses it too, with the reason.
    from payroll.services import assign_cases

    with pytest.raises(ValidationError):
        assign_cases(case_ids=[case.pk], handler=outsider, user=unit_manager)


def test_a_case_handler_cannot_distribute(client, case_handler, agency):
    case = factories.ManualCaseFactory(agency=agency, handler=None)
    client.force_login(case_handler)
    assert client.get(reverse("payroll:workload")).status_code == 403
    assert client.post(reverse("payroll:workload_assign"), {"cases": [case.pk], "to": "none"}).status_code == 403


# --- loans ---------------------------------------------------------------------------------------------


@pytest.fixture
def lent_handler(other_unit):
    return factories.UserFactory(role=roles.CASE_HANDLER, unit=other_unit, first_name="Lånad", last_name="Handläggare")


@pytest.fixture
def other_manager(other_unit):
    manager = factories.UserFactory(role=roles.UNIT_MANAGER, unit=other_unit)
    other_unit.manager = manager
    other_unit.save()
    return manager


def test_a_lent_handler_works_on_the_units_cases_during_the_loan_only(
    client, unit, agency, unit_manager, lent_handler, other_manager
):
    case = factories.ManualCaseFactory(agency=agency, handler=None)
    url = reverse("payroll:case_detail", args=[case.pk])
    client.force_login(lent_handler)
    assert client.get(url).status_code == 404
    today = timezone.localdate()
    loan = loans.lend_staff(
        staff_member=lent_handler.staff_member,
        to_unit=unit,
        starts_on=today,
        ends_on=today + dt.timedelta(days=14),
        user=other_manager,
        reason="Semestertoppen i juli",
    )
    assert client.get(url).status_code == 200
    # The receiving manager sees them in the workload and gives them cases.
    rows = {row.handler.pk: row for row in selectors.workload(unit_manager) if row.handler}
    assert rows[lent_handler.pk].lent
    client.force_login(unit_manager)
    client.post(reverse("payroll:workload_assign"), {"cases": [case.pk], "to": lent_handler.pk})
    assert PayrollCase.objects.get(pk=case.pk).handler == lent_handler
    # The loan ends: the access ends at once, and the case shows up as held by someone no longer in the unit.
    loans.end_loan(loan=loan, user=other_manager)
    client.force_login(lent_handler)
    assert client.get(url).status_code == 404
    former = [row for row in selectors.workload(unit_manager) if row.handler == lent_handler]
    assert former and former[0].former and former[0].open == 1
    assert UnitLoan.history.filter(id=loan.pk).count() == 2  # decided, ended: both in the audit trail


def test_a_loan_gives_access_only_on_its_days(client, unit, agency, lent_handler, other_manager):
    case = factories.ManualCaseFactory(agency=agency)
    url = reverse("payroll:case_detail", args=[case.pk])
    today = timezone.localdate()
    loans.lend_staff(
        staff_member=lent_handler.staff_member,
        to_unit=unit,
        starts_on=today + dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=10),
        user=other_manager,
    )
    client.force_login(lent_handler)
    assert client.get(url).status_code == 404  # not yet
    UnitLoan.objects.update(starts_on=today - dt.timedelta(days=10), ends_on=today - dt.timedelta(days=1))
    assert client.get(url).status_code == 404  # over


def test_only_the_lending_units_manager_decides(unit, other_unit, unit_manager, lent_handler, other_manager):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):  # lon1's manager cannot lend lon2's handler
        loans.lend_staff(
            staff_member=lent_handler.staff_member, to_unit=unit, starts_on=today, ends_on=today, user=unit_manager
        )
    with pytest.raises(PermissionDenied):  # nor can a case handler
        loans.lend_staff(
            staff_member=lent_handler.staff_member, to_unit=unit, starts_on=today, ends_on=today, user=lent_handler
        )
    with pytest.raises(ValidationError):  # not to their own unit
        loans.lend_staff(
            staff_member=lent_handler.staff_member,
            to_unit=other_unit,
            starts_on=today,
            ends_on=today,
            user=other_manager,
        )
    loans.lend_staff(
        staff_member=lent_handler.staff_member, to_unit=unit, starts_on=today, ends_on=today, user=other_manager
    )
    with pytest.raises(ValidationError):  # not twice over the same days
        loans.lend_staff(
            staff_member=lent_handler.staff_member, to_unit=unit, starts_on=today, ends_on=today, user=other_manager
        )


def test_the_loans_page_lends_and_ends(client, unit, other_unit, lent_handler, other_manager, unit_manager):
    client.force_login(other_manager)
    today = timezone.localdate()
    response = client.post(
        reverse("staffing:loans"),
        {
            "staff_member": lent_handler.staff_member.pk,
            "to_unit": unit.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=5)).isoformat(),
            "reason": "Hjälp med årsskiftet",
        },
    )
    assert response.status_code == 302
    loan = UnitLoan.objects.get()
    assert loan.decided_by == other_manager and loan.is_active(today)
    # The receiving unit's manager sees it, but cannot end what is not theirs to decide.
    client.force_login(unit_manager)
    assert "Hjälp med årsskiftet" in client.get(reverse("staffing:loans")).content.decode()
    assert client.post(reverse("staffing:loan_end", args=[loan.pk])).status_code == 404
    client.force_login(other_manager)
    client.post(reverse("staffing:loan_end", args=[loan.pk]))
    loan.refresh_from_db()
    assert not loan.is_active(today)
