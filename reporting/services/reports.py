"""The reports: volume, productivity, invoices and the tertial report to the board.

Each report is built once as a ``Report`` (columns with machine names and labels,
rows, a total row, charts) and then shown as a page or written as CSV, XLSX or
PDF. CSV has a header row of the machine names, commas, ``.`` decimals and one
row per agency/unit plus a total row.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Agency, StaffMember, Unit
from lonservice import exports
from lonservice.pdf import render_pdf
from lonservice.periods import parse_period, tertial_periods
from payroll.models import Channel

from .. import selectors
from ..models import Invoice, Target
from ..selectors import NO_DATA, source
from ..targets import targets_for
from . import charts

Ind = Target.Indicator
PAYROLL = [StaffMember.Category.PAYROLL_ADMIN]
PENSION = [StaffMember.Category.PENSION_HANDLER]
ONE = Decimal("0.1")
CENT = Decimal("0.01")
ALL = "ALL"
TOTAL = "TOTAL"


@dataclass(frozen=True)
class Column:
    key: str  # CSV header
    label: str  # page and PDF header
    kind: str = "text"  # text, int, decimal, pct, money, status
    page: bool = True  # shown on the page and PDF (all columns go to CSV/XLSX)


@dataclass
class Report:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict]
    total: dict | None = None
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)
    charts: list = field(default_factory=list)
    sections: list = field(default_factory=list)  # extra (title, Report) tables on page and PDF
    # On page and PDF, a wide report can be shown as several tables: (title, [column keys]),
    # each led by the first column. CSV and XLSX keep one row per unit/agency with every column.
    column_groups: list = field(default_factory=list)

    @property
    def group_reports(self) -> list[tuple[str, "Report"]]:
        by_key = {c.key: c for c in self.columns}
        return [
            (
                title,
                Report(
                    name=self.name,
                    title=title,
                    columns=[self.columns[0], *(by_key[k] for k in keys)],
                    rows=self.rows,
                    total=self.total,
                ),
            )
            for title, keys in self.column_groups
        ]

    def all_rows(self) -> list[dict]:
        return self.rows + ([self.total] if self.total else [])

    def values(self, row: dict) -> list:
        return [_machine(row.get(c.key)) for c in self.columns]

    @property
    def page_columns(self) -> list[Column]:
        return [c for c in self.columns if c.page]

    def display_rows(self, rows=None) -> list[list[tuple[str, object]]]:
        rows = rows if rows is not None else self.rows
        return [[(row.get("_kinds", {}).get(c.key, c.kind), row.get(c.key)) for c in self.page_columns] for row in rows]

    @property
    def display_total(self):
        return self.display_rows([self.total])[0] if self.total else None

    def csv(self) -> bytes:
        return exports.csv_bytes([c.key for c in self.columns], (self.values(r) for r in self.all_rows()))

    def xlsx(self) -> bytes:
        header = [str(c.label) for c in self.columns]
        return exports.xlsx_bytes(header, (self.values(r) for r in self.all_rows()), title=self.name)

    def pdf(self) -> bytes:
        return render_pdf("reporting/pdf/report.html", {"report": self})

    def render(self, fmt: str) -> bytes:
        return {"csv": self.csv, "xlsx": self.xlsx, "pdf": self.pdf}[fmt]()

    def filename(self, fmt: str) -> str:
        return f"{self.name}.{fmt}"


def _machine(value):
    """CSV/XLSX cell: numbers stay numbers (Decimal → '.' decimals), status as met/not_met."""
    if value is None or value is NO_DATA:
        return None
    if isinstance(value, bool):
        return "met" if value else "not_met"
    return value


def ratio(numerator, denominator, places=ONE) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def met(value, target, indicator=None) -> bool | None:
    if value is None or target is None:
        return None
    return value <= target if indicator in Target.LOWER_IS_BETTER else value >= target


def pct(part, whole) -> Decimal | None:
    return ratio(Decimal(100) * part, whole) if whole else None


# --- volume -------------------------------------------------------------------------------


def last_year(period: str) -> str:
    year, month = parse_period(period)
    return f"{year - 1:04d}-{month:02d}"


def volume_report(*, period: str, unit_ids=None) -> Report:
    """Payslips per agency and channel in a pay period, the machine share, decided pension
    cases, and the same month last year."""
    parse_period(period)
    before = last_year(period)
    counts: dict[tuple[str, int], dict[str, int]] = {}
    for row in selectors.volume_rows(
        periods=[period, before], unit_ids=unit_ids, group_by=("period", "agency_id", "channel")
    ):
        counts.setdefault((row["period"], row["agency_id"]), {})[row["channel"]] = row["payslips"]
    pensions = source("pensions.selectors.billable_counts", billing_period=period)
    pensions_before = source("pensions.selectors.billable_counts", billing_period=before)
    agency_ids = {agency_id for (_p, agency_id) in counts} | set(pensions or {})
    agencies = Agency.objects.filter(pk__in=agency_ids).select_related("unit").order_by("code")
    if unit_ids is not None:
        agencies = agencies.filter(unit_id__in=unit_ids)
    channels = list(Channel)
    columns = [
        Column("agency_code", _("Agency")),
        Column("agency_name", _("Name")),
        Column("unit", _("Unit")),
        *[Column(c.value, c.label, "int") for c in channels],
        Column("payslips", _("Payslips"), "int"),
        Column("machine_share_pct", _("Machine %"), "pct"),
        Column("pension_cases", _("Pension cases"), "int"),
        Column("payslips_last_year", _("Same month last year"), "int"),
        Column("change_pct", _("Change %"), "pct"),
    ]
    rows = []
    for agency in agencies:
        now = counts.get((period, agency.pk), {})
        then = counts.get((before, agency.pk), {})
        rows.append(
            _volume_row(
                agency.code, agency.name, agency.unit.code, channels, now, then, pensions, agency.pk, pensions_before
            )
        )
    total_now = {c.value: sum(r[c.value] for r in rows) for c in channels}
    total = {
        "agency_code": TOTAL,
        "agency_name": "",
        "unit": "",
        **total_now,
        "payslips": sum(r["payslips"] for r in rows),
        "pension_cases": None if pensions is NO_DATA else sum(r["pension_cases"] or 0 for r in rows),
        "payslips_last_year": sum(r["payslips_last_year"] for r in rows),
    }
    total["machine_share_pct"] = pct(sum(total_now.get(c, 0) for c in selectors.MACHINE_CHANNELS), total["payslips"])
    total["change_pct"] = _change(total["payslips"], total["payslips_last_year"])
    report = Report(
        name=f"volume-{period}",
        title=_("Volumes %(period)s") % {"period": period},
        subtitle=_("Payslips per agency and channel, against %(before)s") % {"before": before},
        columns=columns,
        rows=rows,
        total=total,
    )
    if pensions is NO_DATA:
        report.notes.append(_("Pension cases: no data (the pension figures are not available)."))
    report.charts.append(
        charts.bar_chart(
            title=_("Payslips per channel"),
            labels=[str(c.label) for c in channels],
            series={
                period: [total_now[c.value] for c in channels],
                before: [sum(counts.get((before, a.pk), {}).get(c.value, 0) for a in agencies) for c in channels],
            },
        )
    )
    return report


def _change(now, then):
    return ratio(Decimal(100) * (now - then), then) if then else None


def _volume_row(code, name, unit, channels, now, then, pensions, agency_id, pensions_before):
    payslips = sum(now.values())
    machine = sum(now.get(c, 0) for c in selectors.MACHINE_CHANNELS)
    previous = sum(then.values())
    return {
        "agency_code": code,
        "agency_name": name,
        "unit": unit,
        **{c.value: now.get(c.value, 0) for c in channels},
        "payslips": payslips,
        "machine_share_pct": pct(machine, payslips),
        "pension_cases": None if pensions is NO_DATA else (pensions or {}).get(agency_id, {}).get("pension_case", 0),
        "payslips_last_year": previous,
        "change_pct": _change(payslips, previous),
    }


# --- productivity -------------------------------------------------------------------------


def scope_periods(
    *, period: str | None = None, year: int | None = None, tertial: int | None = None
) -> tuple[list[str], str]:
    if period:
        parse_period(period)
        return [period], period
    return tertial_periods(year, tertial), f"{year}-T{tertial}"


def productivity_figures(*, periods: list[str], unit=None, payslips: int, year: int, targets: dict) -> dict:
    """The three productivity indicators for ``periods`` (one unit, or the whole service),
    each normalised to its target's basis: per month, per tertial, per year."""
    months = len(periods)
    unit_kw = {"unit": unit}
    payroll_fte = source("staffing.selectors.average_fte", periods=periods, categories=PAYROLL, **unit_kw)
    pension_fte = source("staffing.selectors.average_fte", periods=periods, categories=PENSION, **unit_kw)
    retirements = source("pensions.selectors.pension_retirements", periods=periods, **unit_kw)
    no_fte = payroll_fte is NO_DATA
    payroll_fte = None if no_fte else payroll_fte
    pension_fte = None if pension_fte is NO_DATA else pension_fte
    retirements = None if retirements is NO_DATA else retirements
    monthly = Decimal(payslips) / months
    target = targets.get(Ind.PAYSLIPS_PER_PAYROLL_FTE)
    per_fte = ratio(monthly, payroll_fte)
    all_fte = None if payroll_fte is None or pension_fte is None else payroll_fte + pension_fte
    target_all = targets.get(Ind.PAYSLIPS_PER_FTE)
    per_all = ratio(monthly * 4, all_fte)  # per tertial (four months)
    target_ret = targets.get(Ind.RETIREMENTS_PER_PENSION_FTE)
    per_year = None if retirements is None else Decimal(retirements) * 12 / months
    per_pension_fte = ratio(per_year, pension_fte)
    return {
        "payslips": payslips,
        "payroll_fte": payroll_fte,
        "payslips_per_fte": per_fte,
        "target": target,
        "status": met(per_fte, target),
        "fte_needed": ratio(monthly, target, CENT) if target else None,
        "staff_fte": all_fte,
        "payslips_per_staff_fte_tertial": per_all,
        "target_staff": target_all,
        "status_staff": met(per_all, target_all),
        "retirements": retirements,
        "pension_fte": pension_fte,
        "retirements_per_pension_fte_year": per_pension_fte,
        "target_retirements": target_ret,
        "status_retirements": met(per_pension_fte, target_ret),
        "pension_fte_needed": ratio(per_year, target_ret, CENT) if target_ret and per_year is not None else None,
    }


