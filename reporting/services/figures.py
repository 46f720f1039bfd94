"""Shares and ratios as the reports show them: ``Decimal``, rounded half up, ``None`` when there is
nothing to divide by or no target to judge against."""

from decimal import ROUND_HALF_UP, Decimal

from organisation.models import Target

ONE = Decimal("0.1")
CENT = Decimal("0.01")


def ratio(numerator, denominator, places=ONE) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def met(value, target, indicator=None) -> bool | None:
    if value is None or target is None:
        return None
    return value <= target if indicator in Target.LOWER_IS_BETTER else value >= target


def pct(part, whole) -> Decimal | None:
    return ratio(Decimal(100) * part, whole) if whole else None
