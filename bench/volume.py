"""Years of the service centre at the seeds' scale, written fast with PostgreSQL ``COPY``.

Seed 000 (2012): 600,000 payslips a year (about 50,000 a month), 70 % machine-processed
(Lisa Självservice, Lisa Tid), the rest manual, Agresso and a few urgent Girovision payouts;
about 2,300 pension cases a year, 1,950 of them old-age pensions; 33 agencies in two payroll
units; FTE per month (53.95 payroll administrators, 4.5 pension handlers, managers).

Each month is written as the product's monthly import would leave it: one ``PayslipImport``
(done) and its completed, imported payroll cases. Every month but the last is then closed by
the product's own monthly close (invoices, frozen price lists, volume aggregates), so the last
month is the open one a benchmark can import into and close.

Deterministic for a seed. Idempotent: a month already generated, people, FTE rows, pension
cases, price lists and closed months are left alone; ``reset()`` empties what it fills.
"""

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from core.periods import next_period, period_end, period_start
from payroll import partitions

from .copy import copy_layout, copy_lines, skip_foreign_key_triggers
from .plan import (
    CHANNEL_SHARES,
    FILE_PREFIX,
    FTE,
    PENSION_CASES_PER_YEAR,
    PENSION_KINDS,
    PENSION_UNIT,
    PROTECTED_PER_MILLE,
    UNITS,
    AgencyPlan,
    Options,
    agency_plans,
    month_rows,
    person_name,
    personnummer_pool,
    pool_size,
)


@dataclass
class Report:
    """What a run wrote and how long each step took."""

    steps: list[tuple[str, float, str]] = field(default_factory=list)

    def step(self, name: str, started: float, note: str = "") -> None:
        self.steps.append((name, time.perf_counter() - started, note))

    @property
    def total_seconds(self) -> float:
        return sum(seconds for _n, seconds, _note in self.steps)


Say = Callable[[str], None]


# --- writing ---------------------------------------------------------------------------------------------


def organisation(options: Options) -> list:
    """The two payroll units and ``options.agencies`` agencies (the 33 of 2012 first)."""
    from customers.models import Agency
    from demo.customers import AGENCIES
    from demo.users import upsert
    from organisation.models import Unit

    units = {code: upsert(Unit, lookup={"code": code}, values={"name": name}) for code, name in UNITS}
    specs = [(code, name, kind, unit) for code, name, kind, unit, *_rest in AGENCIES]
    for n in range(len(specs), options.agencies):
        specs.append((f"F{n + 1:02d}", f"Förvaltning {n + 1}", "specialist", UNITS[n % 2][0]))
    agencies = []
    for code, name, kind, unit_code in specs[: options.agencies]:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            agency = Agency.objects.create(
                code=code,
                name=name,
                kind=kind,
                unit=units[unit_code],
                functional_mailbox=f"lon.{code.lower()}@example.se",
                billing_reference=f"REF-{code}",
                address=f"{name}\nBox 1000\n100 00 Stockholm",
            )
        agencies.append(agency)
    return agencies


def price_lists(options: Options) -> int:
    """A price list for every year of the run: 2012's prices (seed 000) indexed 2 % a year."""
    from demo.pricing import LIST_2012
    from pricing.models import PriceList
    from pricing.services import ItemSpec, create_price_list

    made = 0
    for year in sorted({int(p[:4]) for p in options.periods}):
        if PriceList.objects.filter(year=year).exists():
            continue
        factor = Decimal("1.02") ** (year - 2012)
        items = [
            ItemSpec(
                item_code=code,
                name=name,
                unit=unit,
                price=(Decimal(price) * factor).quantize(Decimal("1")),
                base_item_code=base,
                note="",
            )
            for code, name, unit, price, base, _note in LIST_2012
        ]
        create_price_list(year=year, items=items, note=f"Generated for benchmarks: 2012's prices × 1.02^{year - 2012}")
        made += 1
    return made


def people(numbers: list[str], *, protected_every: int) -> dict[str, int]:
    """Upsert people by personal identity number (existing ones are kept); returns their ids."""
    from people.models import Person

    table = Person._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # Dropped by hand: inside an outer transaction (tests) ON COMMIT would come too late.
        cursor.execute("DROP TABLE IF EXISTS volume_people")
        cursor.execute(
            "CREATE TEMPORARY TABLE volume_people (personnummer varchar(13), name varchar(150), "
            "protected_identity boolean)"
        )
        copy_lines(
            "volume_people",
            ["personnummer", "name", "protected_identity"],
            (
                f"{number}\t{person_name(i)}\t{'t' if protected_every and i % protected_every == 7 else 'f'}\n"
                for i, number in enumerate(numbers)
            ),
        )
        columns, tail = copy_layout(Person, ["personnummer", "name", "protected_identity"])
        extra = columns[3:]
        defaults = tail.split("\t") if tail else []
        select_extra = "".join(f", %s AS {connection.ops.quote_name(c)}" for c in extra)
        params = [None if v == r"\N" else v for v in defaults]
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
            f"SELECT personnummer, name, protected_identity{select_extra} FROM volume_people "
            "ON CONFLICT (personnummer) DO NOTHING",
            params,
        )
        cursor.execute(f"SELECT p.personnummer, p.id FROM {table} p JOIN volume_people v USING (personnummer)")
        ids = dict(cursor.fetchall())
        cursor.execute("DROP TABLE volume_people")
        return ids


