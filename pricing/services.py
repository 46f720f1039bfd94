"""The pricing engine (the one place where a price is computed) and the writes to price lists.

A price list that has been used on an issued invoice is frozen: it refuses every change,
and a change is made as a new version (a copy with a later ``effective_from``), so the
prices an invoice was built on stay readable.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.billing import latest_closed_period
from core.periods import period_end, period_start

from .models import AgencyMonthlyAmount, PriceItem, PriceList

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
        PriceList.objects.filter(year=start.year, effective_from__lte=start, decided=True)
        .order_by("-effective_from", "-version")
        .first()
    )
    if price_list is None:
        raise NoPriceList(_("There is no price list in force for %(period)s.") % {"period": period})
    return price_list


def versions_of_year(period: str):
    """Every decided version of the period's year, oldest first: the lists finance may price a reissue with."""
    return PriceList.objects.filter(year=period_start(period).year, decided=True).order_by("version")


def price_lines(
    *,
    agency,
    period: str,
    quantities: dict[str, Decimal | int],
    price_list: PriceList | None = None,
    fixed_monthly: bool = True,
) -> list[PricedLine]:
    """Price the quantities of each item code for an agency's period, with the price list in force
    (or ``price_list``: a reissue prices with the list of the invoice it replaces).

    Items with quantity zero are left out. Amounts are quantity × unit price,
    rounded to öre here and nowhere else. With ``fixed_monthly`` (the month's own lines, not late
    work of earlier months) the agency's amount of each fixed-monthly item of the list comes
    after them, as a line of one month. A fixed-monthly item is never priced by quantity.
    """
    price_list = price_list or price_list_in_force(period)
    wanted = {code: Decimal(q) for code, q in quantities.items() if q}
    items = {
        item.item_code: item
        for item in PriceItem.objects.filter(
            price_list=price_list, item_code__in=wanted, kind=PriceItem.Kind.PER_UNIT
        ).select_related("base_item")
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
    if fixed_monthly:
        lines += _fixed_monthly_lines(agency=agency, price_list=price_list)
    return lines


def _fixed_monthly_lines(*, agency, price_list: PriceList) -> list[PricedLine]:
    amounts = (
        AgencyMonthlyAmount.objects.filter(item__price_list=price_list, agency=agency, amount__gt=0)
        .select_related("item")
        .order_by("item_id")
    )
    return [
        PricedLine(
            item_code=row.item.item_code,
            name=row.item.name,
            unit=row.item.unit,
            quantity=Decimal(1),
            unit_price=row.amount,
            amount=row.amount.quantize(ORE, rounding=ROUND_HALF_UP),
            base_price=None,
            surcharge=None,
            price_list_id=price_list.pk,
        )
        for row in amounts
    ]


def agencies_with_fixed_monthly(price_list: PriceList) -> set[int]:
    """The agencies that the list charges a fixed monthly amount (above zero)."""
    return set(
        AgencyMonthlyAmount.objects.filter(item__price_list=price_list, amount__gt=0).values_list(
            "agency_id", flat=True
        )
    )


def total(lines: list[PricedLine]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0.00"))


# --- writing price lists ---------------------------------------------------------------------

ITEM_CODE_RE = re.compile(r"^[a-z0-9_-]{1,40}$")
MAX_PRICE = Decimal("999999999999.99")


class PriceListFrozen(Exception):
    """The price list has been used on an issued invoice and cannot change."""

    def __init__(self, price_list: PriceList):
        self.price_list = price_list
        super().__init__(
            _("The price list %(list)s is frozen: it has been used on an issued invoice. Make a new version instead.")
            % {"list": price_list}
        )


@dataclass(frozen=True)
class ItemSpec:
    """One item as a form or an import file gives it; the base item is named by its code."""

    item_code: str
    name: str
    unit: str
    price: Decimal
    base_item_code: str = ""
    note: str = ""
    kind: str = PriceItem.Kind.PER_UNIT


@dataclass(frozen=True)
class ItemProblem:
    index: int  # position in the list given
    field: str  # item_code, name, unit, price, base_item_code, note
    message: str


def check_items(items: list[ItemSpec]) -> list[ItemProblem]:
    """Every problem with a list of items, so that a form or an import can show them all at once.

    Codes are lower-case identifiers, unique in the list; names and units are required;
    prices are SEK, not negative, at most two decimals; a base item is another item of the
    same list with a price not above the item's (the difference is the surcharge), and
    base items do not go round in a circle.
    """
    problems: list[ItemProblem] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if not ITEM_CODE_RE.match(item.item_code or ""):
            problems.append(ItemProblem(index, "item_code", _("use lower-case letters, digits, - and _ (at most 40)")))
        elif item.item_code in seen:
            problems.append(ItemProblem(index, "item_code", _("%(code)s appears twice") % {"code": item.item_code}))
        else:
            seen[item.item_code] = index
        if not (item.name or "").strip():
            problems.append(ItemProblem(index, "name", _("a name is required")))
        elif len(item.name) > 200:
            problems.append(ItemProblem(index, "name", _("at most 200 characters")))
        if not (item.unit or "").strip():
            problems.append(ItemProblem(index, "unit", _("a unit is required (payslip, hour, case, ...)")))
        elif len(item.unit) > 40:
            problems.append(ItemProblem(index, "unit", _("at most 40 characters")))
        if len(item.note or "") > 200:
            problems.append(ItemProblem(index, "note", _("at most 200 characters")))
        if item.kind not in PriceItem.Kind.values:
            problems.append(ItemProblem(index, "kind", _("not a kind of item")))
        elif item.kind == PriceItem.Kind.FIXED_MONTHLY and item.base_item_code:
            problems.append(ItemProblem(index, "base_item_code", _("a fixed monthly item includes no base item")))
        if not isinstance(item.price, Decimal) or not item.price.is_finite():
            problems.append(ItemProblem(index, "price", _("not a price")))
        elif item.price < 0:
            problems.append(ItemProblem(index, "price", _("a price cannot be negative")))
        elif item.price != item.price.quantize(ORE) or item.price > MAX_PRICE:
            problems.append(ItemProblem(index, "price", _("at most two decimals and 12 digits")))
    by_code = {item.item_code: item for item in items}
    for index, item in enumerate(items):
        base = item.base_item_code
        if not base:
            continue
        if base == item.item_code:
            problems.append(ItemProblem(index, "base_item_code", _("an item cannot include itself")))
        elif base not in by_code:
            problems.append(
                ItemProblem(index, "base_item_code", _("%(code)s is not an item of this price list") % {"code": base})
            )
        else:
            base_price = by_code[base].price
            if isinstance(base_price, Decimal) and isinstance(item.price, Decimal) and base_price > item.price:
                problems.append(
                    ItemProblem(
                        index,
                        "price",
                        _("the price is lower than the included base item %(code)s (%(price)s)")
                        % {"code": base, "price": base_price},
                    )
                )
            # Follow the chain of bases; coming back to the item is a circle.
            chain, current = {item.item_code}, base
            while current and current in by_code:
                if current in chain:
                    problems.append(ItemProblem(index, "base_item_code", _("the base items go round in a circle")))
                    break
                chain.add(current)
                current = by_code[current].base_item_code
    return problems


def _raise_if_problems(items: list[ItemSpec]) -> None:
    problems = check_items(items)
    if problems:
        raise ValidationError(
            [
                ValidationError(
                    "%(code)s, %(field)s: %(message)s",
                    params={
                        "code": items[p.index].item_code or f"#{p.index + 1}",
                        "field": p.field,
                        "message": p.message,
                    },
                )
                for p in problems
            ]
        )


def _refuse_if_frozen(price_list: PriceList) -> None:
    # Read the flag from the database: a freeze may have happened since the object was loaded.
    if PriceList.objects.filter(pk=price_list.pk, frozen_at__isnull=False).exists():
        raise PriceListFrozen(price_list)


def _check_effective_from(year: int, effective_from: dt.date) -> None:
    if effective_from.year != year:
        raise ValidationError({"effective_from": _("The first day must be in %(year)s.") % {"year": year}})
    _check_after_closed_months(effective_from)


def _check_after_closed_months(effective_from: dt.date) -> None:
    """A version starts after every closed month: the prices of an invoiced month never change
    (a version starting earlier would be the list in force for it, and a reissue would use it)."""
    latest = latest_closed_period()
    if latest and effective_from <= period_end(latest):
        raise ValidationError(
            {
                "effective_from": _(
                    "%(period)s is closed and invoiced: a price list version can start on %(day)s at the earliest."
                )
                % {"period": latest, "day": period_end(latest) + dt.timedelta(days=1)}
            }
        )


def _write_items(price_list: PriceList, items: list[ItemSpec]) -> None:
    """Make the list's items exactly ``items``: update by code, add new ones, remove the rest."""
    existing = {item.item_code: item for item in price_list.items.all()}
    kept = {}
    for spec in items:
        item = existing.get(spec.item_code) or PriceItem(price_list=price_list, item_code=spec.item_code)
        values = {
            "name": spec.name.strip(),
            "unit": spec.unit.strip(),
            "price": spec.price,
            "note": spec.note.strip(),
            "kind": spec.kind,
        }
        changed = item.pk is None or any(getattr(item, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(item, key, value)
        if changed:
            item.save()
        kept[spec.item_code] = item
    for spec in items:
        item = kept[spec.item_code]
        base = kept[spec.base_item_code] if spec.base_item_code else None
        if item.base_item_id != (base.pk if base else None):
            item.base_item = base
            item.save(update_fields=["base_item"])
    removed = [item for code, item in existing.items() if code not in kept]
    for item in removed:
        if item.base_item_id:
            item.base_item = None
            item.save(update_fields=["base_item"])
    for item in removed:
        item.agency_amounts.all().delete()
        item.delete()
    # An item that is no longer fixed monthly charges no agency amounts.
    AgencyMonthlyAmount.objects.filter(item__price_list=price_list).exclude(
        item__kind=PriceItem.Kind.FIXED_MONTHLY
    ).delete()


@transaction.atomic
def create_price_list(
    *, year: int, effective_from: dt.date | None = None, note: str = "", items: list[ItemSpec], user=None
) -> PriceList:
    """Create the first price list of a year (version 1). A year that has a list gets new versions instead."""
    effective_from = effective_from or dt.date(year, 1, 1)
    _check_effective_from(year, effective_from)
    if PriceList.objects.filter(year=year).exists():
        raise ValidationError(
            {"year": _("There is already a price list for %(year)s; change it or make a new version.") % {"year": year}}
        )
    _raise_if_problems(items)
    price_list = PriceList.objects.create(
        year=year, version=1, effective_from=effective_from, note=note, created_by=user
    )
    _write_items(price_list, items)
    return price_list


@transaction.atomic
def update_price_list(
    *, price_list: PriceList, effective_from: dt.date, note: str = "", items: list[ItemSpec]
) -> PriceList:
    """Change a price list that is not frozen: its first day, note and items (as given, in full)."""
    price_list = PriceList.objects.select_for_update().get(pk=price_list.pk)
    _refuse_if_frozen(price_list)
    _check_effective_from(price_list.year, effective_from)
    if price_list.copied_from_id and effective_from < price_list.copied_from.effective_from:
        raise ValidationError(
            {
                "effective_from": _("A new version cannot start before the version it replaces (%(day)s).")
                % {"day": price_list.copied_from.effective_from}
            }
        )
    _raise_if_problems(items)
    values = {"effective_from": effective_from, "note": note}
    changed = [name for name, value in values.items() if getattr(price_list, name) != value]
    for name in changed:
        setattr(price_list, name, values[name])
    if changed:
        price_list.save(update_fields=changed)
    _write_items(price_list, items)
    return price_list


def latest_version(year: int) -> PriceList | None:
    return PriceList.objects.filter(year=year).order_by("-version").first()


@transaction.atomic
def new_price_list_version(*, price_list: PriceList, effective_from: dt.date, note: str = "", user=None) -> PriceList:
    """Make the next version of a year's price list: a copy of ``price_list``'s items that applies
    from ``effective_from``. This is how a frozen list is changed; the frozen one stays as it was."""
    # Lock the year's versions so two administrators cannot both make version n + 1.
    versions = list(PriceList.objects.select_for_update().filter(year=price_list.year).order_by("-version"))
    newest = versions[0]
    if newest.pk != price_list.pk:
        raise ValidationError(
            _("Version %(version)s of %(year)s is newer: change that one instead."),
            params={"version": newest.version, "year": price_list.year},
        )
    _check_effective_from(price_list.year, effective_from)
    if effective_from < price_list.effective_from:
        raise ValidationError(
            {
                "effective_from": _("A new version cannot start before the version it replaces (%(day)s).")
                % {"day": price_list.effective_from}
            }
        )
    copy = PriceList.objects.create(
        year=price_list.year,
        version=(versions[0].version + 1),
        effective_from=effective_from,
        note=note or price_list.note,
        created_by=user,
        copied_from=price_list,
    )
    items = [
        ItemSpec(
            item_code=item.item_code,
            name=item.name,
            unit=item.unit,
            price=item.price,
            base_item_code=item.base_item.item_code if item.base_item_id else "",
            note=item.note,
            kind=item.kind,
        )
        for item in price_list.items.select_related("base_item")
    ]
    _write_items(copy, items)
    copied = {item.item_code: item for item in copy.items.all()}
    AgencyMonthlyAmount.objects.bulk_create(
        AgencyMonthlyAmount(item=copied[row.item.item_code], agency_id=row.agency_id, amount=row.amount)
        for row in AgencyMonthlyAmount.objects.filter(item__price_list=price_list).select_related("item")
    )
    return copy


@transaction.atomic
def set_monthly_amounts(*, price_list: PriceList, item_code: str, amounts: dict) -> None:
    """Make the agency amounts of a fixed monthly item exactly ``amounts`` ({agency: Decimal}); a
    frozen list refuses. Amounts are SEK with at most two decimals, not negative."""
    _refuse_if_frozen(price_list)
    item = PriceItem.objects.filter(price_list=price_list, item_code=item_code).first()
    if item is None or not item.is_fixed_monthly:
        raise ValidationError(
            _("%(code)s is not a fixed monthly item of %(list)s.") % {"code": item_code, "list": price_list}
        )
    for agency, amount in amounts.items():
        if not isinstance(amount, Decimal) or amount < 0 or amount != amount.quantize(ORE) or amount > MAX_PRICE:
            raise ValidationError(
                _("%(agency)s: the amount per month must be SEK, not negative, with at most two decimals.")
                % {"agency": agency}
            )
    item.agency_amounts.exclude(agency__in=list(amounts)).delete()
    for agency, amount in amounts.items():
        AgencyMonthlyAmount.objects.update_or_create(item=item, agency=agency, defaults={"amount": amount})


@transaction.atomic
def mark_as_draft(*, price_list: PriceList) -> PriceList:
    """Make a list not yet decided a draft: it is not in force until ``decide_price_list``."""
    locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
    _refuse_if_frozen(locked)
    locked.decided, locked.decided_at, locked.decided_by = False, None, None
    locked.save(update_fields=["decided", "decided_at", "decided_by"])
    return locked


@transaction.atomic
def decide_price_list(*, price_list: PriceList, user) -> PriceList:
    """Record that a draft is decided (by the board): from then on it is in force from its first day,
    which must still come after every closed month."""
    locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
    if locked.decided:
        raise ValidationError(_("%(list)s is already decided.") % {"list": locked})
    _check_after_closed_months(locked.effective_from)
    locked.decided, locked.decided_at, locked.decided_by = True, timezone.now(), user
    locked.save(update_fields=["decided", "decided_at", "decided_by"])
    return locked


@transaction.atomic
def freeze_price_list(*, price_list: PriceList) -> PriceList:
    """Freeze a price list, for good: called when an invoice using it is issued. Freezing a frozen
    list changes nothing (the first freeze's time is kept). A draft is decided first."""
    locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
    if not locked.decided:
        raise ValidationError(_("%(list)s is a draft: record the decision before it can be frozen.") % {"list": locked})
    if locked.frozen_at is None:
        locked.frozen_at = timezone.now()
        locked.save(update_fields=["frozen_at"])
    price_list.frozen_at = locked.frozen_at
    return locked
