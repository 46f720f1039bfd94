"""Pension pages: registering, handling and reading cases; who may do what; other units' cases."""

import datetime as dt

import pytest
from django.urls import reverse

from pensions.models import PensionCase, StatusChange
from people.models import Person
from tests import factories

S = PensionCase.Status


@pytest.fixture
def case(agency, handler):
    return factories.PensionCaseFactory(agency=agency, handler=handler, received_on=dt.date(2012, 3, 1))


def test_pension_handler_registers_a_case_for_a_new_person(client, pension_handler, agency, handler):
    client.force_login(pension_handler)
    response = client.post(
        reverse("pensions:case_create"),
        {
            "kind": "old_age",
            "agency": agency.pk,
            "personnummer": "470312-1238",
            "name": "Gösta Berg",
            "unit": agency.unit.pk,
            "received_on": "2012-03-12",
            "handler": handler.pk,
        },
    )
    case = PensionCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("pensions:case_detail", args=[case.pk])
    assert case.person.personnummer == "19470312-1238" and case.person.name == "Gösta Berg"
    assert (case.due_on, case.handler, case.created_by) == (dt.date(2012, 4, 11), handler, pension_handler)


def test_registering_with_a_bad_number_says_so_and_writes_nothing(client, pension_handler, agency):
    client.force_login(pension_handler)
    response = client.post(
        reverse("pensions:case_create"),
        {"kind": "old_age", "agency": agency.pk, "personnummer": "470312-1234", "unit": agency.unit.pk,
         "received_on": "2012-03-12"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "är inget giltigt svenskt personnummer" in response.content.decode()
    assert PensionCase.objects.count() == 0 and Person.objects.count() == 0


def test_registering_a_future_case_is_refused(client, pension_handler, agency):
    client.force_login(pension_handler)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = client.post(
        reverse("pensions:case_create"),
        {"kind": "old_age", "agency": agency.pk, "personnummer": "470312-1238", "unit": agency.unit.pk,
         "received_on": tomorrow.isoformat()},
    )  # fmt: skip
    assert response.status_code == 200 and PensionCase.objects.count() == 0


def test_handler_moves_the_case_through_the_flow_on_the_page(client, pension_handler, case):
    client.force_login(pension_handler)
    url = lambda action: reverse("pensions:case_action", args=[case.pk, action])  # noqa: E731
    assert client.post(url("investigate"), {"investigate-note": "Startar"}).status_code == 302
    response = client.post(
        url("decide"),
        {"decide-decision": "granted", "decide-decided_on": "2012-03-20", "decide-benefit_start": "2012-04-01"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.decision, case.benefit_start) == (S.DECIDED, "granted", dt.date(2012, 4, 1))
    detail = client.get(reverse("pensions:case_detail", args=[case.pk])).content.decode()
    assert "Beviljad" in detail and "Under utredning" in detail and "Startar" in detail


def test_decision_without_benefit_start_shows_the_error_and_changes_nothing(client, pension_handler, case):
    case.status = S.INVESTIGATING
    case.save()
    client.force_login(pension_handler)
    response = client.post(
        reverse("pensions:case_action", args=[case.pk, "decide"]),
        {"decide-decision": "granted", "decide-decided_on": "2012-03-20"},
    )
    assert response.status_code == 400
    assert "En beviljad förmån behöver ett startdatum." in response.content.decode()
    case.refresh_from_db()
    assert case.status == S.INVESTIGATING and not StatusChange.objects.filter(case=case).exists()


def test_a_step_the_flow_does_not_allow_is_refused_with_a_message(client, pension_handler, case):
    client.force_login(pension_handler)
    response = client.post(reverse("pensions:case_action", args=[case.pk, "paid"]), {"paid-paid_on": "2012-03-20"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == S.RECEIVED


def test_take_the_case_assigns_it_to_me(client, pension_handler, agency, handler):
    case = factories.PensionCaseFactory(agency=agency)
    client.force_login(pension_handler)
    response = client.post(reverse("pensions:case_assign", args=[case.pk]), {"handler": handler.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.handler == handler


def test_detail_shows_status_history_with_who(client, pension_handler, case):
    from pensions import services

    services.wait_for_information(case=case, waiting_for="agency", note="Intyg saknas", user=pension_handler)
    client.force_login(pension_handler)
    body = client.get(reverse("pensions:case_detail", args=[case.pk])).content.decode()
    assert "Intyg saknas" in body
    assert pension_handler.get_full_name() in body
    assert "Väntar på komplettering" in body


def test_payroll_case_handler_has_no_access_to_pension_work(client, case_handler, case):
    client.force_login(case_handler)
    for url in [
        reverse("pensions:queue"),
        reverse("pensions:case_list"),
        reverse("pensions:case_detail", args=[case.pk]),
        reverse("pensions:signal_lists"),
    ]:
        assert client.get(url).status_code == 403
    response = client.post(reverse("pensions:case_action", args=[case.pk, "investigate"]))
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == S.RECEIVED


def test_unit_manager_reads_but_cannot_change_cases(client, unit_manager, case):
    client.force_login(unit_manager)
    response = client.get(reverse("pensions:case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert not response.context["action_forms"]
    assert 'action="' + reverse("pensions:case_action", args=[case.pk, "investigate"]) not in response.content.decode()
    assert client.post(reverse("pensions:case_action", args=[case.pk, "investigate"])).status_code == 403
    assert client.get(reverse("pensions:case_create")).status_code == 403


@pytest.mark.parametrize("role", ["pension_handler", "unit_manager"])
def test_another_units_case_is_not_found(client, request, role, other_agency):
    foreign = factories.PensionCaseFactory(agency=other_agency)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("pensions:case_detail", args=[foreign.pk])).status_code == 404
    if role == "pension_handler":
        assert client.post(reverse("pensions:case_action", args=[foreign.pk, "investigate"])).status_code == 404
        assert client.post(reverse("pensions:case_assign", args=[foreign.pk]), {"handler": ""}).status_code == 404
        assert client.get(reverse("pensions:case_edit", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == S.RECEIVED


def test_head_of_service_sees_every_units_cases(client, head_of_service, case, other_agency):
    foreign = factories.PensionCaseFactory(agency=other_agency)
    client.force_login(head_of_service)
    response = client.get(reverse("pensions:case_list"))
    numbers = {row.record.number for row in response.context["table"].rows}
    assert numbers == {case.number, foreign.number}
    assert client.get(reverse("pensions:case_detail", args=[foreign.pk])).status_code == 200


def test_edit_corrects_kind_and_due_date_and_keeps_the_change_in_history(client, pension_handler, case, agency):
    client.force_login(pension_handler)
    response = client.post(
        reverse("pensions:case_edit", args=[case.pk]),
        {"kind": "survivor", "agency": agency.pk, "due_on": "2012-03-16", "note": ""},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.kind, case.due_on) == ("survivor", dt.date(2012, 3, 16))
    body = client.get(reverse("pensions:case_detail", args=[case.pk])).content.decode()
    assert "Efterlevandepension" in body and "Förfallodag" in body


def test_pension_handler_starts_on_what_needs_doing_with_links_to_the_queue(client, pension_handler):
    client.force_login(pension_handler)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("pensions:queue")}?tab=overdue"' in html and "Dina pensionsärenden" in html
