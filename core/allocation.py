"""Spreading a sum of money over months so that the months add up to the sum exactly."""

from decimal import Decimal

KRONA = Decimal("1")
ORE = Decimal("0.01")


def spread_over_months(amount: Decimal, periods: list[str]) -> dict[str, Decimal]:
    """``amount`` in equal shares over ``periods``, summing to it exactly: each month gets its share
    rounded down (to the krona when the amount is whole kronor, else to the öre) and what is left over
    goes one krona (öre) each to the first months. 42,700,000 kr over a year is 3,558,334 kr in January
    to April and 3,558,333 kr in May to December."""
    if not periods:
        return {}
    amount = Decimal(amount)
    step = KRONA if amount == amount.to_integral_value() else ORE
    units = int((abs(amount) / step).to_integral_value())
    share, left_over = divmod(units, len(periods))
    sign = -1 if amount < 0 else 1
    return {
        period: (sign * (share + (1 if index < left_over else 0)) * step).quantize(ORE)
        for index, period in enumerate(periods)
    }


def year_months(year: int) -> list[str]:
    return [f"{year:04d}-{month:02d}" for month in range(1, 13)]


def split_by_weights(amount: Decimal, weights: dict) -> dict:
    """``amount`` split over the keys of ``weights`` in proportion to them, to the öre, summing to it
    exactly (largest remainder): each key gets its share rounded down to the öre, and the öre left
    over go one each to the keys with the largest remainders (ties in the order of ``weights``).
    Keys of weight zero get nothing; with no weight at all every key gets an equal share."""
    if not weights:
        return {}
    amount = Decimal(amount)
    sign = -1 if amount < 0 else 1
    units = int((abs(amount) / ORE).to_integral_value())
    weight = {key: Decimal(value) for key, value in weights.items()}
    whole = sum(weight.values(), Decimal(0))
    if whole <= 0:
        weight = dict.fromkeys(weights, Decimal(1))
        whole = Decimal(len(weight))
    shares, remainders = {}, []
    for index, (key, value) in enumerate(weight.items()):
        share, remainder = divmod(units * value, whole)
        shares[key] = int(share)
        remainders.append((-remainder, index, key))
    for _remainder, _index, key in sorted(remainders)[: units - sum(shares.values())]:
        shares[key] += 1
    return {key: (sign * share * ORE).quantize(ORE) for key, share in shares.items()}
