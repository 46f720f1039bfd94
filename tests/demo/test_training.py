"""The demo's training sessions: this year's so far, against the target of 8, once."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts import roles
from demo import training as demo
from tests import factories
from training.models import TrainingSession
from training.selectors import sessions_in_year

pytestmark = pytest.mark.django_db


def test_the_demo_has_this_years_sessions_against_the_target(unit_manager, unit, other_unit):
    for n in range(4):
        factories.AgencyFactory(unit=unit if n % 2 else other_unit)
    demo.load(users={roles.UNIT_MANAGER: unit_manager})
    demo.load(users={roles.UNIT_MANAGER: unit_manager})

    today = timezone.localdate()
    held = [s for s in demo.SESSIONS if dt.date(today.year, s[0], 12) <= today]
    assert TrainingSession.objects.count() == len(held)
    figures = sessions_in_year(year=today.year)
    assert figures["count"] == len(held) and figures["target"] == 8
