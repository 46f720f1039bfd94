"""The pension case's status flow, decisions and what they feed: retirements and invoicing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import ClosedPeriod
from core.periods import periods_between
from organisation.models import StaffMember
from pensions import selectors, services
from pensions.models import CaseKind, PensionCase, StatusChange
from tests import factories

S = PensionCase.Status
YEAR_2012 = periods_between("2012-01", "2012-12")


@pytest.fixture
def person(db):
    return factories.PersonFactory(name="Greta Gustavsson")


def register(agency, person, user, **kwargs):
    defaults = {
        "kind": CaseKind.OLD_AGE,
        "agency": agency,
        "person": person,
        "unit": agency.unit,
        "received_on": dt.date(2012, 3, 1),
        "user": user,
    }
    return services.register_case(**{**defaults, **kwargs})


def test_registered_case_gets_a_number_of_the_year_and_the_kinds_lead_time(agency, person, pension_handler):
    first = register(agency, person, pension_handler)
    second = register(agency, person, pension_handler, kind=CaseKind.SURVIVOR)
    assert (first.number, second.number) == ("PE-2012-00001", "PE-2012-00002")
    # 20 working days for old-age pension, 10 for survivors (1 March 2012 is a Thursday).
    assert first.due_on == dt.date(2012, 3, 29)
    assert second.due_on == dt.date(2012, 3, 15)
    assert first.status == S.RECEIVED
    assert list(first.changes.values_list("to_status", "by")) == [(S.RECEIVED, pension_handler.pk)]


def test_due_date_before_receipt_is_refused(agency, person, pension_handler):
    with pytest.raises(ValidationError):
        register(agency, person, pension_handler, due_on=dt.date(2012, 2, 1))
    assert PensionCase.objects.count() == 0


def test_handler_of_another_unit_cannot_be_given_the_case(agency, person, pension_handler, other_unit):
    stranger = factories.PensionStaffFactory(unit=other_unit)
    with pytest.raises(ValidationError):
        register(agency, person, pension_handler, handler=stranger)


def test_full_flow_is_recorded_step_by_step_with_who_and_why(agency, person, pension_handler, handler):
    case = register(agency, person, pension_handler)
    case = services.start_investigation(case=case, user=pension_handler)
    assert case.handler == handler  # the one who starts an unassigned case takes it
    case = services.wait_for_information(
        case=case, waiting_for="agency", note="Anställningstid saknas", user=pension_handler
    )
    assert (case.status, case.waiting_for) == (S.WAITING, "agency")
    case = services.start_investigation(case=case, user=pension_handler, note="Uppgifter inkomna")
    assert case.waiting_for == ""
    case = services.decide_case(
        case=case,
        decision="granted",
        decided_on=dt.date(2012, 3, 20),
        benefit_start=dt.date(2012, 4, 1),
        user=pension_handler,
    )
    case = services.mark_paid(case=case, paid_on=dt.date(2012, 3, 26), user=pension_handler)
    case = services.close_case(case=case, user=pension_handler, closed_on=dt.date(2012, 4, 2))
    steps = list(StatusChange.objects.filter(case=case).values_list("from_status", "to_status", "note", "by"))
    assert steps == [
        ("", S.RECEIVED, "", pension_handler.pk),
        (S.RECEIVED, S.INVESTIGATING, "", pension_handler.pk),
        (S.INVESTIGATING, S.WAITING, "Anställningstid saknas", pension_handler.pk),
        (S.WAITING, S.INVESTIGATING, "Uppgifter inkomna", pension_handler.pk),
        (S.INVESTIGATING, S.DECIDED, "", pension_handler.pk),
        (S.DECIDED, S.PAID, "", pension_handler.pk),
        (S.PAID, S.CLOSED, "", pension_handler.pk),
    ]
    assert (case.decision, case.billing_period, case.closed_on) == ("granted", "2012-03", dt.date(2012, 4, 2))
    # The field history keeps who changed the case, too.
    assert case.history.filter(history_user=pension_handler).count() >= 6


def test_a_case_cannot_be_decided_before_it_is_investigated(agency, person, pension_handler):
    case = register(agency, person, pension_handler)
    with pytest.raises(services.TransitionError):
        services.decide_case(case=case, decision="rejected", decided_on=dt.date(2012, 3, 5), user=pension_handler)
    case.refresh_from_db()
    assert case.status == S.RECEIVED and case.decision == ""


def test_granted_decision_needs_a_benefit_start_date(agency, person, pension_handler):
    case = services.start_investigation(case=register(agency, person, pension_handler), user=pension_handler)
    with pytest.raises(ValidationError) as refused:
        services.decide_case(case=case, decision="granted", decided_on=dt.date(2012, 3, 5), user=pension_handler)
    assert refused.value.code == "benefit_start"
    case.refresh_from_db()
    assert case.status == S.INVESTIGATING


def test_decision_cannot_predate_receipt_or_lie_in_the_future(agency, person, pension_handler):
    case = services.start_investigation(case=register(agency, person, pension_handler), user=pension_handler)
    for day in (dt.date(2012, 2, 28), dt.date.today() + dt.timedelta(days=2)):
        with pytest.raises(ValidationError):
            services.decide_case(case=case, decision="rejected", decided_on=day, user=pension_handler)


def test_a_rejected_benefit_is_never_paid(agency, person, pension_handler):
    case = services.start_investigation(case=register(agency, person, pension_handler), user=pension_handler)
    case = services.decide_case(case=case, decision="rejected", decided_on=dt.date(2012, 3, 9), user=pension_handler)
    assert case.benefit_start is None
    with pytest.raises(services.TransitionError):
        services.mark_paid(case=case, paid_on=dt.date(2012, 3, 12), user=pension_handler)


def test_waiting_needs_to_say_what_is_missing(agency, person, pension_handler):
    case = register(agency, person, pension_handler)
    with pytest.raises(ValidationError):
        services.wait_for_information(case=case, waiting_for="person", note=" ", user=pension_handler)


def test_closing_an_undecided_case_needs_a_reason(agency, person, pension_handler):
    case = register(agency, person, pension_handler)
    with pytest.raises(ValidationError) as refused:
        services.close_case(case=case, user=pension_handler)
    assert refused.value.messages == ["Ange varför ärendet avslutas utan beslut."]
    case = services.close_case(case=case, user=pension_handler, note="Ansökan återtagen")
    assert case.status == S.CLOSED
    with pytest.raises(services.TransitionError):
        services.start_investigation(case=case, user=pension_handler)


def test_decision_in_a_closed_billing_period_is_invoiced_in_the_next_open_one(agency, person, pension_handler):
    ClosedPeriod.objects.create(period="2012-03")
    ClosedPeriod.objects.create(period="2012-04")
    case = services.start_investigation(case=register(agency, person, pension_handler), user=pension_handler)
    case = services.decide_case(case=case, decision="rejected", decided_on=dt.date(2012, 3, 30), user=pension_handler)
    assert case.billing_period == "2012-05"
    assert selectors.billable_counts(billing_period="2012-03") == {}
    assert selectors.billable_counts(billing_period="2012-05") == {agency.pk: {"pension_case": 1}}


def test_billable_counts_are_decided_cases_per_agency(agency, other_agency):
    factories.decided_pension_case(agency=agency, decided_on=dt.date(2012, 3, 5))
    factories.decided_pension_case(agency=agency, decided_on=dt.date(2012, 3, 28), decision="rejected")
    factories.decided_pension_case(agency=other_agency, decided_on=dt.date(2012, 3, 12), kind=CaseKind.INSURANCE)
    factories.decided_pension_case(agency=agency, decided_on=dt.date(2012, 4, 2))
    factories.PensionCaseFactory(agency=agency, status=S.INVESTIGATING)
    factories.PensionCaseFactory(
        agency=agency, status=S.CLOSED, closed_on=dt.date(2012, 3, 15), note="Återtagen"
    )  # closed without a decision: no work to invoice
    assert selectors.billable_counts(billing_period="2012-03") == {
        agency.pk: {"pension_case": 2},
        other_agency.pk: {"pension_case": 1},
    }


def test_pension_retirements_are_old_age_cases_granted_by_decision_date(agency, unit, other_unit):
    factories.decided_pension_case(agency=agency, decided_on=dt.date(2012, 1, 31))
    factories.decided_pension_case(
        agency=agency, decided_on=dt.date(2012, 6, 1), status=S.PAID, paid_on=dt.date(2012, 6, 5)
    )
    factories.decided_pension_case(
        agency=agency,
        decided_on=dt.date(2012, 12, 31),
        status=S.CLOSED,
        paid_on=dt.date(2012, 12, 31),
        closed_on=dt.date(2012, 12, 31),
    )
    factories.decided_pension_case(agency=agency, decided_on=dt.date(2012, 3, 1), decision="rejected")
    factories.decided_pension_case(agency=agency, decided_on=dt.date(2012, 3, 1), kind=CaseKind.SURVIVOR)
    factories.decided_pension_case(agency=agency, decided_on=dt.date(2013, 1, 2))  # next year
    factories.PensionCaseFactory(agency=agency, received_on=dt.date(2012, 5, 2), status=S.INVESTIGATING)
    factories.decided_pension_case(agency=agency, unit=other_unit, decided_on=dt.date(2012, 5, 9))
    assert selectors.pension_retirements(periods=YEAR_2012) == 4
    assert selectors.pension_retirements(periods=YEAR_2012, unit=unit) == 3
    assert selectors.pension_retirements(periods=YEAR_2012, unit=other_unit) == 1
    assert selectors.pension_retirements(periods=["2012-01", "2012-12"]) == 2
    assert selectors.pension_retirements(periods=periods_between("2012-05", "2012-08")) == 2


def test_volumes_count_received_and_handled_cases_and_signals(agency, unit):
    factories.PensionCaseFactory(agency=agency, received_on=dt.date(2012, 3, 2))
    factories.decided_pension_case(agency=agency, received_on=dt.date(2012, 2, 20), decided_on=dt.date(2012, 3, 6))
    factories.decided_pension_case(
        agency=agency, kind=CaseKind.INSURANCE, received_on=dt.date(2012, 3, 6), decided_on=dt.date(2012, 3, 8)
    )
    factories.PensionCaseFactory(
        agency=agency, received_on=dt.date(2012, 3, 9), status=S.CLOSED, closed_on=dt.date(2012, 3, 12), note="x"
    )
    signals = factories.SignalListFactory(unit=unit, received_on=dt.date(2012, 3, 1), deadline=dt.date(2012, 3, 30))
    factories.SignalItemFactory(signal_list=signals, agency=agency)
    factories.SignalItemFactory(signal_list=signals, agency=agency, status="handled", handled_on=dt.date(2012, 3, 7))
    result = selectors.volumes(periods=["2012-03"])
    assert result["cases_received"] == 3
    assert result["cases_handled"] == 3  # two decided, one closed without a decision
    assert result["cases_decided"] == 2
    assert result["by_kind"]["insurance"] == {"received": 1, "handled": 1}
    assert result["by_kind"]["old_age"] == {"received": 2, "handled": 2}
    assert (result["signals_received"], result["signals_handled"]) == (2, 1)
    assert selectors.volumes(periods=["2012-03"], unit=factories.UnitFactory())["cases_received"] == 0


def test_reassigning_keeps_the_handler_within_the_unit(agency, person, pension_handler, handler):
    colleague = factories.PensionStaffFactory(unit=agency.unit, name="Kollega")
    case = register(agency, person, pension_handler, handler=handler)
    case = services.assign_case(case=case, handler=colleague, user=pension_handler)
    assert case.handler == colleague
    inactive = factories.PensionStaffFactory(unit=agency.unit, active=False)
    with pytest.raises(ValidationError):
        services.assign_case(case=case, handler=inactive, user=pension_handler)
    assert StaffMember.objects.get(pk=colleague.pk).pension_cases.count() == 1


def test_decided_cases_are_priced_by_the_pricing_engine(agency):
    from pricing.services import price_lines

    factories.price_list_2012()
    for day in (5, 12, 19):
        factories.decided_pension_case(agency=agency, decided_on=dt.date(2012, 3, day))
    quantities = selectors.billable_counts(billing_period="2012-03")[agency.pk]
    (line,) = price_lines(agency=agency, period="2012-03", quantities=quantities)
    assert (line.item_code, line.quantity, line.unit_price, line.amount) == ("pension_case", 3, 1200, 3600)
