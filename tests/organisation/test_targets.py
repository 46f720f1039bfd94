"""The board's targets come from one table: a target the head of service edits is the one every
page shows (the meetings, sick-leave, phone and survey pages as well as the reports)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from organisation.models import Target
from organisation.targets import DEFAULT_TARGETS, target_for
from staffing.models import CustomerSurvey
from tests import factories

Ind = Target.Indicator
EDITED = {
    Ind.CUSTOMER_MEETINGS: "48",
    Ind.CUSTOMER_MEETINGS_PER_AGENCY: "3",
    Ind.SICK_LEAVE: "5.5",
    Ind.PHONE_WITHIN_25S: "87.5",
    Ind.FIRST_CONTACT: "77",
    Ind.EMAIL_WITHIN_DAY: "95",
    Ind.SATISFIED_CUSTOMERS: "92.5",
}


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _edit(client, indicator, value):
    target = Target.objects.get(indicator=indicator, year=2012)
    response = client.post(
        reverse("reporting:target_edit", args=[target.pk]),
        {"indicator": indicator, "year": 2012, "value": value, "note": "Edited by the board"},
    )
    assert response.status_code == 302, response.content.decode()


def _page(client, url_name):
    response = client.get(reverse(url_name), {"year": 2012})
    assert response.status_code == 200
    return response.content.decode()


# The seeds set no target for the error rate: the board sets it on the targets page.
WITHOUT_A_SEEDED_TARGET = {Ind.ERROR_RATE}


def test_every_indicator_the_pages_use_has_a_default_target(db):
    assert {indicator for indicator, *_rest in DEFAULT_TARGETS} == set(Ind.values) - WITHOUT_A_SEEDED_TARGET
    assert target_for(Ind.ERROR_RATE, 2025) is None
    assert target_for(Ind.CUSTOMER_MEETINGS_PER_AGENCY, 2012) == Decimal("2")


def test_an_edited_target_is_shown_on_the_meetings_sick_leave_phone_and_survey_pages(
    client, head_of_service, unit, english
):
    agency = factories.AgencyFactory(unit=unit)
    factories.CustomerLogEntryFactory(agency=agency, date="2012-03-01", kind="meeting")
    CustomerSurvey.objects.create(year=2012, satisfied_pct=Decimal("91.0"), nki=Decimal("70"))
    client.force_login(head_of_service)
    before = _page(client, "customers:meetings")
    assert "at least 60 customer meetings" in before and "fewer than 2 meetings" in before
    for indicator, value in EDITED.items():
        _edit(client, indicator, value)

    meetings = _page(client, "customers:meetings")
    assert "1 / 48" in meetings and "at least 48 customer meetings" in meetings
    assert "fewer than 3 meetings" in meetings and "2 meetings missing" in meetings
    assert "Target: at most 5.5 %." in _page(client, "staffing:sick_leave")
    phone = _page(client, "staffing:phone")
    assert "Answered within 25 s (target 87.5 %)" in phone  # as set, not rounded to 88
    assert "Resolved at first contact (target 77 %)" in phone
    assert "E-mail answered within a working day (target 95 %)" in phone
    # the note under the table gives the board's commitments as edited, not the plan's 85 and 80
    assert "the board's commitments for the year are 87.5 % answered within 25 seconds, 77 %" in phone
    assert "and 95 % of the e-mail answered" in phone and "85 %" not in phone
    survey = _page(client, "staffing:survey")
    assert "Target: 92.5 % satisfied customers." in survey
    assert '<span class="badge bad">91.0 %</span>' in survey  # 91 % against 92.5


def test_a_year_without_a_target_says_so_instead_of_judging(client, head_of_service, unit, english):
    Target.objects.filter(indicator__in=[Ind.CUSTOMER_MEETINGS, Ind.SICK_LEAVE]).delete()
    client.force_login(head_of_service)
    assert "No target set for the year." in _page(client, "customers:meetings")
    assert "No target set for the year." in _page(client, "staffing:sick_leave")