def payroll_month(options: Options, plans: list[AgencyPlan], period: str, index: int, person_ids: list[int]) -> int:
    """One month's payslips as the monthly import leaves them: a done PayslipImport and its completed cases."""
    from payroll.models import PayrollCase, PayslipImport

    file_name = f"{FILE_PREFIX}{period}.csv"
    if PayslipImport.objects.filter(file_name=file_name, status="done").exists():
        return 0
    imported_at = timezone.make_aware(dt.datetime.combine(period_start(next_period(period)), dt.time(6, 30)))
    counts: dict[tuple[str, str], int] = {}
    names = {plan.code: plan.name for plan in plans}
    with transaction.atomic():
        skip_foreign_key_triggers()
        job = PayslipImport.objects.create(
            file_name=file_name,
            sha256=hashlib.sha256(f"{FILE_PREFIX}{options.seed}:{period}".encode()).hexdigest(),
            origin=PayslipImport.Origin.COMMAND,
            status=PayslipImport.Status.RUNNING,
        )
        explicit = [
            "agency_id",
            "period",
            "payslip_id",
            "person_id",
            "channel",
            "source",
            "status",
            "billing_period",
            "created_at",
            "import_batch_id",
        ]
        columns, tail = copy_layout(PayrollCase, explicit)
        fixed = f"import\tcompleted\t{period}\t{imported_at.isoformat()}\t{job.pk}" + (f"\t{tail}\n" if tail else "\n")

        def lines():
            for plan, payslip_id, person, channel in month_rows(options, plans, period, index):
                key = (plan.code, channel)
                counts[key] = counts.get(key, 0) + 1
                yield f"{plan.id}\t{period}\t{payslip_id}\t{person_ids[person]}\t{channel}\t{fixed}"

        written = copy_lines(PayrollCase._meta.db_table, columns, lines())
        order = [code for code, _share in CHANNEL_SHARES]
        summary = [
            {"agency": agency, "agency_name": names[agency], "channel": channel, "rows": n}
            for (agency, channel), n in sorted(counts.items(), key=lambda kv: (kv[0][0], order.index(kv[0][1])))
        ]
        PayslipImport.objects.filter(pk=job.pk).update(
            status=PayslipImport.Status.DONE,
            rows_read=written,
            rows_imported=written,
            progress=100,
            summary=summary,
            created_at=imported_at,
            started_at=imported_at,
            finished_at=imported_at,
        )
    return written


def monthly_fte(options: Options) -> int:
    """FTE per unit and staff category every month: summer lower, a little noise."""
    from organisation.models import Unit
    from staffing.models import MonthlyFte

    units = {u.code: u for u in Unit.objects.filter(code__in=[code for code, _name in UNITS])}
    rows = []
    for period in options.periods:
        rng = random.Random(f"lonservice-volume-fte-{options.seed}-{period}")
        summer = Decimal("0.88") if period.endswith(("-07", "-08")) else Decimal("1")
        for (unit_code, category), fte in FTE.items():
            noise = Decimal(str(round(rng.uniform(-0.04, 0.04), 3)))
            value = (fte * summer * (1 + noise)).quantize(Decimal("0.01"))
            rows.append(MonthlyFte(period=period, unit=units[unit_code], category=category, fte=value))
    before = MonthlyFte.objects.count()
    MonthlyFte.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return MonthlyFte.objects.count() - before


def pension_staff():
    from organisation.models import StaffMember, Team, Unit

    unit = Unit.objects.get(code=PENSION_UNIT)
    team, _created = Team.objects.get_or_create(unit=unit, name="Pensionsteam")
    staff = []
    for n in range(1, 6):
        member = StaffMember.objects.filter(unit=unit, name=f"Pensionshandläggare {n}").first()
        if member is None:
            member = StaffMember.objects.create(
                unit=unit, team=team, name=f"Pensionshandläggare {n}", category=StaffMember.Category.PENSION_HANDLER
            )
        staff.append(member)
    return unit, staff


