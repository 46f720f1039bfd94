"""The six imports as the corpus sees them: their file layouts and one way to run each.

``run(name, content)`` feeds the bytes to the import's service exactly as the upload page does
(an uploaded file) and returns whether it was accepted and the messages a person would read.
"""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import _valid_personnummer as pnr

from .corpus import ImportSpec

AGENCY = "HOST1"  # the agency the payslip and signal files name (made by the fixture)
UNIT = "lon1"

SPECS = {
    "agencies": ImportSpec(
        name="agencies",
        header=["code", "name", "kind", "unit"],
        rows=[["HX01", "Förvaltning Hx Ett", "district", UNIT], ["HX02", "Förvaltning Hx Två", "specialist", UNIT]],
        strict="code",
        padding=lambda n: [f"PD{n:05d}", f"Förvaltning nummer {n}", "district", UNIT],
        text="name",
        text_max=200,
    ),
    "price_list": ImportSpec(
        name="price_list",
        header=["year", "item_code", "name", "unit", "price", "base_item", "note"],
        rows=[
            ["2030", "self_service", "Lön via Lisa Självservice", "lönespec", "58", "", ""],
            ["2030", "manual", "Manuell rapportering", "lönespec", "95", "self_service", ""],
        ],
        strict="item_code",
        padding=lambda n: ["2030", f"item_{n}", f"Prispost nummer {n}", "st", "10", "", ""],
        text="name",
        text_max=200,
        number="price",
    ),
    "payslips": ImportSpec(
        name="payslips",
        header=["period", "agency_code", "payslip_id", "personnummer", "channel"],
        rows=[
            ["2012-03", AGENCY, "P-0001", pnr(1), "self_service"],
            ["2012-03", AGENCY, "P-0002", pnr(2), "manual"],
        ],
        strict="agency_code",
        padding=lambda n: ["2012-03", AGENCY, f"PAD-{n:06d}", pnr(100 + n), "self_service"],
        text="payslip_id",
        text_max=40,
        period="period",
        personnummer="personnummer",
        pay_period=True,
    ),
    "fte": ImportSpec(
        name="fte",
        header=["period", "unit", "category", "fte"],
        rows=[["2012-03", UNIT, "payroll_admin", "12,50"], ["2012-03", UNIT, "pension_handler", "2"]],
        strict="category",
        padding=lambda n: [f"{2000 + n // 12:04d}-{n % 12 + 1:02d}", UNIT, "payroll_admin", "1"],
        number="fte",
        period="period",
        duplicates_allowed=True,  # one row per person or team is fine: rows of a month are summed
    ),
    "phone": ImportSpec(
        name="phone",
        header=["period", "calls", "answered_25s", "first_contact_resolved", "emails", "emails_within_1d"],
        rows=[["2012-03", "5210", "4480", "4190", "2380", "2310"], ["2012-04", "4950", "4330", "4050", "2190", "2140"]],
        strict="period",
        padding=lambda n: [f"{1900 + n // 12:04d}-{n % 12 + 1:02d}", "100", "50", "40", "20", "10"],
        number="calls",
        period="period",
    ),
    "signals": ImportSpec(
        name="signals",
        header=["personnummer", "agency", "signal", "event_date", "name", "due_date", "note"],
        rows=[
            [pnr(1), AGENCY, "retirement", "2012-05-01", "Anna Andersson", "", ""],
            [pnr(2), AGENCY, "death", "2012-04-02", "Bo Berg", "", ""],
        ],
        strict="signal",
        padding=lambda n: [pnr(200 + n), AGENCY, "retirement", "2012-05-01", f"Person nummer {n}", "", ""],
        text="name",
        text_max=150,
        date="event_date",
        personnummer="personnummer",
    ),
}

# Rows that a refused file must not have written (the payslip import keeps a record of every attempt).
WRITTEN_BY_IMPORTS = ["customers", "pricing", "payroll", "pensions", "staffing"]
NOT_COUNTED = {"payroll.PayslipImport"}


def row_counts() -> dict[str, int]:
    counts = {}
    for label in WRITTEN_BY_IMPORTS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label not in NOT_COUNTED:
                counts[model._meta.label] = model.objects.count()
    return counts


