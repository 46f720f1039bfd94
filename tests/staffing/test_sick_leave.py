"""Sick-leave rate per month and unit from the absences entered, against the year's target."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisation.models import Target
from organisation.targets import target_for
from staffing import selectors, services
from staffing.models import Absence
from tests import factories

# March 2012 has 22 working days.


def test_march_2012_has_22_working_days():
    assert selectors.working_days_in("2012-03") == 22


def test_sick_leave_rate_is_sick_time_over_scheduled_time(unit, lon1_staff):
    factories.MonthlyFteFactory(unit=unit, period="2012-03", fte=Decimal("20.5"))
    # 11 working days at 100 % = 0.5 FTE-month; worked 20.5 + absent 0.5 = 21 scheduled.
    factories.AbsenceFactory(staff_member=lon1_staff, first_day=dt.date(2012, 3, 1), last_day=dt.date(2012, 3, 15))
    assert selectors.sick_leave_rate(periods=["2012-03"], unit=unit) == Decimal("2.4")  # 0.5 / 21


def test_part_time_absence_counts_by_its_extent_and_other_leave_only_in_the_denominator(unit, lon1_staff):
    colleague = factories.PensionStaffFactory(unit=unit, category="payroll_admin")
    factories.MonthlyFteFactory(unit=unit, period="2012-03", fte=Decimal("9.0"))
    factories.AbsenceFactory(
        staff_member=lon1_staff, first_day=dt.date(2012, 3, 1), last_day=dt.date(2012, 3, 31), extent=50
    )  # 0.5 FTE sick
    factories.AbsenceFactory(
        staff_member=colleague, kind="parental", first_day=dt.date(2012, 3, 1), last_day=dt.date(2012, 3, 31)
    )  # 1 FTE parental leave
    sick, scheduled = selectors.sick_leave_parts(periods=["2012-03"], unit=unit)
    assert (sick, scheduled) == (Decimal("0.5"), Decimal("10.5"))
    assert selectors.sick_leave_rate(periods=["2012-03"], unit=unit) == Decimal("4.8")


def test_an_absence_across_months_is_split_by_working_days(unit, lon1_staff):
    factories.MonthlyFteFactory(unit=unit, period="2012-03", fte=Decimal("10"))
    factories.MonthlyFteFactory(unit=unit, period="2012-04", fte=Decimal("10"))
    # 26–30 March: 5 working days; 2–5 April: 4 (Good Friday 6 April, Easter Monday 9 April off).
    factories.AbsenceFactory(staff_member=lon1_staff, first_day=dt.date(2012, 3, 26), last_day=dt.date(2012, 4, 5))
    absent = selectors.absence_fte(periods=["2012-03", "2012-04"])
    assert absent[("2012-03", unit.pk, "sick")] == Decimal(5) / 22
    assert absent[("2012-04", unit.pk, "sick")] == Decimal(4) / selectors.working_days_in("2012-04")


def test_the_rate_over_a_period_weights_the_months(unit, other_unit, lon1_staff, lon2_staff):
    for period in ("2012-03", "2012-04"):
        factories.MonthlyFteFactory(unit=unit, period=period, fte=Decimal("9"))
        factories.MonthlyFteFactory(unit=other_unit, period=period, fte=Decimal("10"))
    factories.AbsenceFactory(staff_member=lon1_staff, first_day=dt.date(2012, 3, 1), last_day=dt.date(2012, 3, 31))
    rates = selectors.sick_leave_by_month(periods=["2012-03", "2012-04"], units=[unit, other_unit])
    assert rates[("2012-03", unit.pk)] == Decimal("10.0")
    assert rates[("2012-04", unit.pk)] == Decimal("0.0")
    assert rates[("2012-03", other_unit.pk)] == Decimal("0.0")
    assert selectors.sick_leave_rate(periods=["2012-03", "2012-04"]) == Decimal("2.6")  # 1 / (38 + 1)


def test_no_figures_means_no_rate(unit):
    assert selectors.sick_leave_rate(periods=["2012-03"], unit=unit) is None


def test_targets_are_the_plans(db):
    assert target_for(Target.Indicator.SICK_LEAVE, 2012) == Decimal("4.5")
    assert target_for(Target.Indicator.SICK_LEAVE, 2020) == Decimal("4.5")
    assert target_for(Target.Indicator.SICK_LEAVE, 2025) == Decimal("6.0")


def test_overlapping_absences_cannot_exceed_full_time(unit, lon1_staff, unit_manager):
    services.register_absence(
        staff_member=lon1_staff, kind="sick", first_day=dt.date(2012, 3, 5), last_day=dt.date(2012, 3, 9), extent=50,
        user=unit_manager,
    )  # fmt: skip
    services.register_absence(
        staff_member=lon1_staff, kind="parental", first_day=dt.date(2012, 3, 7), last_day=dt.date(2012, 3, 7),
        extent=50, user=unit_manager,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.register_absence(
            staff_member=lon1_staff, kind="sick", first_day=dt.date(2012, 3, 7), last_day=dt.date(2012, 3, 8),
            extent=25, user=unit_manager,
        )  # fmt: skip
    assert Absence.objects.count() == 2


def test_sick_leave_page_flags_months_over_the_target(client, unit_manager, unit, lon1_staff):
    factories.MonthlyFteFactory(unit=unit, period="2012-03", fte=Decimal("20.5"))
    factories.MonthlyFteFactory(unit=unit, period="2012-04", fte=Decimal("21"))
    factories.AbsenceFactory(staff_member=lon1_staff, first_day=dt.date(2012, 3, 1), last_day=dt.date(2012, 3, 31))
    client.force_login(unit_manager)
    response = client.get(reverse("staffing:sick_leave"), {"year": 2012})
    body = response.content.decode()
    assert "Mål: högst 4,5 %." in body
    assert '<span class="badge bad">4,7 %</span>' in body  # 1 / 21.5
    assert '<span class="badge ok">0,0 %</span>' in body


def test_unit_manager_registers_an_absence_for_their_staff(client, unit_manager, lon1_staff):
    client.force_login(unit_manager)
    response = client.post(
        reverse("staffing:absence_create"),
        {"staff_member": lon1_staff.pk, "kind": "sick", "first_day": "2012-03-05", "last_day": "2012-03-07",
         "extent": "100", "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.staff_member, absence.registered_by) == (lon1_staff, unit_manager)
    assert absence.history.get().history_user == unit_manager


def test_absence_form_refuses_reversed_dates(client, unit_manager, lon1_staff):
    client.force_login(unit_manager)
    response = client.post(
        reverse("staffing:absence_create"),
        {"staff_member": lon1_staff.pk, "kind": "sick", "first_day": "2012-03-07", "last_day": "2012-03-05",
         "extent": "100"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Sista dagen kan inte vara före första dagen." in response.content.decode()
    assert not Absence.objects.exists()


def test_another_units_staff_and_absences_are_out_of_reach(client, unit_manager, lon2_staff):
    absence = factories.AbsenceFactory(staff_member=lon2_staff)
    client.force_login(unit_manager)
    response = client.post(
        reverse("staffing:absence_create"),
        {"staff_member": lon2_staff.pk, "kind": "sick", "first_day": "2012-03-12", "last_day": "2012-03-13",
         "extent": "100"},
    )  # fmt: skip
    assert response.status_code == 200 and "staff_member" in response.context["form"].errors
    assert client.get(reverse("staffing:absence_edit", args=[absence.pk])).status_code == 404
    assert client.post(reverse("staffing:absence_delete", args=[absence.pk])).status_code == 404
    assert Absence.objects.count() == 1
    assert lon2_staff.name not in client.get(reverse("staffing:absences")).content.decode()


def test_removing_an_absence_keeps_it_in_the_history(client, unit_manager, lon1_staff):
    absence = factories.AbsenceFactory(staff_member=lon1_staff)
    client.force_login(unit_manager)
    assert client.post(reverse("staffing:absence_delete", args=[absence.pk])).status_code == 302
    assert not Absence.objects.exists()
    assert Absence.history.filter(history_type="-", history_user=unit_manager).count() == 1


def test_head_of_service_reads_absences_but_cannot_register(client, head_of_service, lon1_staff, lon2_staff):
    factories.AbsenceFactory(staff_member=lon1_staff)
    factories.AbsenceFactory(staff_member=lon2_staff)
    client.force_login(head_of_service)
    assert client.get(reverse("staffing:absences")).context["table"].paginator.count == 2
    assert client.get(reverse("staffing:absence_create")).status_code == 403


def test_staff_list_shows_the_unit_managers_own_staff(client, unit_manager, lon1_staff, lon2_staff):
    client.force_login(unit_manager)
    response = client.get(reverse("staffing:staff"))
    names = {row.record.name for row in response.context["table"].rows}
    assert lon1_staff.name in names and lon2_staff.name not in names
