"""Reads of honour awards: scoped to the user's agencies; the year's list per agency; and the FTE spent
on them, which productivity leaves out (``honours_fte``)."""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from customers.selectors import agencies_for

from .models import HonourAward, HonoursWork


def awards_for(user) -> QuerySet[HonourAward]:
    return HonourAward.objects.filter(agency__in=agencies_for(user)).select_related("person", "agency")


def per_agency(awards: QuerySet[HonourAward]) -> list[dict]:
    """The year's list per agency: how many qualify, are approved and delivered."""
    return list(
        awards.values("agency__code", "agency__name")
        .annotate(
            total=Count("id"),
            approved=Count("id", filter=Q(decision=HonourAward.Decision.APPROVED)),
            delivered=Count("id", filter=Q(delivered_on__isnull=False)),
        )
        .order_by("agency__code")
    )


def honours_fte(*, year: int, unit=None) -> Decimal:
    """The FTE spent on honour awards in ``year`` (one unit, or every unit); 0 when none is entered."""
    work = HonoursWork.objects.filter(year=year)
    if unit is not None:
        work = work.filter(unit=unit)
    return work.aggregate(total=Sum("fte"))["total"] or Decimal(0)