@dataclass
class Outcome:
    accepted: bool
    messages: list[str]
    result: object = None

    @property
    def text(self) -> str:
        return " | ".join(self.messages)


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("fil.csv", content, content_type="text/csv")


def run(name: str, content: bytes, *, user=None) -> Outcome:
    """Import ``content`` with the named import's service; never lets an ImportRejected escape."""
    from customers.imports import import_agencies
    from organisation.models import Unit
    from payroll.imports import import_payslips
    from payroll.models import PayslipImport
    from pensions.imports import import_signal_list
    from pricing.imports import import_price_list
    from staffing.imports import import_fte, import_phone

    upload = _upload(content)
    if name == "agencies":
        result = import_agencies(upload)
    elif name == "price_list":
        result = import_price_list(upload, user=user)
    elif name == "fte":
        result = import_fte(file=upload, user=user)
    elif name == "phone":
        result = import_phone(file=upload, user=user)
    elif name == "signals":
        result = import_signal_list(
            file=upload,
            provider="kpa",
            name="KPA: pensionsavgångar",
            unit=Unit.objects.get(code=UNIT),
            received_on=dt.date(2012, 3, 1),
            deadline=dt.date(2012, 6, 30),
            user=user,
            filename="fil.csv",
        )
    elif name == "payslips":
        job = PayslipImport.objects.create(file_name="fil.csv", sha256="", origin=PayslipImport.Origin.COMMAND)
        result = import_payslips(binary=upload, job=job, user=user)
    else:
        raise KeyError(name)
    return Outcome(result.imported, [str(e) for e in result.errors], result)


def written(name: str) -> list[tuple]:
    """What the import wrote, as comparable tuples."""
    from customers.models import Agency
    from payroll.models import PayrollCase
    from pensions.models import SignalItem
    from pricing.models import PriceList
    from staffing.models import MonthlyFte, PhoneServiceMonth

    if name == "agencies":
        codes = [row[0] for row in SPECS["agencies"].rows]
        return sorted(
            (a.code, a.name, a.kind, a.unit.code) for a in Agency.objects.filter(code__in=codes).select_related("unit")
        )
    if name == "price_list":
        price_list = PriceList.objects.filter(year=2030).order_by("-version").first()
        if price_list is None:
            return []
        return sorted(
            (i.item_code, i.name, i.unit, f"{i.price:.2f}", i.base_item.item_code if i.base_item_id else "")
            for i in price_list.items.select_related("base_item")
        )
    if name == "payslips":
        return sorted(
            (c.period, c.agency.code, c.payslip_id, c.person.personnummer, c.channel)
            for c in PayrollCase.objects.select_related("agency", "person")
        )
    if name == "fte":
        return sorted(
            (f.period, f.unit.code, f.category, f"{f.fte:.2f}") for f in MonthlyFte.objects.select_related("unit")
        )
    if name == "phone":
        fields = SPECS["phone"].header
        return sorted(tuple(str(getattr(m, f)) for f in fields) for m in PhoneServiceMonth.objects.all())
    if name == "signals":
        return sorted(
            (i.person.personnummer, i.agency.code, i.signal, i.event_date.isoformat(), i.person.name)
            for i in SignalItem.objects.select_related("person", "agency")
        )
    raise KeyError(name)


def expected(name: str) -> list[tuple]:
    """What the good file of ``name`` must write."""
    from decimal import Decimal

    rows = SPECS[name].rows
    if name == "agencies":
        return sorted(tuple(r) for r in rows)
    if name == "price_list":
        return sorted((r[1], r[2], r[3], f"{Decimal(r[4]):.2f}", r[5]) for r in rows)
    if name == "payslips":
        return sorted(tuple(r) for r in rows)
    if name == "fte":
        return sorted((r[0], r[1], r[2], f"{Decimal(r[3].replace(',', '.')):.2f}") for r in rows)
    if name == "phone":
        return sorted(tuple(r) for r in rows)
    if name == "signals":
        return sorted((r[0], r[1], r[2], r[3], r[4]) for r in rows)
    raise KeyError(name)
