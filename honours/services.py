"""Writing honour awards.

- **Who qualifies in a year**: an employee reaches ``SERVICE_YEARS`` (25) years of service in the
  year. Found from the pay on record (``find_from_pay``: a person whose first pay period at an
  agency is at least 25 years before the year and who was paid there in the year or the one before),
  or from an agency's imported list (``honours.imports``). A person gets the award once.
- **Decision, ceremony, gift, delivery**: ``update_award``; a gift is delivered only on an approved
  award, and a decision is dated.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from payroll.models import PayrollCase

from .models import SERVICE_YEARS, HonourAward, HonoursWork


@transaction.atomic
def find_from_pay(*, year: int, agencies, user=None) -> int:
    """Add the people the pay on record shows reaching 25 years in ``year``; returns how many were added."""
    first_by = f"{year - SERVICE_YEARS:04d}-12"
    rows = (
        PayrollCase.objects.filter(agency__in=agencies, status=PayrollCase.Status.COMPLETED)
        .values("person_id", "agency_id")
        .annotate(first=Min("period"), last=Max("period"))
        .filter(first__lte=first_by, last__gte=f"{year - 1:04d}-01")
        .order_by("person_id", "first")
    )
    awarded = set(HonourAward.objects.values_list("person_id", flat=True))
    added = 0
    for row in rows:
        if row["person_id"] in awarded:
            continue
        award = HonourAward(
            year=year,
            person_id=row["person_id"],
            agency_id=row["agency_id"],
            employed_since=dt.date(int(row["first"][:4]), int(row["first"][5:7]), 1),
            source=HonourAward.Source.PAY,
        )
        award._history_user = user
        award.save()
        awarded.add(row["person_id"])
        added += 1
    return added


@transaction.atomic
def update_award(*, award: HonourAward, user, decision, ceremony_on=None, gift="", delivered_on=None, note=""):
    award = HonourAward.objects.select_for_update().get(pk=award.pk)
    if delivered_on and (decision != HonourAward.Decision.APPROVED or not gift):
        raise ValidationError({"delivered_on": _("Only an approved award with a gift can be delivered.")})
    if decision != award.decision:
        award.decided_on = timezone.localdate() if decision != HonourAward.Decision.PENDING else None
    award.decision = decision
    award.ceremony_on, award.gift, award.delivered_on = ceremony_on, gift, delivered_on
    award.note = (note or "").strip()[:300]
    award._history_user = user
    award.save()
    return award


@transaction.atomic
def set_honours_work(*, year: int, unit, fte, user=None) -> HonoursWork:
    work, _created = HonoursWork.objects.get_or_create(year=year, unit=unit, defaults={"fte": fte})
    work.fte = fte
    work._history_user = user
    work.save()
    return work
