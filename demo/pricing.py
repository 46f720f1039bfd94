"""Demo data for pricing: the 2012 price list exactly as in seed 000, as the demo year's list
(``demo.calendar``: the seed's 2012 laid on the current year), and next year's list.

2012 (seed 000, "Priser"): salary/compensation via Lisa Självservice or Lisa Tid 58 kr; via
manual reporting 58 + 37 = 95 kr; via Agresso 95 + 50 = 145 kr; urgent payout via Girovision
95 + 300 = 395 kr; add-on services 390 kr/hour. The seeds give no price for a pension case:
its price is a demo value, and its note says so (the item's name, printed on invoices, is a
price-list item like any other). Next year's list is made up (seed 001: the 2026 price
model is under review, maybe a fixed price) and says so too.

The lists are left open: the monthly close (reporting) freezes a list when it issues the
first invoice on it. Running this again changes nothing, frozen or not.
"""

import datetime as dt
from decimal import Decimal

from demo import calendar
from demo.users import upsert
from pricing.models import PriceItem, PriceList

PAYSLIP = "lönespecifikation"

# item_code, name, unit, price, base item, note
LIST_2012 = [
    ("self_service", "Lön/ersättning via Lisa Självservice", PAYSLIP, "58", "", ""),
    ("lisa_tid", "Lön/ersättning via Lisa Tid", PAYSLIP, "58", "", ""),
    ("manual", "Lön/ersättning via manuell rapportering", PAYSLIP, "95", "self_service", "58 + 37 kr"),
    ("agresso", "Lön/ersättning via Agresso", PAYSLIP, "145", "manual", "95 + 50 kr"),
    ("girovision", "Akut löneutbetalning via Girovision", PAYSLIP, "395", "manual", "95 + 300 kr"),
    (
        "addon_hour",
        "Tilläggstjänst per timme (roll- och organisationsregister, utbildning, omkontering, rättning)",
        "timme",
        "390",
        "",
        "",
    ),
    (
        "pension_case",
        "Pensionsärende",
        "ärende",
        "1200",
        "",
        "Demovärde: verksamhetsplanen anger inget pris för pensionsadministration.",
    ),
]

LIST_2026 = [
    ("self_service", "Lön/ersättning via Lisa Självservice", PAYSLIP, "72", "", "Demovärde"),
    ("lisa_tid", "Lön/ersättning via Lisa Tid", PAYSLIP, "72", "", "Demovärde"),
    ("manual", "Lön/ersättning via manuell rapportering", PAYSLIP, "118", "self_service", "Demovärde: 72 + 46 kr"),
    ("agresso", "Lön/ersättning via Agresso", PAYSLIP, "180", "manual", "Demovärde: 118 + 62 kr"),
    ("girovision", "Akut löneutbetalning via Girovision", PAYSLIP, "490", "manual", "Demovärde: 118 + 372 kr"),
    ("addon_hour", "Tilläggstjänst per timme", "timme", "620", "", "Demovärde"),
    ("pension_case", "Pensionsärende", "ärende", "1500", "", "Demovärde"),
]


def lists() -> list[tuple[int, str, list]]:
    """The demo year's list (the seed's 2012 prices) and next year's (made up), by year."""
    year = calendar.year()
    return [
        (year, f"Prislista {year}: priserna i verksamhetsplanen 2012 (servicenämnden).", LIST_2012),
        (
            year + 1,
            f"DEMOVÄRDEN. Prislistan för {year + 1} är under översyn tillsammans med processägarna "
            "(en fastprismodell övervägs); priserna här är påhittade för demonstrationen.",
            LIST_2026,
        ),
    ]


def _load_list(year: int, note: str, items) -> PriceList:
    price_list = PriceList.objects.filter(year=year, version=1).first()
    if price_list is None:
        price_list = PriceList.objects.create(year=year, version=1, effective_from=dt.date(year, 1, 1), note=note)
    if price_list.is_frozen:
        return price_list  # used on an invoice: never touched again
    upsert(PriceList, lookup={"pk": price_list.pk}, values={"note": note, "effective_from": dt.date(year, 1, 1)})
    by_code = {}
    for code, name, unit, price, _base, item_note in items:
        by_code[code] = upsert(
            PriceItem,
            lookup={"price_list": price_list, "item_code": code},
            values={"name": name, "unit": unit, "price": Decimal(price), "note": item_note},
        )
    for code, *_rest, base, _note in items:
        upsert(PriceItem, lookup={"pk": by_code[code].pk}, values={"base_item": by_code[base] if base else None})
    return price_list


def load(*, users) -> None:
    for year, note, items in lists():
        _load_list(year, note, items)