def pension_cases(options: Options, agencies: list) -> int:
    """``pension_cases_per_year`` cases a year (1,950 of 2,300 old-age): decided and paid or closed,
    the last weeks' still open. Numbered in the product's series (PE-YYYY-NNNNN)."""
    from pensions.models import CaseNumberSeries, PensionCase

    unit, staff = pension_staff()
    periods = options.periods
    last_day = period_end(periods[-1])
    years = sorted({int(p[:4]) for p in periods})
    per_year = options.pension_cases_per_year
    kinds = [(kind, round(per_year * n / PENSION_CASES_PER_YEAR)) for kind, n in PENSION_KINDS]
    per_year = sum(count for _kind, count in kinds)
    numbers = personnummer_pool(
        seed=options.seed, count=per_year * len(years), born_from=dt.date(1940, 1, 1), born_to=dt.date(1962, 12, 31)
    )
    person_ids = people(numbers, protected_every=0)
    existing = set(PensionCase.objects.filter(number__startswith="PE-").values_list("number", flat=True))
    rows, made = [], 0
    first_day = period_start(periods[0])
    weights = [a.share for a in agency_plans(agencies, seed=options.seed, employees=1000)]
    for y, year in enumerate(years):
        rng = random.Random(f"lonservice-volume-pensions-{options.seed}-{year}")
        n = 0
        for kind, count in kinds:
            for _i in range(count):
                n += 1
                number = f"PE-{year}-{n:05d}"
                # Every draw is made for every case, so that skipping existing ones keeps the sequence.
                received = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                agency = rng.choices(agencies, weights=weights)[0]
                decided = received + dt.timedelta(days=rng.randrange(5, 40))
                open_status = rng.choice(["received", "investigating", "waiting"])
                rejected = rng.random() < 0.04
                if received < first_day or received > last_day or number in existing:
                    continue
                case = PensionCase(
                    number=number,
                    kind=kind,
                    agency=agency,
                    person_id=person_ids[numbers[y * per_year + n - 1]],
                    unit=unit,
                    handler=staff[n % len(staff)],
                    received_on=received,
                    due_on=received + dt.timedelta(days=30),
                )
                if decided > last_day:
                    case.status = open_status
                    case.waiting_for = "person" if case.status == "waiting" else ""
                else:
                    case.decided_on = decided
                    case.billing_period = f"{decided:%Y-%m}"
                    case.decision = "rejected" if rejected else "granted"
                    if case.decision == "granted":
                        case.benefit_start = decided.replace(day=1) + dt.timedelta(days=31)
                    if case.decision == "granted" and kind in ("old_age", "survivor"):
                        case.status, case.paid_on = "paid", min(decided + dt.timedelta(days=20), last_day)
                    else:
                        case.status, case.closed_on = "closed", min(decided + dt.timedelta(days=5), last_day)
                rows.append(case)
        last = CaseNumberSeries.objects.filter(year=year).first()
        if last is None:
            CaseNumberSeries.objects.create(year=year, last_number=n)
        elif last.last_number < n:
            CaseNumberSeries.objects.filter(pk=last.pk).update(last_number=n)
    with transaction.atomic():
        PensionCase.objects.bulk_create(rows, batch_size=2000)
        made = len(rows)
    return made


def close_months(periods: list[str], say: Say) -> int:
    """Close every month given, oldest first, with the product's monthly close (skips closed ones)."""
    from core.models import ClosedPeriod
    from invoicing.services.close import close_month

    closed = set(ClosedPeriod.objects.filter(period__in=periods).values_list("period", flat=True))
    done = 0
    for period in periods:
        if period in closed:
            continue
        started = time.perf_counter()
        invoices = close_month(period=period)
        done += 1
        say(f"  closed {period}: {len(invoices)} invoices in {time.perf_counter() - started:.1f} s")
    return done


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def generate(options: Options, say: Say = print) -> Report:
    """Fill the database for ``options``; returns the steps and their times."""
    if connection.vendor != "postgresql":
        raise RuntimeError("generate_volume writes with PostgreSQL COPY: set DATABASE_URL=postgres://...")
    report = Report()
    periods = options.periods

    started = time.perf_counter()
    agencies = organisation(options)
    lists = price_lists(options)
    report.step("organisation and price lists", started, f"{len(agencies)} agencies, {lists} new price lists")

    started = time.perf_counter()
    numbers = personnummer_pool(
        seed=options.seed,
        count=pool_size(options),
        born_from=dt.date(1952, 1, 1),
        born_to=dt.date(2005, 12, 31),
    )
    ids = people(numbers, protected_every=1000 // PROTECTED_PER_MILLE)
    person_ids = [ids[number] for number in numbers]
    report.step("employees", started, f"{len(numbers):,} people")

    started = time.perf_counter()
    made = partitions.ensure_partitions(periods)
    report.step("case partitions", started, f"{len(made)} new monthly partitions")

    started = time.perf_counter()
    plans = agency_plans(agencies, seed=options.seed, employees=options.employee_count)
    written = 0
    for index, period in enumerate(periods):
        month_started = time.perf_counter()
        n = payroll_month(options, plans, period, index, person_ids)
        written += n
        if n:
            say(f"  {period}: {n:,} payroll cases in {time.perf_counter() - month_started:.1f} s")
    report.step("payroll cases (COPY)", started, f"{written:,} new cases")

    started = time.perf_counter()
    fte = monthly_fte(options)
    pensions = pension_cases(options, agencies)
    report.step("FTE and pension cases", started, f"{fte} FTE rows, {pensions:,} pension cases")

    started = time.perf_counter()
    analyze()
    report.step("ANALYZE", started)

    if options.close:
        started = time.perf_counter()
        closed = close_months(periods[:-1], say)
        report.step("monthly close of every month but the last", started, f"{closed} months closed")
    return report
