"""Read-side queries of the pricing pages."""

import datetime as dt

from django.db.models import Q, QuerySet

from customers.models import Agency
from customers.selectors import active_during_q

from .models import PriceItem


def monthly_amount_agencies(item: PriceItem) -> QuerySet[Agency]:
    """The agencies a fixed monthly item can charge: every agency that is a customer during the
    list's year, and any other that already has an amount, by code."""
    year = item.price_list.year
    return (
        Agency.objects.filter(
            active_during_q(dt.date(year, 1, 1), dt.date(year, 12, 31)) | Q(monthly_amounts__item=item)
        )
        .distinct()
        .order_by("code")
    )


def monthly_amounts_of(item: PriceItem) -> dict[int, object]:
    """{agency id: amount} of a fixed monthly item."""
    return dict(item.agency_amounts.values_list("agency_id", "amount"))
