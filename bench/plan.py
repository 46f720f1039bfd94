"""What the volume generator writes, decided before anything is written: the seeds' scale, the
employees' personal identity numbers and names, each agency's share and channel mix, and every
payslip of a month. Deterministic for a seed (see bench/volume.py)."""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from core.periods import current_period, periods_between, previous_period

PAYSLIPS_PER_YEAR = 600_000
PENSION_CASES_PER_YEAR = 2_300
# Summer substitutes and December's extra payments make the months differ a little.
MONTH_WEIGHTS = [0.98, 0.97, 0.99, 0.98, 1.00, 1.05, 1.07, 1.03, 0.99, 0.98, 0.97, 0.99]
# 70 % machine-processed (seed 000: ~420,000 of 600,000), the rest by hand or other channels.
CHANNEL_SHARES = [
    ("self_service", 0.52),
    ("lisa_tid", 0.18),
    ("manual", 0.249),
    ("agresso", 0.05),
    ("girovision", 0.001),
]
MACHINE = ("self_service", "lisa_tid")
# Of 2,300 pension cases a year 1,950 are old-age pensions (seed 000); the rest as the seeds suggest.
PENSION_KINDS = [("old_age", 1950), ("survivor", 200), ("insurance", 120), ("other", 30)]
TURNOVER = 0.08  # share of the employees replaced in a year
PROTECTED_PER_MILLE = 1  # people with protected identity
FILE_PREFIX = "VOLYM-lonespecifikationer-"
UNITS = [("lon1", "Löneenhet 1"), ("lon2", "Löneenhet 2")]
PENSION_UNIT = "lon2"  # seed 000: one of the two units holds the pension team
# FTE per unit and staff category (seed 000, 2012: 53.95 payroll administrators, 4.5 pension
# handlers, 2 unit managers and 2 deputies, 1 development secretary).
FTE = {
    ("lon1", "payroll_admin"): Decimal("27.00"),
    ("lon2", "payroll_admin"): Decimal("26.95"),
    ("lon2", "pension_handler"): Decimal("4.50"),
    ("lon1", "manager"): Decimal("2.00"),
    ("lon2", "manager"): Decimal("2.00"),
    ("lon1", "other"): Decimal("1.00"),
}
FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sara", "Per", "Lena", "Mikael",
    "Emma", "Peter", "Kristina", "Jonas", "Elin", "Fredrik", "Ida", "Magnus", "Sofia", "Henrik", "Maja", "Ali",
    "Fatima", "Mohammed", "Amina", "Oskar", "Linnea", "Nils", "Astrid", "Gustav", "Yusuf", "Leila",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg", "Lindqvist", "Berg",
    "Axelsson", "Lundberg", "Mohammadi", "Hosseini", "Virtanen", "Nieminen", "Ekström", "Holm", "Sandberg",
]  # fmt: skip


@dataclass
class Options:
    years: int = 5
    agencies: int = 33
    seed: int = 1
    payslips_per_year: int = PAYSLIPS_PER_YEAR
    pension_cases_per_year: int = PENSION_CASES_PER_YEAR
    employees: int | None = None  # at any time; default: a month's payslips
    last_period: str | None = None  # default: the month before the current one
    close: bool = True  # close every month but the last through the product's monthly close

    @property
    def periods(self) -> list[str]:
        last = self.last_period or previous_period(current_period())
        first = last
        for _i in range(self.years * 12 - 1):
            first = previous_period(first)
        return periods_between(first, last)

    @property
    def employee_count(self) -> int:
        return self.employees or max(1, self.payslips_per_year // 12)


# --- valid, unique personal identity numbers ------------------------------------------------------------


def luhn(digits: str) -> int:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 - i % 2)
        total += n // 10 + n % 10
    return (10 - total % 10) % 10