PRODUCTIVITY_COLUMNS = [
    ("unit", gettext_lazy("Unit"), "text"),
    ("payslips", gettext_lazy("Payslips"), "int"),
    ("payroll_fte", gettext_lazy("Payroll FTE"), "decimal"),
    ("payslips_per_fte", gettext_lazy("Payslips per FTE a month"), "decimal"),
    ("target", gettext_lazy("Target"), "int"),
    ("status", gettext_lazy("Met"), "status"),
    ("fte_needed", gettext_lazy("FTE needed at target"), "decimal"),
    ("staff_fte", gettext_lazy("Payroll + pension FTE"), "decimal"),
    ("payslips_per_staff_fte_tertial", gettext_lazy("Payslips per FTE a tertial"), "decimal"),
    ("target_staff", gettext_lazy("Target"), "int"),
    ("status_staff", gettext_lazy("Met"), "status"),
    ("retirements", gettext_lazy("Pension retirements"), "int"),
    ("pension_fte", gettext_lazy("Pension FTE"), "decimal"),
    ("retirements_per_pension_fte_year", gettext_lazy("Retirements per FTE a year"), "decimal"),
    ("target_retirements", gettext_lazy("Target"), "int"),
    ("status_retirements", gettext_lazy("Met"), "status"),
    ("pension_fte_needed", gettext_lazy("Pension FTE needed"), "decimal"),
]


