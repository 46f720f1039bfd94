"""The tables the volume generator fills: emptying them (``generate_volume --reset``) and counting
what is in them."""

from django.db import connection, models

from core.models import ClosedPeriod
from customers.models import Agency
from invoicing.models import CloseJob, Invoice, InvoiceLine, InvoiceNumberSeries
from payroll.models import AggregatedPeriod, MonthlyVolume, PayrollCase, PayslipCount, PayslipImport
from pensions.models import CaseNumberSeries, PensionCase
from people.models import Person
from pricing.models import PriceItem, PriceList
from staffing.models import MonthlyFte

# What the generator (and the closes it runs) fills; TRUNCATE … CASCADE also empties what refers to them.
RESET_MODELS = [
    PayrollCase,
    PayslipImport,
    PensionCase,
    CaseNumberSeries,
    MonthlyFte,
    InvoiceLine,
    Invoice,
    CloseJob,
    InvoiceNumberSeries,
    MonthlyVolume,
    PayslipCount,
    AggregatedPeriod,
    ClosedPeriod,
    PriceItem,
    PriceList,
    Person,
]


def reset() -> None:
    """Empty every table the generator fills (and the history rows of those models)."""
    tables = []
    for model in RESET_MODELS:
        tables.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model"):
            tables.append(history.model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in an enclosing transaction would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


def counts() -> dict[str, int]:
    """Rows per generated table (estimates for the big ones are not good enough: exact counts)."""
    return {
        "agencies": Agency.objects.count(),
        "people": Person.objects.count(),
        "payroll_cases": PayrollCase.objects.count(),
        "pension_cases": PensionCase.objects.count(),
        "fte_rows": MonthlyFte.objects.count(),
        "invoices": Invoice.objects.count(),
    }


def channel_shares() -> dict[str, float]:
    rows = dict(PayrollCase.objects.values_list("channel").annotate(n=models.Count("id")).order_by())
    total = sum(rows.values()) or 1
    return {channel: n / total for channel, n in rows.items()}
