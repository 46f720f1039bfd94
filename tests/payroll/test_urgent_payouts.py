"""Urgent payouts (Girovision) are completed only after a second person has approved them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payroll import services
from payroll.models import PayrollCase, StatusChange
from tests import factories
from tests.payroll.helpers import pnr, second_handler

pytestmark = pytest.mark.django_db


@pytest.fixture
def urgent(case_handler, unit):
    case = services.register_case(
        user=case_handler,
        agency=factories.AgencyFactory(unit=unit),
        period="2012-03",
        personnummer=pnr(3),
        name="Ulla Utbetalning",
        document_type="additions_deductions",
        received_on=dt.date(2012, 3, 20),
        channel="girovision",
    )
    return services.mark_registered(case=case, user=case_handler)


def test_an_urgent_payout_cannot_be_completed_before_approval(case_handler, urgent):
    with pytest.raises(ValidationError, match="approve"):
        services.complete_case(case=urgent, user=case_handler)
    urgent.refresh_from_db()
    assert urgent.status == PayrollCase.Status.REGISTERED


def test_the_registering_handler_cannot_approve_their_own_urgent_payout(case_handler, urgent):
    with pytest.raises(ValidationError, match="second person"):
        services.approve_urgent_payout(case=urgent, user=case_handler)
    urgent.refresh_from_db()
    assert urgent.approved_by is None


def test_the_handler_who_took_over_cannot_approve_either(case_handler, urgent, unit):
    colleague = second_handler(unit)
    services.assign_case(case=urgent, user=colleague)
    with pytest.raises(ValidationError):
        services.approve_urgent_payout(case=urgent, user=colleague)


def test_a_user_without_the_permission_cannot_approve(urgent, pension_handler):
    with pytest.raises(PermissionDenied):
        services.approve_urgent_payout(case=urgent, user=pension_handler)


def test_a_second_person_approves_and_then_it_can_be_completed(case_handler, urgent, unit_manager):
    services.approve_urgent_payout(case=urgent, user=unit_manager)
    urgent.refresh_from_db()
    assert urgent.approved_by == unit_manager and urgent.approved_at is not None
    assert StatusChange.objects.filter(case=urgent, changed_by=unit_manager, note="Urgent payout approved").exists()
    case = services.complete_case(case=urgent, user=case_handler, completed_on=dt.date(2012, 3, 21))
    assert case.status == PayrollCase.Status.COMPLETED


def test_returning_an_approved_urgent_payout_withdraws_the_approval(case_handler, urgent, unit_manager):
    services.approve_urgent_payout(case=urgent, user=unit_manager)
    services.return_case(case=urgent, user=case_handler, missing=["bank_account"], returned_on=dt.date(2012, 3, 21))
    case = services.record_document_arrived(case=urgent, user=case_handler, arrived_on=dt.date(2012, 3, 22))
    assert case.approved_by is None and case.needs_approval
    with pytest.raises(ValidationError):
        services.complete_case(case=case, user=case_handler)


def test_other_channels_need_no_approval(case_handler, unit_manager, unit):
    case = factories.ManualCaseFactory(agency=factories.AgencyFactory(unit=unit), status="registered")
    with pytest.raises(ValidationError):
        services.approve_urgent_payout(case=case, user=unit_manager)
    assert services.complete_case(case=case, user=case_handler).status == "completed"


def test_approval_through_the_page_refuses_the_same_person(client, case_handler, urgent, unit_manager):
    client.force_login(case_handler)
    response = client.post(f"/payroll/cases/{urgent.pk}/approve/", follow=True)
    assert "must be approved by a second person" in response.content.decode()
    urgent.refresh_from_db()
    assert urgent.approved_by is None
    page = client.get(f"/payroll/cases/{urgent.pk}/").content.decode()
    assert "someone else must approve it" in page
    client.force_login(unit_manager)
    response = client.post(f"/payroll/cases/{urgent.pk}/approve/", follow=True)
    assert "is approved" in response.content.decode()
    urgent.refresh_from_db()
    assert urgent.approved_by == unit_manager
