"""The volume report: payslips per agency and channel, the machine share, decided pension cases,
and the same month last year; built once as a ``core.report.Report``."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core import charts
from core.periods import parse_period
from core.report import TOTAL, Column, Report, column_sums
from customers.models import Agency
from payroll.models import CHANNEL_SHORT, Channel
from payroll.selectors import MACHINE_CHANNELS, volume_rows
from pensions.selectors import billable_counts as pension_billable_counts

from .figures import pct, ratio


def last_year(period: str) -> str:
    year, month = parse_period(period)
    return f"{year - 1:04d}-{month:02d}"


def volume_report(*, period: str, unit_ids=None) -> Report:
    """Payslips per agency and channel in a pay period, the machine share, decided pension
    cases, and the same month last year."""
    parse_period(period)
    before = last_year(period)
    counts: dict[tuple[str, int], dict[str, int]] = {}
    for row in volume_rows(periods=[period, before], unit_ids=unit_ids, group_by=("period", "agency_id", "channel")):
        counts.setdefault((row["period"], row["agency_id"]), {})[row["channel"]] = row["payslips"]
    pensions = pension_billable_counts(billing_period=period)
    agency_ids = {agency_id for (_p, agency_id) in counts} | set(pensions)
    agencies = Agency.objects.filter(pk__in=agency_ids).select_related("unit").order_by("code")
    if unit_ids is not None:
        agencies = agencies.filter(unit_id__in=unit_ids)
    channels = list(Channel)
    columns = [
        Column("agency_code", _("Agency")),
        Column("agency_name", _("Name")),
        Column("unit", _("Unit"), display_key="unit_name"),
        *[Column(c.value, CHANNEL_SHORT[c], "int") for c in channels],
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
            _volume_row(agency.code, agency.name, agency.unit.code, channels, now, then, pensions.get(agency.pk, {}))
            | {"unit_name": agency.unit.name}
        )
    total_now = column_sums(rows, [c.value for c in channels])
    total = {
        "agency_code": TOTAL,
        "agency_name": "",
        "unit": "",
        **total_now,
        **column_sums(rows, ("payslips", "pension_cases", "payslips_last_year")),
    }
    total["machine_share_pct"] = pct(sum(total_now.get(c, 0) for c in MACHINE_CHANNELS), total["payslips"])
    total["change_pct"] = _change(total["payslips"], total["payslips_last_year"])
    report = Report(
        name=f"volume-{period}",
        title=_("Volumes %(period)s") % {"period": period},
        subtitle=_("Payslips per agency and channel, against %(before)s") % {"before": before},
        columns=columns,
        rows=rows,
        total=total,
        # Two tables that each fit the page at 1280 px; CSV and XLSX keep every column in one row.
        column_groups=[
            (_("Payslips per channel"), ["agency_name", *[c.value for c in channels], "payslips"]),
            (
                _("Machine share, pension cases and the same month last year"),
                [
                    "agency_name",
                    "unit",
                    "payslips",
                    "machine_share_pct",
                    "pension_cases",
                    "payslips_last_year",
                    "change_pct",
                ],
            ),
        ],
    )
    report.charts.append(
        charts.bar_chart(
            title=_("Payslips per channel"),
            labels=[str(CHANNEL_SHORT[c]) for c in channels],
            series={
                period: [total_now[c.value] for c in channels],
                before: [sum(counts.get((before, a.pk), {}).get(c.value, 0) for a in agencies) for c in channels],
            },
        )
    )
    return report


def _change(now, then):
    return ratio(Decimal(100) * (now - then), then) if then else None


def _volume_row(code, name, unit, channels, now, then, pensions):
    payslips = sum(now.values())
    machine = sum(now.get(c, 0) for c in MACHINE_CHANNELS)
    previous = sum(then.values())
    return {
        "agency_code": code,
        "agency_name": name,
        "unit": unit,
        **{c.value: now.get(c.value, 0) for c in channels},
        "payslips": payslips,
        "machine_share_pct": pct(machine, payslips),
        "pension_cases": pensions.get("pension_case", 0),
        "payslips_last_year": previous,
        "change_pct": _change(payslips, previous),
    }
