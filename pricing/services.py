"""The pricing engine: the one place where a price is computed."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from lonservice.periods import period_start

from .models import PriceItem, PriceList

ORE = Decimal("0.01")


class NoPriceList(Exception):
    pass


class UnknownPriceItem(Exception):
    pass


@dataclass(frozen=True)
class PricedLine:
    item_code: str
    name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    base_price: Decimal | None  # the included base item's price, when the item has one
    surcharge: Decimal | None
    price_list_id: int


def price_list_in_force(period: str) -> PriceList:
    """The newest version of the period's year that is effective on the period's first day."""
    start = period_start(period)
    price_list = (
        PriceList.objects.filter(year=start.year, effective_from__lte=start)
        .order_by("-effective_from", "-version")
        .first()
    )
    if price_list is None:
        raise NoPriceList(_("There is no price list in force for %(period)s.") % {"period": period})
    return price_list


def price_lines(*, agency, period: str, quantities: dict[str, Decimal | int]) -> list[PricedLine]:
    """Price the quantities of each item code for an agency's period.

    Items with quantity zero are left out. Amounts are quantity × unit price,
    rounded to öre here and nowhere else. ``agency`` is accepted so that
    agency-specific prices can be added without changing callers.
    """
    price_list = price_list_in_force(period)
    wanted = {code: Decimal(q) for code, q in quantities.items() if q}
    items = {
        item.item_code: item
        for item in PriceItem.objects.filter(price_list=price_list, item_code__in=wanted).select_related("base_item")
    }
    unknown = sorted(set(wanted) - set(items))
    if unknown:
        raise UnknownPriceItem(
            _("The price list %(list)s has no item %(codes)s.") % {"list": price_list, "codes": ", ".join(unknown)}
        )
    lines = []
    for code, quantity in wanted.items():
        item = items[code]
        lines.append(
            PricedLine(
                item_code=code,
                name=item.name,
                unit=item.unit,
                quantity=quantity,
                unit_price=item.price,
                amount=(quantity * item.price).quantize(ORE, rounding=ROUND_HALF_UP),
                base_price=item.base_price,
                surcharge=item.surcharge,
                price_list_id=price_list.pk,
            )
        )
    return lines


def total(lines: list[PricedLine]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0.00"))
