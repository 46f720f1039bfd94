"""Draft invoices of an open month: what the close would issue today, without a number.

A draft is ``month.price_month`` (the close's own function) for the agency's open month, shown
with the change against last month per line: last month's issued invoice when that month is
closed (the valid one: not credited, latest revision), else last month's draft. Nothing is
stored; a draft changes as work comes in until the close issues it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from core.billing import is_period_closed
from core.periods import previous_period
from customers.models import Agency
from pricing.services import NoPriceList

from ..models import Invoice
from .month import AgencyMonth, price_month

ZERO = Decimal("0.00")


@dataclass
class DraftLine:
    item_code: str
    name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    base_price: Decimal | None
    surcharge: Decimal | None
    late_from_period: str
    last_quantity: Decimal = ZERO
    last_amount: Decimal = ZERO

    @property
    def quantity_change(self) -> Decimal:
        return self.quantity - self.last_quantity

    @property
    def amount_change(self) -> Decimal:
        return self.amount - self.last_amount


@dataclass
class Draft:
    """One agency's draft invoice for an open month."""

    agency: object
    period: str
    lines: list[DraftLine]
    specification: dict = field(default_factory=dict)
    last_total: Decimal = ZERO
    last_issued: bool = False  # last month's figures are its issued invoice (else its draft)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def change(self) -> Decimal:
        return self.total - self.last_total


def _key(item_code: str, late_from_period: str) -> tuple[str, bool]:
    return item_code, bool(late_from_period)


def _last_month(*, period: str, agencies) -> tuple[dict[int, dict[tuple, tuple]], bool]:
    """{agency_id: {(item, late?): (quantity, amount)}} of the month before ``period``, and whether
    these are issued invoices (a closed month) rather than drafts."""
    last = previous_period(period)
    figures: dict[int, dict[tuple, tuple]] = {}
    if is_period_closed(last):
        valid = Invoice.objects.filter(
            period=last, kind=Invoice.Kind.INVOICE, agency__in=agencies, credit_note__isnull=True
        ).prefetch_related("lines")
        for invoice in valid:
            by_key = figures.setdefault(invoice.agency_id, {})
            for line in invoice.lines.all():
                quantity, amount = by_key.get(_key(line.item_code, line.late_from_period), (ZERO, ZERO))
                by_key[_key(line.item_code, line.late_from_period)] = (quantity + line.quantity, amount + line.amount)
        return figures, True
    try:
        months = price_month(period=last, agencies=agencies)
    except NoPriceList:
        return {}, False
    for month in months:
        by_key = figures.setdefault(month.agency.pk, {})
        for entry in month.lines:
            quantity, amount = by_key.get(_key(entry.line.item_code, entry.late_from_period), (ZERO, ZERO))
            key = _key(entry.line.item_code, entry.late_from_period)
            by_key[key] = (quantity + entry.line.quantity, amount + entry.line.amount)
    return figures, False


def _draft(month: AgencyMonth, last: dict[tuple, tuple], last_issued: bool) -> Draft:
    lines = []
    for entry in month.lines:
        line = entry.line
        if not line.quantity:
            continue
        last_quantity, last_amount = last.get(_key(line.item_code, entry.late_from_period), (ZERO, ZERO))
        lines.append(
            DraftLine(
                item_code=line.item_code,
                name=line.name,
                unit=line.unit,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
                base_price=line.base_price,
                surcharge=line.surcharge,
                late_from_period=entry.late_from_period,
                last_quantity=last_quantity,
                last_amount=last_amount,
            )
        )
    seen = {_key(line.item_code, line.late_from_period) for line in lines}
    # Items invoiced last month and not (yet) this month: a line of zero, so the drop shows.
    for (item_code, late), (quantity, amount) in sorted(last.items()):
        if (item_code, late) not in seen and not late:
            lines.append(DraftLine(item_code, item_code, "", ZERO, ZERO, ZERO, None, None, "", quantity, amount))
    return Draft(
        agency=month.agency,
        period=month.period,
        lines=lines,
        specification=month.specification,
        last_total=sum((amount for _quantity, amount in last.values()), ZERO),
        last_issued=last_issued,
    )


def draft_invoices(*, period: str, agencies) -> list[Draft]:
    """The drafts of ``period`` for ``agencies`` (a queryset: the user's), by agency code: every
    agency with something to invoice this month or last month. Raises ``NoPriceList`` when the
    month has no price list in force."""
    months = {month.agency.pk: month for month in price_month(period=period, agencies=agencies)}
    last, last_issued = _last_month(period=period, agencies=agencies)
    drafts = [_draft(month, last.get(agency_id, {}), last_issued) for agency_id, month in months.items()]
    for agency in agencies.filter(pk__in=set(last) - set(months)):
        empty = AgencyMonth(agency=agency, period=period, lines=[], specification={})
        drafts.append(_draft(empty, last[agency.pk], last_issued))
    return sorted(drafts, key=lambda draft: draft.agency.code)


def draft_invoice(*, period: str, agency) -> Draft | None:
    """One agency's draft of ``period`` (None: nothing to invoice this month or last)."""
    found = draft_invoices(period=period, agencies=Agency.objects.filter(pk=agency.pk))
    return found[0] if found else None
