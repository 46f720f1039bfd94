"""Importing a year's price list from a CSV file: one service behind the command and the upload page.

File: ``year;item_code;name;unit;price`` with the optional columns ``base_item`` (the item whose
price is included, e.g. ``manual`` with base ``self_service``: 95 = 58 + 37), ``note`` and
``kind`` (``per_unit``, the default when empty or missing, or ``fixed_monthly``: a fixed monthly
amount per agency, whose agency amounts are set on the price-list page and kept by a re-import);
``;`` or ``,`` separated, UTF-8 with or without BOM, prices with ``.`` or ``,`` decimals, one
year per file. All or nothing.

A year none of whose versions is frozen gets its newest version replaced (or version 1 created):
such a list has never been on an issued invoice, so nothing that was sent is changed, and the
simple-history trail keeps the old prices. A year with a frozen version is refused: change it
in the browser, which makes a new version.
"""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.csvimport import ImportRejected, RowError, parse_decimal
from core.importing import Importer, ImportResult

from . import services
from .models import PriceItem, PriceList
from .services import ItemSpec

COLUMN_OF_FIELD = {
    "item_code": "item_code",
    "name": "name",
    "unit": "unit",
    "price": "price",
    "base_item_code": "base_item",
    "note": "note",
    "kind": "kind",
}


class PriceListImporter(Importer):
    columns = ["year", "item_code", "name", "unit", "price"]
    optional = ["base_item", "note", "kind"]
    empty_message = gettext_lazy("The file has a header but no items.")

    def __init__(self, *, user=None):
        super().__init__()
        self.user = user
        self.year = None
        self.year_line = None
        self.lines: list[int] = []

    def check_row(self, line, row):
        value = row["year"]
        if not (value.isdigit() and 2000 <= int(value) <= 2100):
            self.errors.add(line, "year", _("%(value)s is not a year (2000-2100)") % {"value": value or '""'})
        elif self.year is None:
            self.year, self.year_line = int(value), line
        elif int(value) != self.year:
            self.errors.add(
                line,
                "year",
                _("one year per file: row %(row)s is for %(year)s") % {"row": self.year_line, "year": self.year},
            )
        try:
            price = parse_decimal(row["price"])
        except ValueError:
            message = _("%(value)s is not a price in SEK (e.g. 58 or 58,50)") % {"value": row["price"] or '""'}
            self.errors.add(line, "price", message)
            price = None
        kind = (row.get("kind") or "").strip() or PriceItem.Kind.PER_UNIT
        if kind not in PriceItem.Kind.values:
            self.errors.add(
                line,
                "kind",
                _("%(value)s is not a kind of item (%(kinds)s)")
                % {"value": kind, "kinds": ", ".join(PriceItem.Kind.values)},
            )
            kind = PriceItem.Kind.PER_UNIT  # reported; checked no further
        self.lines.append(line)
        return ItemSpec(
            item_code=row["item_code"],
            name=row["name"],
            unit=row["unit"],
            price=price,
            base_item_code=row.get("base_item") or "",
            note=row.get("note") or "",
            kind=kind,
        )

    def check_file(self):
        for problem in services.check_items(self.rows):
            if problem.field == "price" and self.rows[problem.index].price is None:
                continue  # already reported as unreadable
            self.errors.add(self.lines[problem.index], COLUMN_OF_FIELD[problem.field], problem.message)
        if self.year is None:
            return
        frozen = PriceList.objects.filter(year=self.year, frozen_at__isnull=False).order_by("-version").first()
        if frozen:
            self.errors.add(self.year_line, "year", _frozen_message(frozen))

    def write(self) -> ImportResult:
        current = services.latest_version(self.year)
        items = self.rows
        if current is None:
            price_list = services.create_price_list(
                year=self.year, effective_from=dt.date(self.year, 1, 1), items=items, user=self.user
            )
            message = _("The price list %(list)s was created with %(items)s items.")
        else:
            try:
                price_list = services.update_price_list(
                    price_list=current, effective_from=current.effective_from, note=current.note, items=items
                )
            except services.PriceListFrozen as exc:  # frozen by a close since the check
                raise ImportRejected([RowError(self.year_line, "year", _frozen_message(current))]) from exc
            message = _("The price list %(list)s was replaced: it now has %(items)s items.")
        return ImportResult(
            counts={"items": len(items), "created": int(current is None), "replaced": int(current is not None)},
            message=message % {"list": price_list, "items": len(items)},
            target=price_list,
        )


def _frozen_message(price_list: PriceList) -> str:
    return _(
        "the price list %(list)s has been used on an issued invoice and is frozen; "
        "make a new version in the browser instead"
    ) % {"list": price_list}


def import_price_list(file, *, user=None) -> ImportResult:
    """Create or replace a year's price list from ``file``; all or nothing (a refused result lists every error)."""
    return PriceListImporter(user=user).run(file)
