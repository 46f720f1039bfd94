"""The skills matrix: who can handle which agency or case type, kept by the unit manager and shown
when lending a handler to another unit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from staffing import selectors, services
from staffing.models import Skill
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler(unit):
    return factories.PensionStaffFactory(unit=unit, category="payroll_admin", name="Anna Lind")


def test_the_manager_sets_what_a_handler_can_handle(unit_manager, handler, unit, other_unit):
    own = factories.AgencyFactory(unit=unit, code="SDF01")
    theirs = factories.AgencyFactory(unit=other_unit, code="SDF09")
    services.set_skills(
        staff_member=handler, case_types=["new_hire", "tax_agency"], agencies=[own, theirs], user=unit_manager
    )
    [row] = selectors.skills_matrix(handler.unit.staff.filter(pk=handler.pk))
    assert row.case_types == {"new_hire", "tax_agency"}
    assert [a.code for a in row.agencies] == ["SDF01", "SDF09"]
    assert [a.code for a in row.agencies_of(other_unit.pk)] == ["SDF09"]
    # Setting again replaces: one type removed, one added, one agency removed.
    services.set_skills(
        staff_member=handler, case_types=["new_hire", "urgent_payout"], agencies=[theirs], user=unit_manager
    )
    assert set(handler.skills.values_list("case_type", flat=True)) - {""} == {"new_hire", "urgent_payout"}
    assert list(handler.skills.filter(agency__isnull=False).values_list("agency__code", flat=True)) == ["SDF09"]
    assert Skill.history.filter(history_type="-").count() == 2
    assert Skill.history.filter(history_user=unit_manager).count() == Skill.history.count()


def test_another_units_staff_and_unknown_types_are_refused(unit_manager, other_unit, handler):
    stranger = factories.PensionStaffFactory(unit=other_unit, category="payroll_admin")
    with pytest.raises(ValidationError):
        services.set_skills(staff_member=stranger, case_types=["new_hire"], agencies=[], user=unit_manager)
    with pytest.raises(ValidationError):
        services.set_skills(staff_member=handler, case_types=["astrology"], agencies=[], user=unit_manager)
    assert not Skill.objects.exists()


def test_a_case_handler_cannot_change_the_matrix(case_handler, handler):
    with pytest.raises(PermissionDenied):
        services.set_skills(staff_member=handler, case_types=["new_hire"], agencies=[], user=case_handler)


def test_a_skill_is_an_agency_or_a_case_type_never_both(handler):
    from django.db import IntegrityError, transaction

    agency = factories.AgencyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Skill.objects.create(staff_member=handler, agency=agency, case_type="new_hire")
    with pytest.raises(IntegrityError), transaction.atomic():
        Skill.objects.create(staff_member=handler)


def test_the_payroll_document_types_are_case_types_of_the_matrix():
    from payroll.models import DocumentType

    assert set(DocumentType.values) <= set(Skill.CaseType.values)


def test_the_edit_page_saves_and_the_loan_page_shows_the_skills(client, unit_manager, handler, other_unit):
    theirs = factories.AgencyFactory(unit=other_unit, code="SDF09")
    client.force_login(unit_manager)
    response = client.post(
        reverse("staffing:skill_edit", args=[handler.pk]), {"case_types": ["termination"], "agencies": [theirs.pk]}
    )
    assert response.status_code == 302
    assert set(handler.skills.values_list("case_type", "agency_id")) == {("termination", None), ("", theirs.pk)}
    page = client.get(reverse("staffing:loans"))
    assert page.status_code == 200
    [row] = [r for r in page.context["skills"] if r.staff_member == handler]
    assert row.case_types == {"termination"} and row.agencies == [theirs]
    assert "SDF09" in page.content.decode()


def test_another_units_staff_member_has_no_edit_page(client, unit_manager, other_unit):
    stranger = factories.PensionStaffFactory(unit=other_unit, category="payroll_admin")
    client.force_login(unit_manager)
    assert client.get(reverse("staffing:skill_edit", args=[stranger.pk])).status_code == 404
    response = client.post(reverse("staffing:skill_edit", args=[stranger.pk]), {"case_types": ["new_hire"]})
    assert response.status_code == 404 and not Skill.objects.exists()
