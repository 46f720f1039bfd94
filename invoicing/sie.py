"""The month's internal invoicing as SIE 4 vouchers (type 4I, for import into the city's ledger).

One voucher (``#VER``) per invoice and per credit note, dated the document's date: the buyer's
internal account is debited with the total, carrying the agency's ansvar (dimension 1) and
verksamhet (dimension 20) codes, and the centre's revenue account of each line's item is
credited. Every voucher balances to 0.00. The file is CP437 ("PC8"), as the format requires.
README.md ("E-invoices, SIE and Agresso") has a sample; ``parse`` reads a file back.
"""

import datetime as dt
import re
import shlex
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from .models import Invoice, InvoiceLine

RESPONSIBILITY_DIMENSION = "1"  # SIE's dimension 1: cost centre / result unit, the city's "ansvar"
ACTIVITY_DIMENSION = "20"  # a free dimension (20 and up): the city's "verksamhet"
ENCODING = "cp437"
# The names the file gives the revenue accounts (an item with an account of its own, else all items).
ACCOUNT_NAMES = {
    "": "Intäkter lön och pension, internt",
    "pension_case": "Intäkter pensionsärenden, internt",
    "addon_hour": "Intäkter tilläggstjänster, internt",
}
PROGRAM_VERSION = "0.1.0"


def revenue_account(item_code: str) -> str:
    return settings.SIE_REVENUE_ACCOUNTS.get(item_code, settings.SIE_REVENUE_ACCOUNT)


def debit_account(invoice: Invoice) -> str:
    """The buyer's account: the one in the agency's coding when given, else ``SIE_INTERNAL_ACCOUNT``."""
    return invoice.account_code or settings.SIE_INTERNAL_ACCOUNT


def _quote(value) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def voucher_rows(invoice: Invoice, lines: list[InvoiceLine]) -> list[tuple[str, dict, Decimal]]:
    """(account, objects, amount) rows of one document's voucher; debits positive, they sum to 0."""
    objects = {}
    if invoice.responsibility_code or invoice.agency.responsibility_code:
        objects[RESPONSIBILITY_DIMENSION] = invoice.responsibility_code or invoice.agency.responsibility_code
    if invoice.activity_code or invoice.agency.activity_code:
        objects[ACTIVITY_DIMENSION] = invoice.activity_code or invoice.agency.activity_code
    rows = [(debit_account(invoice), objects, invoice.total)]
    credits: dict[str, Decimal] = {}
    for line in lines:
        account = revenue_account(line.item_code)
        credits[account] = credits.get(account, Decimal("0.00")) - line.amount
    rows += [(account, {}, amount) for account, amount in sorted(credits.items())]
    return rows


def voucher_text(invoice: Invoice) -> str:
    kind = "Kreditfaktura" if invoice.is_credit_note else "Faktura"
    return f"{kind} {invoice.number} {invoice.agency_code} {invoice.period}"


def sie_file(invoices, *, period: str) -> bytes:
    """The SIE 4I file of ``invoices`` (the month's invoices and credit notes)."""
    documents = list(invoices.select_related("agency").prefetch_related("lines").order_by("series_year", "sequence"))
    centre = settings.SERVICE_CENTRE
    out = [
        "#FLAGGA 0",
        f"#PROGRAM {_quote('Lönservice')} {PROGRAM_VERSION}",
        "#FORMAT PC8",
        f"#GEN {_date(timezone.localdate())}",
        "#SIETYP 4",
        f"#FNAMN {_quote(centre['name'])}",
        f"#ORGNR {centre['org_number']}",
        "#VALUTA SEK",
        f"#DIM {RESPONSIBILITY_DIMENSION} {_quote('Ansvar')}",
        f"#DIM {ACTIVITY_DIMENSION} {_quote('Verksamhet')}",
    ]
    accounts = {settings.SIE_INTERNAL_ACCOUNT: "Köp av lön- och pensionstjänster, internt"}
    objects: dict[tuple[str, str], str] = {}
    vouchers = []
    for invoice in documents:
        lines = list(invoice.lines.all())
        rows = voucher_rows(invoice, lines)
        accounts.setdefault(debit_account(invoice), "Köp av lön- och pensionstjänster, internt")
        for line in lines:
            account = revenue_account(line.item_code)
            own = account != settings.SIE_REVENUE_ACCOUNT and line.item_code in ACCOUNT_NAMES
            accounts.setdefault(account, ACCOUNT_NAMES[line.item_code if own else ""])
        for _account, dims, _ in rows:
            for dim, code in dims.items():
                objects.setdefault((dim, code), invoice.agency_name if dim == RESPONSIBILITY_DIMENSION else code)
        vouchers.append((invoice, rows))
    out += [f"#KONTO {account} {_quote(name)}" for account, name in sorted(accounts.items())]
    out += [f"#OBJEKT {dim} {_quote(code)} {_quote(name)}" for (dim, code), name in sorted(objects.items())]
    for invoice, rows in vouchers:
        out.append(
            f"#VER {_quote(settings.SIE_VOUCHER_SERIES)} {_quote('')} {_date(invoice.invoice_date)} "
            f"{_quote(voucher_text(invoice))} {_date(invoice.issued_at.date())}"
        )
        out.append("{")
        for account, dims, amount in rows:
            object_list = " ".join(f"{dim} {_quote(code)}" for dim, code in dims.items())
            out.append(f"   #TRANS {account} {{{object_list}}} {_amount(amount)}")
        out.append("}")
    return ("\r\n".join(out) + "\r\n").encode(ENCODING, errors="replace")


# --- reading a file back ----------------------------------------------------------------------


@dataclass
class Voucher:
    series: str
    date: str
    text: str
    rows: list = field(default_factory=list)  # (account, {dim: object}, amount)

    @property
    def balance(self) -> Decimal:
        return sum((amount for _, _, amount in self.rows), Decimal("0.00"))

    @property
    def number(self) -> str:
        """The invoice number the voucher books (its text: kind, number, agency, period)."""
        match = re.search(r"\b(\d{4}-\d{5})\b", self.text)
        return match.group(1) if match else ""


@dataclass
class SieFile:
    labels: dict = field(default_factory=dict)  # "#FLAGGA" → its fields (the first of each label)
    vouchers: list = field(default_factory=list)


def _objects(text: str) -> dict:
    fields = shlex.split(text)
    return dict(zip(fields[0::2], fields[1::2], strict=True))


def parse(data: bytes) -> SieFile:
    """Read a SIE 4 file (CP437): its labels and its vouchers with their rows."""
    result = SieFile()
    current = None
    for raw in data.decode(ENCODING).splitlines():
        line = raw.strip()
        if not line or line in ("{",):
            continue
        if line == "}":
            current = None
            continue
        if line.startswith("#TRANS") and current is not None:
            match = re.fullmatch(r"#TRANS\s+(\S+)\s+\{(.*?)\}\s+(\S+).*", line)
            current.rows.append((match.group(1), _objects(match.group(2)), Decimal(match.group(3))))
            continue
        label, _, rest = line.partition(" ")
        fields = shlex.split(rest) if rest else []
        result.labels.setdefault(label, fields)
        if label == "#VER":
            current = Voucher(series=fields[0], date=fields[2], text=fields[3])
            result.vouchers.append(current)
    return result
