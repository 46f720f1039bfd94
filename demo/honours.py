"""Demo data for honour awards (seed 001: 0.18 FTE administers the city's hedersbelöningar): this year's
register — employees of agencies in both units who reach 25 years, some delivered, some approved, some
not yet decided — and the 0.18 FTE of Löneenhet 1 spent on it, taken out of payroll productivity.
Idempotent: nothing is added when this year has awards."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts import roles
from customers.models import Agency
from honours import services
from honours.models import HonourAward
from organisation.models import Unit
from payroll.models import PayrollCase

HONOURS_FTE = Decimal("0.18")
# decision, gift, delivered?
STORIES = [
    ("approved", "watch", True),
    ("approved", "glass", True),
    ("approved", "watch", False),
    ("approved", "gift_card", False),
    ("pending", "", False),
    ("pending", "", False),
]


def load(*, users) -> None:
    year = timezone.localdate().year
    keeper = users.get(roles.HEAD_OF_SERVICE)
    unit = Unit.objects.filter(code="lon1").first()
    if unit is None or HonourAward.objects.filter(year=year).exists():
        return
    services.set_honours_work(year=year, unit=unit, fte=HONOURS_FTE, user=keeper)
    agencies = list(Agency.objects.order_by("code"))
    seen, cases = set(), []
    for n in range(2 * len(STORIES) if agencies else 0):
        if len(cases) == len(STORIES):
            break
        case = (
            PayrollCase.objects.filter(agency=agencies[n % len(agencies)], source="import")
            .filter(person__protected_identity=False)
            .exclude(person_id__in=seen)
            .select_related("agency", "person")
            .order_by("id")
            .first()
        )
        if case:
            seen.add(case.person_id)
            cases.append(case)
    ceremony = dt.date(year, 5, 20)
    for n, (case, (decision, gift, delivered)) in enumerate(zip(cases, STORIES, strict=False)):
        award = HonourAward.objects.create(
            year=year,
            person=case.person,
            agency=case.agency,
            employed_since=dt.date(year - 25, 1 + n, 1),
            source=HonourAward.Source.LIST,
        )
        services.update_award(
            award=award,
            user=keeper,
            decision=decision,
            ceremony_on=ceremony if decision == "approved" else None,
            gift=gift,
            delivered_on=ceremony if delivered else None,
        )