def productivity_report(*, period=None, year=None, tertial=None, unit_ids=None) -> Report:
    """Payslips per payroll-administrator FTE against the month target (950 in 2012), payslips
    per FTE of payroll and pension staff together against the tertial target (1,400 in 2025),
    pension retirements per pension FTE against the year target (510): per unit and ALL."""
    periods, label = scope_periods(period=period, year=year, tertial=tertial)
    year = int(periods[0][:4])
    targets = targets_for(year)
    by_unit = selectors.payslips_by_unit(periods=periods)
    units = Unit.objects.order_by("code")
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    rows = [
        {"unit": unit.code, "unit_name": unit.name}
        | productivity_figures(periods=periods, unit=unit, payslips=by_unit.get(unit.pk, 0), year=year, targets=targets)
        for unit in units
    ]
    total = None
    if unit_ids is None:
        total = {"unit": ALL, "unit_name": _("Whole service")} | productivity_figures(
            periods=periods, unit=None, payslips=sum(by_unit.values()), year=year, targets=targets
        )
    report = Report(
        column_groups=[
            (
                _("Payslips per payroll-administrator FTE (target a month)"),
                ["payslips", "payroll_fte", "payslips_per_fte", "target", "status", "fte_needed"],
            ),
            (
                _("Payslips per FTE of payroll and pension staff (target a tertial)"),
                ["payslips", "staff_fte", "payslips_per_staff_fte_tertial", "target_staff", "status_staff"],
            ),
            (
                _("Pension retirements per pension-handler FTE (target a year)"),
                [
                    "retirements",
                    "pension_fte",
                    "retirements_per_pension_fte_year",
                    "target_retirements",
                    "status_retirements",
                    "pension_fte_needed",
                ],
            ),
        ],
        name=f"productivity-{label}",
        title=_("Productivity %(scope)s") % {"scope": label},
        subtitle=_("Per unit and for the whole service, against the targets for %(year)s") % {"year": year},
        columns=[Column(k, str(lbl), kind) for k, lbl, kind in PRODUCTIVITY_COLUMNS],
        rows=rows,
        total=total,
    )
    if not selectors.has_source("staffing.selectors.average_fte"):
        report.notes.append(_("FTE: no data (staffing figures are not available)."))
    if not selectors.has_source("pensions.selectors.pension_retirements"):
        report.notes.append(_("Pension retirements: no data."))
    if Ind.PAYSLIPS_PER_FTE not in targets:
        report.notes.append(
            _("No target for payslips per FTE a tertial was set for %(year)s (1,400 from 2025).") % {"year": year}
        )
    shown = rows + ([total] if total else [])
    report.charts.append(
        charts.bar_chart(
            title=_("Payslips per payroll FTE a month"),
            labels=[r["unit"] for r in shown],
            series={
                _("Payslips per FTE"): [r["payslips_per_fte"] for r in shown],
                _("Target"): [r["target"] for r in shown],
            },
        )
    )
    return report


