"""Internal control: repeatable random samples of completed payments and their outcomes."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from payroll import services
from payroll.models import ControlCheck, ControlSample
from payroll.services.control import draw_ids
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(unit, other_unit):
    mine = factories.AgencyFactory(unit=unit)
    theirs = factories.AgencyFactory(unit=other_unit)
    person = factories.PersonFactory()
    cases = [factories.PayrollCaseFactory(agency=mine, period="2012-03", person=person) for _ in range(40)]
    factories.PayrollCaseFactory(agency=theirs, period="2012-03", person=person)
    factories.ManualCaseFactory(agency=mine, period="2012-03", person=person)  # not completed
    factories.PayrollCaseFactory(agency=mine, period="2012-04", person=person)  # another period
    return cases


def test_the_same_seed_draws_the_same_cases_again(unit_manager, unit, completed):
    sample = services.draw_control_sample(user=unit_manager, period="2012-03", size=10, seed=123, unit=unit)
    drawn = sorted(sample.checks.values_list("case_id", flat=True))
    assert len(drawn) == 10 and sample.population == 40
    assert set(drawn) <= {c.pk for c in completed}
    again = services.draw_control_sample(user=unit_manager, period="2012-03", size=10, seed=123, unit=unit)
    assert sorted(again.checks.values_list("case_id", flat=True)) == drawn
    other = draw_ids(period="2012-03", size=10, seed=124, unit=unit)[0]
    assert other != drawn
    assert services.repeat_draw(sample)


def test_without_a_seed_a_random_one_is_recorded(unit_manager, unit, completed):
    sample = services.draw_control_sample(user=unit_manager, period="2012-03", size=5, unit=unit)
    assert sample.seed is not None and sample.size == 5
    assert (
        sorted(sample.checks.values_list("case_id", flat=True))
        == draw_ids(period="2012-03", size=5, seed=sample.seed, unit=unit)[0]
    )


def test_a_repeat_shows_when_the_population_has_changed(unit_manager, unit, completed):
    sample = services.draw_control_sample(user=unit_manager, period="2012-03", size=10, seed=5, unit=unit)
    for case in completed[:20]:
        factories.PayrollCaseFactory(agency=case.agency, period="2012-03", person=case.person)
    assert not services.repeat_draw(sample)


def test_a_unit_manager_cannot_draw_from_every_unit(unit_manager, completed):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.draw_control_sample(user=unit_manager, period="2012-03", size=5, seed=1)


def test_a_period_without_completed_cases_draws_nothing(unit_manager, unit, completed):
    with pytest.raises(ValidationError):
        services.draw_control_sample(user=unit_manager, period="2011-01", size=5, seed=1, unit=unit)
    assert not ControlSample.objects.exists()


def test_outcomes_are_recorded_and_an_incorrect_payment_needs_a_note(case_handler, unit_manager, unit, completed):
    sample = services.draw_control_sample(user=unit_manager, period="2012-03", size=2, seed=9, unit=unit)
    first, second = sample.checks.all()
    services.record_check(check=first, user=case_handler, outcome="correct")
    with pytest.raises(ValidationError):
        services.record_check(check=second, user=case_handler, outcome="incorrect", note="")
    services.record_check(check=second, user=case_handler, outcome="incorrect", note="Fel timlön")
    assert dict(ControlCheck.objects.values_list("outcome", "note")) == {"correct": "", "incorrect": "Fel timlön"}
    assert ControlCheck.objects.filter(checked_by=case_handler).count() == 2


def test_the_command_draws_and_repeats(unit_manager, unit, completed, capsys):
    call_command("draw_control_sample", period="2012-03", size=3, seed=77, unit="lon1", user=unit_manager.username)
    out = capsys.readouterr().out
    sample = ControlSample.objects.get()
    assert f"Sample {sample.pk}: 3 of 40 completed cases of 2012-03, seed 77" in out
    for case_id in sample.checks.values_list("case_id", flat=True):
        assert f"case {case_id}" in out
    call_command("draw_control_sample", repeat=sample.pk)
    assert "draws the same cases again" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("draw_control_sample", period="2012-03", size=3, user="nobody")


def test_the_pages_draw_show_and_record(client, unit_manager, case_handler, unit, completed):
    client.force_login(unit_manager)
    response = client.post("/payroll/control/draw/", {"period": "2012-03", "size": 4, "seed": 3, "unit": unit.pk})
    sample = ControlSample.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/payroll/control/{sample.pk}/"
    page = client.get(f"/payroll/control/{sample.pk}/").content.decode()
    assert "The same seed draws the same cases" in page and ">3<" in page
    check = sample.checks.first()
    client.force_login(case_handler)
    client.post(f"/payroll/control/checks/{check.pk}/", {"outcome": "incorrect", "note": "Fel belopp"})
    check.refresh_from_db()
    assert check.outcome == "incorrect" and check.note == "Fel belopp" and check.checked_by == case_handler


def test_a_bad_draw_shows_the_error(client, unit_manager, unit, completed):
    client.force_login(unit_manager)
    response = client.post("/payroll/control/draw/", {"period": "2011-01", "size": 4, "unit": unit.pk})
    assert response.status_code == 400
    assert "no completed cases" in response.content.decode()


def test_another_units_sample_is_not_found(client, case_handler, other_unit):
    sample = factories.ControlSampleFactory(unit=other_unit)
    client.force_login(case_handler)
    assert client.get(f"/payroll/control/{sample.pk}/").status_code == 404
