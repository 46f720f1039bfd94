"""Document quality and the centre's own errors, read side.

- **Returns per agency and reason** over 13 months: each returned document counted once per reason
  it was returned for (a return names one or more missing items).
- **Right the first time** per agency and month: of the documents registered by hand (cases with
  source *manual*) of a pay period that are completed, the share that were never returned.
- **Error rate**: corrected payments (deviations of the payment kinds) per 10,000 payslips, per month
  and year, against the payslip volume of the same months: the indicator behind "rätt lön i rätt tid".
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear

from core.periods import current_period, period_end, period_start, previous_period
from customers.models import Agency
from customers.selectors import agencies_for

from .models import CaseReturn, Deviation, MissingItem, PayrollCase
from .selectors import volume_rows

QUALITY_MONTHS = 13
PER = 10_000
ONE = Decimal("0.1")
CENT = Decimal("0.01")


def last_months(last: str | None = None, n: int = QUALITY_MONTHS) -> list[str]:
    """The ``n`` pay periods ending with ``last`` (this month by default), oldest first."""
    periods = [last or current_period()]
    while len(periods) < n:
        periods.append(previous_period(periods[-1]))
    return periods[::-1]


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(100 * part) / whole).quantize(ONE, rounding=ROUND_HALF_UP) if whole else None


@dataclass
class FirstTime:
    completed: int = 0
    returned: int = 0

    @property
    def right_first_time(self) -> int:
        return self.completed - self.returned

    @property
    def share(self) -> Decimal | None:
        return _share(self.right_first_time, self.completed)


@dataclass
class AgencyQuality:
    agency: Agency
    months: dict[str, FirstTime]
    returns_by_reason: Counter = field(default_factory=Counter)
    returns: int = 0

    @property
    def total(self) -> FirstTime:
        return FirstTime(
            completed=sum(m.completed for m in self.months.values()),
            returned=sum(m.returned for m in self.months.values()),
        )

    def reason_counts(self, reasons) -> list[int]:
        return [self.returns_by_reason.get(code, 0) for code in reasons]


def first_time_by_agency(*, agency_ids, periods) -> dict[int, dict[str, FirstTime]]:
    """Completed hand-registered cases of ``periods`` per agency and period, and how many of them were
    returned at least once."""
    manual = PayrollCase.objects.filter(
        agency_id__in=agency_ids,
        period__in=periods,
        source=PayrollCase.Source.MANUAL,
        status=PayrollCase.Status.COMPLETED,
    )
    found: dict[int, dict[str, FirstTime]] = defaultdict(dict)
    for row in manual.values("agency_id", "period").annotate(n=Count("id")).order_by():
        found[row["agency_id"]][row["period"]] = FirstTime(completed=row["n"])
    returned = manual.filter(pk__in=CaseReturn.objects.values("case_id"))
    for row in returned.values("agency_id", "period").annotate(n=Count("id")).order_by():
        found[row["agency_id"]][row["period"]].returned = row["n"]
    return found


def returns_by_reason(*, agency_ids, periods) -> dict[int, Counter]:
    """Returns made in ``periods`` (by the day of the return) per agency, counted per reason."""
    found: dict[int, Counter] = defaultdict(Counter)
    rows = CaseReturn.objects.filter(
        case__agency_id__in=agency_ids,
        returned_on__gte=period_start(periods[0]),
        returned_on__lte=period_end(periods[-1]),
    ).values_list("case__agency_id", "missing")
    for agency_id, missing in rows:
        found[agency_id].update(set(missing or [MissingItem.OTHER]))
    return found


def return_counts(*, agency_ids, periods) -> dict[int, int]:
    return dict(
        CaseReturn.objects.filter(
            case__agency_id__in=agency_ids,
            returned_on__gte=period_start(periods[0]),
            returned_on__lte=period_end(periods[-1]),
        )
        .values_list("case__agency_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def document_quality(*, agencies, periods=None) -> list[AgencyQuality]:
    """Document quality of ``agencies`` (a queryset, already scoped to the user) over ``periods``
    (the last 13 months by default): one row per agency, by code."""
    periods = periods or last_months()
    agencies = list(agencies.order_by("code"))
    ids = [a.pk for a in agencies]
    first_time = first_time_by_agency(agency_ids=ids, periods=periods)
    reasons = returns_by_reason(agency_ids=ids, periods=periods)
    counts = return_counts(agency_ids=ids, periods=periods)
    return [
        AgencyQuality(
            agency=a,
            months={p: first_time.get(a.pk, {}).get(p, FirstTime()) for p in periods},
            returns_by_reason=reasons.get(a.pk, Counter()),
            returns=counts.get(a.pk, 0),
        )
        for a in agencies
    ]


def reasons_used(rows: list[AgencyQuality]) -> list[tuple[str, str]]:
    """The reasons (code, label) that occur in ``rows``, in the order of MissingItem."""
    used = set().union(*(r.returns_by_reason for r in rows)) if rows else set()
    return [(code, label) for code, label in MissingItem.choices if code in used]


def right_first_time_share(*, agencies, periods=None) -> FirstTime:
    """The share right the first time of ``agencies`` together over ``periods`` (13 months by default)."""
    periods = periods or last_months()
    total = FirstTime()
    for by_period in first_time_by_agency(agency_ids=agencies.values("pk"), periods=periods).values():
        for month in by_period.values():
            total.completed += month.completed
            total.returned += month.returned
    return total


# --- deviations ------------------------------------------------------------------------------------------


def deviations_for(user) -> QuerySet[Deviation]:
    """The deviations of the user's units' agencies (every agency's with view_all_units)."""
    return Deviation.objects.filter(agency__in=agencies_for(user)).select_related("agency", "case", "registered_by")


def deviation_for(user, pk) -> Deviation:
    return deviations_for(user).get(pk=pk)


@dataclass
class ErrorRate:
    period: str
    corrected_payments: int
    payslips: int

    @property
    def per_10000(self) -> Decimal | None:
        if not self.payslips:
            return None
        return (Decimal(self.corrected_payments * PER) / self.payslips).quantize(CENT, rounding=ROUND_HALF_UP)


def corrected_payments(*, periods, unit_ids=None) -> dict[str, int]:
    """Deviations of the payment kinds per month of their date."""
    first, last = period_start(min(periods)), period_end(max(periods))
    qs = Deviation.objects.filter(kind__in=Deviation.PAYMENT_KINDS, occurred_on__gte=first, occurred_on__lte=last)
    if unit_ids is not None:
        qs = qs.filter(agency__unit_id__in=unit_ids)
    rows = (
        qs.annotate(y=ExtractYear("occurred_on"), m=ExtractMonth("occurred_on"))
        .values("y", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {f"{r['y']:04d}-{r['m']:02d}": r["n"] for r in rows}


def error_rates(*, periods, unit_ids=None) -> list[ErrorRate]:
    """Corrected payments per 10,000 payslips for each month of ``periods``."""
    periods = list(periods)
    errors = corrected_payments(periods=periods, unit_ids=unit_ids)
    payslips: dict[str, int] = defaultdict(int)
    for row in volume_rows(periods=periods, unit_ids=unit_ids, group_by=("period",)):
        payslips[row["period"]] += row["payslips"]
    return [ErrorRate(p, errors.get(p, 0), payslips.get(p, 0)) for p in periods]


def error_rate(*, periods, unit_ids=None, months: list[ErrorRate] | None = None) -> ErrorRate:
    """The error rate of ``periods`` together (a tertial, a year): all corrected payments against all
    payslips of the months (``months``: their rates, when already read)."""
    months = months if months is not None else error_rates(periods=periods, unit_ids=unit_ids)
    return ErrorRate(
        f"{periods[0]}–{periods[-1]}",
        sum(m.corrected_payments for m in months),
        sum(m.payslips for m in months),
    )


def year_periods(year: int) -> list[str]:
    return [f"{year:04d}-{m:02d}" for m in range(1, 13)]


def deviation_summary(deviations: QuerySet[Deviation]) -> list[tuple[str, int]]:
    """(status label, count) of ``deviations`` for each status."""
    counts = dict(deviations.values_list("status").annotate(n=Count("id")).order_by())
    return [(label, counts.get(value, 0)) for value, label in Deviation.Status.choices]


def deviations_by_kind(*, periods, unit_ids=None) -> list[dict]:
    """The deviations of ``periods`` (by the day they occurred) per kind, every kind present:
    ``{"kind", "label", "registered", "corrected", "closed", "payment"}``, ``payment`` saying whether
    the kind counts in the error rate."""
    first, last = period_start(min(periods)), period_end(max(periods))
    qs = Deviation.objects.filter(occurred_on__gte=first, occurred_on__lte=last)
    if unit_ids is not None:
        qs = qs.filter(agency__unit_id__in=unit_ids)
    counts = {
        row["kind"]: row
        for row in qs.values("kind")
        .annotate(
            n=Count("id"),
            corrected=Count("id", filter=Q(status=Deviation.Status.CORRECTED)),
            closed=Count("id", filter=Q(status=Deviation.Status.CLOSED)),
        )
        .order_by()
    }
    return [
        {
            "kind": kind,
            "label": str(label),
            "registered": counts.get(kind, {}).get("n", 0),
            "corrected": counts.get(kind, {}).get("corrected", 0),
            "closed": counts.get(kind, {}).get("closed", 0),
            "payment": kind in Deviation.PAYMENT_KINDS,
        }
        for kind, label in Deviation.Kind.choices
    ]