# --- invoices -----------------------------------------------------------------------------


def invoice_report(*, period: str, unit_ids=None) -> Report:
    """The month's invoices and credit notes with their totals in SEK."""
    parse_period(period)
    qs = Invoice.objects.filter(period=period).order_by("series_year", "sequence")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    report = invoice_rows_report(qs)
    report.name = f"invoices-{period}"
    report.title = _("Invoices %(period)s") % {"period": period}
    report.total["period"] = period
    return report


def invoice_rows_report(qs) -> Report:
    """Invoices (a filtered list) as report rows: number, agency, period, dates, total in SEK, status."""
    invoices = list(qs.select_related("credited_invoice"))
    credited = set(
        Invoice.objects.filter(credited_invoice__in=[i.pk for i in invoices]).values_list(
            "credited_invoice_id", flat=True
        )
    )
    rows = [
        {
            "invoice_number": inv.number,
            "kind": inv.kind,
            "agency_code": inv.agency_code,
            "agency_name": inv.agency_name,
            "billing_reference": inv.billing_reference,
            "period": inv.period,
            "invoice_date": inv.invoice_date.isoformat(),
            "due_date": inv.due_date.isoformat(),
            "total_sek": inv.total,
            "credits": inv.credited_invoice.number if inv.credited_invoice_id else "",
            "status": "credited" if inv.pk in credited else ("credit_note" if inv.is_credit_note else "issued"),
        }
        for inv in invoices
    ]
    columns = [
        Column("invoice_number", _("Number")),
        Column("kind", _("Kind")),
        Column("agency_code", _("Agency")),
        Column("agency_name", _("Name")),
        Column("billing_reference", _("Billing reference")),
        Column("period", _("Period")),
        Column("invoice_date", _("Invoice date")),
        Column("due_date", _("Due date")),
        Column("total_sek", _("Total (SEK)"), "money"),
        Column("credits", _("Credits invoice")),
        Column("status", _("Status")),
    ]
    total = {"invoice_number": TOTAL, "total_sek": sum((r["total_sek"] for r in rows), Decimal("0.00"))}
    return Report(name="invoices", title=_("Invoices"), columns=columns, rows=rows, total=total)


REPORTS = {"volume": volume_report, "productivity": productivity_report, "invoices": invoice_report}