def personnummer_pool(*, seed, count: int, born_from: dt.date, born_to: dt.date) -> list[str]:
    """``count`` different valid numbers ``YYYYMMDD-NNNN`` born between the two days, the same for a seed."""
    rng = random.Random(f"lonservice-volume-people-{seed}-{born_from}")
    span = (born_to - born_from).days
    seen: set[str] = set()
    numbers: list[str] = []
    while len(numbers) < count:
        born = born_from + dt.timedelta(days=rng.randrange(span + 1))
        serial = f"{rng.randrange(1, 1000):03d}"
        head = f"{born:%y%m%d}{serial}"
        number = f"{born:%Y%m%d}-{serial}{luhn(head)}"
        if number not in seen:
            seen.add(number)
            numbers.append(number)
    return numbers


def person_name(index: int) -> str:
    return f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 7 + index // 13) % len(LAST_NAMES)]}"


# --- the plan --------------------------------------------------------------------------------------------


@dataclass
class AgencyPlan:
    id: int
    code: str
    name: str
    unit_id: int
    share: float  # of the month's payslips
    first: int  # first slot in the employee window
    size: int  # employees
    shares: list[tuple[str, float]]  # channel mix


def agency_plans(agencies, *, seed, employees: int) -> list[AgencyPlan]:
    """Each agency's share of the volume (districts are larger), its employees and channel mix (70 % ± 7 % machine)."""
    weights = []
    for agency in agencies:
        rng = random.Random(f"lonservice-volume-{seed}-{agency.code}")
        size = 1.6 if agency.kind == "district" else 1.0
        weights.append((size * rng.uniform(0.4, 1.6), rng.uniform(-0.07, 0.07)))
    total = sum(w for w, _tilt in weights)
    # Centre the tilts on the volume-weighted mean, so that the service as a whole is at 70 %.
    mean_tilt = sum(w * tilt for w, tilt in weights) / total
    weights = [(w, tilt - mean_tilt) for w, tilt in weights]
    plans, first = [], 0
    for agency, (weight, tilt) in zip(agencies, weights, strict=True):
        size = max(1, round(employees * weight / total))
        machine = 0.70 + tilt
        shares = [
            (code, share * machine / 0.70 if code in MACHINE else share * (1 - machine) / 0.30)
            for code, share in CHANNEL_SHARES
        ]
        plans.append(
            AgencyPlan(agency.pk, agency.code, agency.name, agency.unit_id, weight / total, first, size, shares)
        )
        first += size
    return plans


def month_total(options: Options, period: str) -> int:
    month = int(period[5:])
    return round(options.payslips_per_year * MONTH_WEIGHTS[month - 1] / sum(MONTH_WEIGHTS))


def channel_counts(n: int, shares: list[tuple[str, float]]) -> list[tuple[str, int]]:
    """``n`` payslips split by channel, rounded by largest remainder so that the total is exact."""
    total = sum(share for _code, share in shares)
    exact = [(code, n * share / total) for code, share in shares]
    counts = {code: int(value) for code, value in exact}
    left = n - sum(counts.values())
    for code, _value in sorted(exact, key=lambda cv: cv[1] - int(cv[1]), reverse=True)[:left]:
        counts[code] += 1
    return [(code, counts[code]) for code, _share in shares]


def month_rows(options: Options, plans: list[AgencyPlan], period: str, index: int) -> Iterator[tuple]:
    """(agency plan, payslip id, employee index, channel) for every payslip of ``period``, the
    ``index``-th month of the run. Employees slide through the pool as people leave and start."""
    rng = random.Random(f"lonservice-volume-{options.seed}-{period}")
    total = month_total(options, period)
    offset = int(options.employee_count * TURNOVER * index / 12)
    prefix = period[2:4] + period[5:7]
    for plan in plans:
        n = max(1, round(total * plan.share))
        channels = [code for code, count in channel_counts(n, plan.shares) for _i in range(count)]
        rng.shuffle(channels)
        for k, channel in enumerate(channels):
            yield plan, f"{prefix}{k:06d}", offset + plan.first + k % plan.size, channel


def pool_size(options: Options) -> int:
    return options.employee_count + int(options.employee_count * TURNOVER * len(options.periods) / 12) + 1
