"""Agency training: the year's sessions against the board's target of 8 (2025), and each agency's
training beside its machine-processed share."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from organisation.models import Target
from organisation.targets import ensure_default_targets
from tests import factories
from training import selectors, services
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


def _session(unit, day, agencies, user=None):
    return services.save_session(
        user=user,
        held_on=day,
        topic="self_service",
        title="Lisa Självservice",
        unit=unit,
        participants=10,
        agencies=agencies,
        note="",
    )


def test_the_years_sessions_against_the_target_of_8(unit):
    ensure_default_targets()
    agency = factories.AgencyFactory(unit=unit)
    for month in range(1, 8):
        _session(unit, dt.date(2025, month, 10), [agency])
    _session(unit, dt.date(2024, 12, 10), [agency])

    assert selectors.sessions_in_year(year=2025) == {"count": 7, "target": Decimal(8), "met": False}
    _session(unit, dt.date(2025, 9, 10), [agency])
    assert selectors.sessions_in_year(year=2025)["met"] is True
    assert selectors.sessions_in_year(year=2024)["target"] is None  # the target holds from 2025
    Target.objects.filter(indicator="training_sessions").update(value=10)
    assert selectors.sessions_in_year(year=2025)["met"] is False


def test_each_agency_has_its_training_beside_its_machine_share(unit_manager, unit):
    trained, untrained = factories.AgencyFactory(unit=unit, code="T1"), factories.AgencyFactory(unit=unit, code="U1")
    factories.add_cases(trained, "2025-03", self_service=3, manual=1)
    factories.add_cases(untrained, "2025-03", manual=2)
    _session(unit, dt.date(2025, 2, 1), [trained])

    rows = {r["agency"].code: r for r in selectors.agency_training(user=unit_manager, year=2025)}
    assert (rows["T1"]["sessions"], rows["T1"]["machine_share"]) == (1, Decimal("75.0"))
    assert (rows["U1"]["sessions"], rows["U1"]["machine_share"], rows["U1"]["latest"]) == (0, Decimal("0.0"), None)


def test_a_unit_manager_registers_a_session_on_the_page(client, unit_manager, unit):
    agency = factories.AgencyFactory(unit=unit)
    client.force_login(unit_manager)
    response = client.post(
        reverse("training:create"),
        {
            "held_on": "2025-04-08",
            "topic": "smart",
            "title": "Smart lönehantering",
            "unit": unit.pk,
            "agencies": [agency.pk],
            "participants": "14",
        },
    )
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert list(session.agencies.all()) == [agency]
    page = client.get(reverse("training:list"), {"year": 2025}).content.decode()
    assert "Smart lönehantering" in page
