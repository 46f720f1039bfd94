import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import plan, tables, volume
from core.periods import PERIOD_RE


class Command(BaseCommand):
    help = (
        "Fill PostgreSQL with years of data at the seeds' scale for benchmarks: 600,000 payroll cases "
        "a year (70 %% self-service/Lisa Tid), ~50,000 employees, 2,300 pension cases a year, FTE per "
        "month, price lists, and every month but the last closed. Idempotent; --reset empties first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="cities: multiplies the agencies, payslips, employees and pension cases (10: 330 agencies, "
            "6,000,000 payslips a year, 500,000 employees)",
        )
        parser.add_argument("--agencies", type=int, default=33)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--payslips-per-year", type=int, default=plan.PAYSLIPS_PER_YEAR)
        parser.add_argument("--pension-cases-per-year", type=int, default=plan.PENSION_CASES_PER_YEAR)
        parser.add_argument("--employees", type=int, default=None, help="default: a month's payslips")
        parser.add_argument("--last-period", default=None, help="YYYY-MM; default: the month before this one")
        parser.add_argument("--no-close", action="store_true", help="do not run the monthly close of past months")
        parser.add_argument("--reset", action="store_true", help="empty the generated tables first")
        parser.add_argument("--force", action="store_true", help="allow --reset on a database not named *bench*/*test*")

    def handle(self, *args, **o):
        if connection.vendor != "postgresql":
            raise CommandError("generate_volume needs PostgreSQL: set DATABASE_URL=postgres://...")
        if o["years"] < 1 or o["agencies"] < 1 or o["payslips_per_year"] < 12:
            raise CommandError("--years and --agencies must be at least 1, --payslips-per-year at least 12.")
        if o["last_period"] and not PERIOD_RE.match(o["last_period"]):
            raise CommandError("--last-period is YYYY-MM.")
        if o["scale"] < 1:
            raise CommandError("--scale must be at least 1.")
        scale = o["scale"]
        options = plan.Options(
            years=o["years"],
            agencies=o["agencies"] * scale,
            seed=o["seed"],
            payslips_per_year=o["payslips_per_year"] * scale,
            pension_cases_per_year=o["pension_cases_per_year"] * scale,
            employees=o["employees"] * scale if o["employees"] else None,
            last_period=o["last_period"],
            close=not o["no_close"],
        )
        name = connection.settings_dict["NAME"]
        if o["reset"]:
            if not ("bench" in name or "test" in name or o["force"]):
                raise CommandError(f"Refusing to empty database {name!r}; use a *bench* database or --force.")
            started = time.perf_counter()
            tables.reset()
            self.stdout.write(f"Emptied the generated tables of {name} in {time.perf_counter() - started:.1f} s.")
        periods = options.periods
        self.stdout.write(f"Generating {periods[0]}…{periods[-1]} into {name} (seed {options.seed}).")
        report = volume.generate(options, say=self.stdout.write)
        for step, seconds, note in report.steps:
            self.stdout.write(f"{step:<45} {seconds:8.1f} s  {note}")
        counts = tables.counts()
        shares = tables.channel_shares()
        machine = sum(shares.get(c, 0) for c in plan.MACHINE)
        self.stdout.write(", ".join(f"{k}: {v:,}" for k, v in counts.items()) + f"; machine share {machine:.1%}")
        self.stdout.write(self.style.SUCCESS(f"Done in {report.total_seconds:.1f} s."))
