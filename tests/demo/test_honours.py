"""The demo's honour awards: this year's register and the 0.18 FTE, once."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import roles
from demo import honours as demo
from honours.models import HonourAward
from honours.selectors import honours_fte
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_has_this_years_awards_and_the_seeds_018_fte(head_of_service, unit):
    for code in ("A1", "A2", "A3"):
        agency = factories.AgencyFactory(unit=unit, code=code)
        for _ in range(3):
            factories.PayrollCaseFactory(agency=agency)

    demo.load(users={roles.HEAD_OF_SERVICE: head_of_service})
    demo.load(users={roles.HEAD_OF_SERVICE: head_of_service})

    year = timezone.localdate().year
    awards = HonourAward.objects.filter(year=year)
    assert awards.count() == 6
    assert awards.filter(delivered_on__isnull=False).count() == 2
    assert awards.filter(decision="pending").count() == 2
    assert awards.values("agency").distinct().count() == 3
    assert honours_fte(year=year) == Decimal("0.18")
