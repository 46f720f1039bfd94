"""Document quality (returns per agency and reason, right the first time), deviations (the centre's own
errors) and the error rate: corrected payments per 10,000 payslips."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import roles
from customers.models import Agency
from payroll import quality, services
from payroll.models import AggregatedPeriod, Deviation, MonthlyVolume, PayrollCase
from tests import factories

pytestmark = pytest.mark.django_db

Status = PayrollCase.Status


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(unit=unit, code="SDF01")


@pytest.fixture
def foreign_agency(other_unit):
    return factories.AgencyFactory(unit=other_unit, code="SDF09")


def _completed(agency, n, period="2012-03", **fields):
    return [
        factories.ManualCaseFactory(agency=agency, period=period, status=Status.COMPLETED, **fields) for _ in range(n)
    ]


def _returned(case, missing, returned_on=dt.date(2012, 3, 6)):
    return factories.CaseReturnFactory(case=case, missing=missing, returned_on=returned_on)


def test_last_months_are_thirteen_pay_periods_ending_with_the_chosen_one():
    months = quality.last_months("2012-03")
    assert len(months) == 13
    assert months[0] == "2011-03" and months[-1] == "2012-03"


def test_right_first_time_is_completed_documents_never_returned_per_agency_and_month(agency):
    march = _completed(agency, 8)
    _returned(march[0], ["signature"])
    _returned(march[0], ["salary"], returned_on=dt.date(2012, 3, 9))  # twice: still one case
    _returned(march[1], ["personnummer", "signature"])
    _completed(agency, 4, period="2012-02")
    factories.ManualCaseFactory(agency=agency, status=Status.RETURNED)  # not completed: not counted
    factories.PayrollCaseFactory(agency=agency)  # imported: not a document
    [row] = quality.document_quality(
        agencies=Agency.objects.filter(pk=agency.pk), periods=quality.last_months("2012-03")
    )
    assert (row.months["2012-03"].completed, row.months["2012-03"].returned) == (8, 2)
    assert row.months["2012-03"].share == Decimal("75.0")
    assert row.months["2012-02"].share == Decimal("100.0")
    assert row.months["2012-01"].share is None
    assert (row.total.completed, row.total.right_first_time, row.total.share) == (12, 10, Decimal("83.3"))


def test_returns_are_counted_per_agency_and_reason_by_the_day_of_the_return(agency, foreign_agency):
    case = _completed(agency, 1)[0]
    _returned(case, ["signature", "salary"])
    _returned(_completed(agency, 1)[0], ["signature"])
    _returned(_completed(agency, 1, period="2011-01")[0], ["extent"], returned_on=dt.date(2011, 1, 10))  # too old
    _returned(_completed(foreign_agency, 1)[0], ["bank_account"])
    rows = quality.document_quality(
        agencies=Agency.objects.filter(pk__in=[agency.pk, foreign_agency.pk]), periods=quality.last_months("2012-03")
    )
    mine, theirs = rows
    assert mine.returns == 2
    assert dict(mine.returns_by_reason) == {"signature": 2, "salary": 1}
    assert dict(theirs.returns_by_reason) == {"bank_account": 1}
    assert [code for code, _label in quality.reasons_used(rows)] == ["signature", "salary", "bank_account"]


def test_the_quality_page_shows_the_units_agencies_only(client, unit_manager, agency, foreign_agency):
    _returned(_completed(agency, 4)[0], ["signature"])
    _returned(_completed(foreign_agency, 2)[0], ["salary"])
    client.force_login(unit_manager)
    response = client.get(reverse("payroll:quality"), {"last": "2012-03"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "SDF01" in text and "SDF09" not in text
    assert "75.0" in text  # 3 of 4 right the first time
    assert client.get(reverse("payroll:quality"), {"agency": foreign_agency.pk}).status_code == 404


def test_the_quality_page_shows_one_agency_month_by_month(client, unit_manager, agency):
    _completed(agency, 2, period="2012-02")
    client.force_login(unit_manager)
    response = client.get(reverse("payroll:quality"), {"agency": agency.pk, "last": "2012-03"})
    assert response.context["detail"].months["2012-02"].completed == 2
    assert b"data-agency-months" in response.content


def test_a_case_handler_sees_no_quality_page(client, case_handler):
    client.force_login(case_handler)
    assert client.get(reverse("payroll:quality")).status_code == 403


# --- deviations ----------------------------------------------------------------------------------------


def test_a_handler_registers_a_deviation_on_a_case_of_the_unit(case_handler, agency):
    case = factories.ManualCaseFactory(agency=agency, status=Status.COMPLETED)
    deviation = services.register_deviation(
        user=case_handler,
        agency=agency,
        case=case,
        occurred_on=dt.date(2012, 3, 25),
        kind=Deviation.Kind.WRONG_DEDUCTION,
        cause=Deviation.Cause.REGISTRATION,
        description="Fel skatteavdrag.",
    )
    assert deviation.status == Deviation.Status.OPEN
    assert deviation.registered_by == case_handler
    assert deviation.history.count() == 1


def test_a_deviation_with_a_correction_date_is_registered_as_corrected(case_handler, agency):
    deviation = services.register_deviation(
        user=case_handler,
        agency=agency,
        occurred_on=dt.date(2012, 3, 25),
        kind=Deviation.Kind.LATE_PAYMENT,
        cause=Deviation.Cause.HANDLED_LATE,
        description="Underlaget låg kvar.",
        correction="Utbetalt via Girovision.",
        corrected_on=dt.date(2012, 3, 27),
    )
    assert deviation.status == Deviation.Status.CORRECTED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurred_on": dt.date(2999, 1, 1)}, "occurred_on"),
        ({"corrected_on": dt.date(2012, 3, 1)}, "corrected_on"),
        ({"corrected_on": dt.date(2999, 1, 1)}, "corrected_on"),
    ],
)
def test_a_deviation_with_impossible_dates_is_refused(case_handler, agency, changes, field):
    data = {
        "user": case_handler,
        "agency": agency,
        "occurred_on": dt.date(2012, 3, 25),
        "kind": Deviation.Kind.WRONG_PAYMENT,
        "cause": Deviation.Cause.REGISTRATION,
        "description": "x",
    } | changes
    with pytest.raises(ValidationError) as error:
        services.register_deviation(**data)
    assert field in error.value.message_dict
    assert not Deviation.objects.exists()


def test_a_deviation_on_another_units_agency_or_case_is_refused(case_handler, agency, foreign_agency):
    base = {
        "user": case_handler,
        "occurred_on": dt.date(2012, 3, 25),
        "kind": Deviation.Kind.WRONG_PAYMENT,
        "cause": Deviation.Cause.REGISTRATION,
        "description": "x",
    }
    with pytest.raises(ValidationError):
        services.register_deviation(agency=foreign_agency, **base)
    with pytest.raises(ValidationError):
        services.register_deviation(agency=agency, case=factories.ManualCaseFactory(agency=foreign_agency), **base)
    with pytest.raises(ValidationError):  # a case of another agency of the unit
        other = factories.AgencyFactory(unit=agency.unit, code="SDF02")
        services.register_deviation(agency=agency, case=factories.ManualCaseFactory(agency=other), **base)
    assert not Deviation.objects.exists()


def test_only_the_unit_manager_follows_up_and_closing_needs_the_corrective_action(case_handler, unit_manager, agency):
    deviation = factories.DeviationFactory(agency=agency, registered_by=case_handler)
    with pytest.raises(PermissionDenied):
        services.update_deviation(deviation=deviation, user=case_handler, status=Deviation.Status.CLOSED)
    with pytest.raises(ValidationError) as error:
        services.update_deviation(
            deviation=deviation, user=unit_manager, status=Deviation.Status.CLOSED, corrected_on=dt.date(2012, 3, 26)
        )
    assert "corrective_action" in error.value.message_dict
    services.update_deviation(
        deviation=deviation,
        user=unit_manager,
        status=Deviation.Status.CLOSED,
        corrected_on=dt.date(2012, 3, 26),
        correction="Mellanskillnaden utbetald.",
        corrective_action="Rutinen för timlön gås igenom på enhetsmötet.",
    )
    deviation.refresh_from_db()
    assert deviation.status == Deviation.Status.CLOSED
    assert deviation.history.latest().history_user is None or deviation.history.count() == 2


def test_registering_a_deviation_on_the_page(client, case_handler, agency):
    case = factories.ManualCaseFactory(agency=agency, status=Status.COMPLETED)
    client.force_login(case_handler)
    data = {
        "agency": agency.pk,
        "case": case.reference,
        "occurred_on": "2012-03-25",
        "kind": "double_payment",
        "cause": "routine_not_followed",
        "description": "Ersättningen registrerad två gånger.",
    }
    response = client.post(reverse("payroll:deviation_create"), data)
    deviation = Deviation.objects.get()
    assert response.status_code == 302 and response.url == reverse("payroll:deviation_detail", args=[deviation.pk])
    assert (deviation.case, deviation.kind) == (case, "double_payment")
    page = client.get(response.url).content.decode()
    assert "Ersättningen registrerad två gånger." in page and case.reference in page


def test_a_case_number_not_of_the_unit_is_an_error_on_the_form(client, case_handler, agency, foreign_agency):
    case = factories.ManualCaseFactory(agency=foreign_agency)
    client.force_login(case_handler)
    data = {
        "agency": agency.pk,
        "case": case.reference,
        "occurred_on": "2012-03-25",
        "kind": "wrong_payment",
        "cause": "registration",
        "description": "x",
    }
    response = client.post(reverse("payroll:deviation_create"), data)
    assert response.status_code == 200
    assert f"No case {case.reference} among your unit" in response.content.decode()
    assert not Deviation.objects.exists()


def test_the_deviation_list_filters_and_shows_only_the_units(client, unit_manager, agency, foreign_agency):
    factories.DeviationFactory(agency=agency, kind=Deviation.Kind.WRONG_PAYMENT, description="A")
    factories.DeviationFactory(agency=agency, kind=Deviation.Kind.LATE_PAYMENT)
    theirs = factories.DeviationFactory(agency=foreign_agency)
    client.force_login(unit_manager)
    response = client.get(reverse("payroll:deviation_list"))
    assert len(response.context["table"].rows) == 2
    response = client.get(reverse("payroll:deviation_list"), {"kind": "late_payment"})
    assert len(response.context["table"].rows) == 1
    assert client.get(reverse("payroll:deviation_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("payroll:deviation_edit", args=[theirs.pk])).status_code == 404


def test_another_units_deviation_cannot_be_changed_by_post(client, unit_manager, foreign_agency):
    theirs = factories.DeviationFactory(agency=foreign_agency, description="Orörd")
    client.force_login(unit_manager)
    response = client.post(
        reverse("payroll:deviation_edit", args=[theirs.pk]),
        {"agency": foreign_agency.pk, "occurred_on": "2012-03-25", "kind": "other", "cause": "other",
         "description": "Ändrad", "status": "closed"},
    )  # fmt: skip
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.description == "Orörd"


# --- the error rate ------------------------------------------------------------------------------------


def _volume(agency, period, payslips):
    MonthlyVolume.objects.create(
        period=period, agency=agency, unit=agency.unit, channel="self_service", payslips=payslips
    )
    AggregatedPeriod.objects.get_or_create(period=period)


def test_the_error_rate_is_corrected_payments_per_10000_payslips(agency, foreign_agency):
    # Seed 000: 600,000 payslips a year, about 50,000 a month.
    _volume(agency, "2012-03", 30_000)
    _volume(foreign_agency, "2012-03", 20_000)
    _volume(agency, "2012-04", 50_000)
    for kind in ("wrong_payment", "wrong_deduction", "double_payment"):
        factories.DeviationFactory(agency=agency, kind=kind, occurred_on=dt.date(2012, 3, 10))
    factories.DeviationFactory(agency=foreign_agency, kind="missed_payment", occurred_on=dt.date(2012, 3, 31))
    factories.DeviationFactory(agency=agency, kind="late_payment", occurred_on=dt.date(2012, 3, 10))  # not corrected
    factories.DeviationFactory(agency=agency, kind="wrong_payment", occurred_on=dt.date(2012, 4, 2))
    march, april = quality.error_rates(periods=["2012-03", "2012-04"])
    assert (march.corrected_payments, march.payslips, march.per_10000) == (4, 50_000, Decimal("0.80"))
    assert (april.corrected_payments, april.per_10000) == (1, Decimal("0.20"))
    both = quality.error_rate(periods=["2012-03", "2012-04"])
    assert (both.corrected_payments, both.payslips, both.per_10000) == (5, 100_000, Decimal("0.50"))
    [mine] = quality.error_rates(periods=["2012-03"], unit_ids=[agency.unit_id])
    assert (mine.corrected_payments, mine.payslips, mine.per_10000) == (3, 30_000, Decimal("1.00"))


def test_a_month_without_payslips_has_no_error_rate(agency):
    factories.DeviationFactory(agency=agency, occurred_on=dt.date(2012, 5, 3))
    [may] = quality.error_rates(periods=["2012-05"])
    assert may.corrected_payments == 1 and may.per_10000 is None


def test_the_unit_manager_sees_the_error_rate_of_the_unit(client, unit_manager, agency, foreign_agency):
    _volume(agency, "2012-03", 40_000)
    _volume(foreign_agency, "2012-03", 10_000)
    factories.DeviationFactory(agency=agency)
    factories.DeviationFactory(agency=foreign_agency)
    client.force_login(unit_manager)
    response = client.get(reverse("payroll:quality"), {"last": "2012-03"})
    rate = response.context["error_rate"]
    assert (rate.corrected_payments, rate.payslips, rate.per_10000) == (1, 40_000, Decimal("0.25"))


def test_roles_for_deviations(users_by_role):
    assert users_by_role[roles.CASE_HANDLER].has_perm("payroll.add_deviation")
    assert not users_by_role[roles.CASE_HANDLER].has_perm("payroll.follow_up_deviation")
    assert users_by_role[roles.UNIT_MANAGER].has_perm("payroll.follow_up_deviation")
    assert not users_by_role[roles.FINANCE].has_perm("payroll.view_deviation")
    assert not users_by_role[roles.PENSION_HANDLER].has_perm("payroll.view_deviation")


def test_the_case_page_links_to_a_deviation_form_with_the_case_filled_in(client, case_handler, agency):
    case = factories.ManualCaseFactory(agency=agency, status=Status.COMPLETED)
    factories.DeviationFactory(agency=agency, case=case)
    client.force_login(case_handler)
    page = client.get(reverse("payroll:case_detail", args=[case.pk])).content.decode()
    assert f"{reverse('payroll:deviation_create')}?case={case.pk}" in page
    assert "AV-" in page
    form = client.get(reverse("payroll:deviation_create"), {"case": case.pk}).context["form"]
    assert (form.initial["case"], form.initial["agency"]) == (case.reference, agency.pk)


def test_the_agency_page_links_to_its_document_quality_and_deviations(client, unit_manager, finance, agency):
    client.force_login(unit_manager)
    page = client.get(reverse("customers:agency_detail", args=[agency.pk])).content.decode()
    assert f"{reverse('payroll:quality')}?agency={agency.pk}" in page
    assert f"{reverse('payroll:deviation_list')}?agency={agency.pk}" in page
    client.force_login(finance)  # finance sees the agency but not the centre's quality work
    page = client.get(reverse("customers:agency_detail", args=[agency.pk])).content.decode()
    assert reverse("payroll:quality") not in page
