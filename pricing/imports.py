"""Importing a year's price list from a CSV file: one service behind the command and the upload page.

File: ``year;item_code;name;unit;price`` with the optional columns ``base_item`` (the item whose
price is included, e.g. ``manual`` with base ``self_service``: 95 = 58 + 37) and ``note``;
``;`` or ``,`` separated, UTF-8 with or without BOM, prices with ``.`` or ``,`` decimals, one
year per file. All or nothing.

A year none of whose versions is frozen gets its newest version replaced (or version 1 created):
such a list has never been on an issued invoice, so nothing that was sent is changed, and the
simple-history trail keeps the old prices. A year with a frozen version is refused: change it
in the browser, which makes a new version.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from core.csvimport import ErrorCollector, check_row_shape, parse_decimal, read_rows

from . import services
from .models import PriceList
from .services import ItemSpec

REQUIRED = ["year", "item_code", "name", "unit", "price"]
OPTIONAL = ["base_item", "note"]
COLUMN_OF_FIELD = {
    "item_code": "item_code",
    "name": "name",
    "unit": "unit",
    "price": "price",
    "base_item_code": "base_item",
    "note": "note",
}


@dataclass(frozen=True)
class PriceListImportResult:
    price_list: PriceList
    created: bool  # a new list, or the items of an existing one replaced
    items: int

    def summary(self) -> str:
        if self.created:
            return _("The price list %(list)s was created with %(items)s items.") % {
                "list": self.price_list,
                "items": self.items,
            }
        return _("The price list %(list)s was replaced: it now has %(items)s items.") % {
            "list": self.price_list,
            "items": self.items,
        }


def import_price_list(file, *, user=None) -> PriceListImportResult:
    """Create or replace a year's price list from ``file`` (raises ImportRejected with every error)."""
    errors = ErrorCollector()
    year = None
    year_line = None
    items: list[ItemSpec] = []
    lines: list[int] = []
    for line, row in read_rows(file, required=REQUIRED, optional=OPTIONAL):
        if not check_row_shape(line, row, errors):
            continue
        value = row["year"]
        if not (value.isdigit() and 2000 <= int(value) <= 2100):
            errors.add(line, "year", _("%(value)s is not a year (2000-2100)") % {"value": value or '""'})
        elif year is None:
            year, year_line = int(value), line
        elif int(value) != year:
            errors.add(
                line,
                "year",
                _("one year per file: row %(row)s is for %(year)s") % {"row": year_line, "year": year},
            )
        try:
            price = parse_decimal(row["price"])
        except ValueError:
            errors.add(
                line, "price", _("%(value)s is not a price in SEK (e.g. 58 or 58,50)") % {"value": row["price"] or '""'}
            )
            price = None
        items.append(
            ItemSpec(
                item_code=row["item_code"],
                name=row["name"],
                unit=row["unit"],
                price=price,
                base_item_code=row.get("base_item") or "",
                note=row.get("note") or "",
            )
        )
        lines.append(line)
    for problem in services.check_items(items):
        if problem.field == "price" and items[problem.index].price is None:
            continue  # already reported as unreadable
        errors.add(lines[problem.index], COLUMN_OF_FIELD[problem.field], problem.message)
    if not errors and not items:
        errors.add(2, "", _("The file has a header but no items."))
    if year is not None:
        frozen = PriceList.objects.filter(year=year, frozen_at__isnull=False).order_by("-version").first()
        if frozen:
            errors.add(
                year_line,
                "year",
                _(
                    "the price list %(list)s has been used on an issued invoice and is frozen; "
                    "make a new version in the browser instead"
                )
                % {"list": frozen},
            )
    errors.errors.sort(key=lambda e: e.row)  # stable: a row's errors keep their column order
    errors.raise_if_any()
    return _write(year, items, user)


@transaction.atomic
def _write(year: int, items: list[ItemSpec], user) -> PriceListImportResult:
    current = services.latest_version(year)
    if current is None:
        price_list = services.create_price_list(year=year, effective_from=dt.date(year, 1, 1), items=items, user=user)
        return PriceListImportResult(price_list, True, len(items))
    price_list = services.update_price_list(
        price_list=current, effective_from=current.effective_from, note=current.note, items=items
    )
    return PriceListImportResult(price_list, False, len(items))
