"""The benchmarks of ``make bench``: the product's figure, the floor the same machine sets
(raw PostgreSQL or a minimal WeasyPrint page) measured in the same run, and their ratio.

| work | product | baseline |
| import one month (50,000 rows) | ``manage.py import_payslips`` end to end | COPY of the same file into a bare table |
| unit dashboard, 5 years | p50/p95 of the page (test client, warm) | the raw GROUP BY giving the same numbers |
| payroll case list | p50/p95 of page 1 and deep pages | the raw SQL of the same page |
| monthly close with all PDFs | ``manage.py close_month`` + the month's PDF zip | minimal WeasyPrint page × invoices |
| one invoice PDF | the PDF view | minimal WeasyPrint page |
| import memory | peak RSS of the import process, 50,000 and 500,000 rows | — (must stay flat) |

Everything the benchmarks write is undone: imports are deleted again, the close runs inside a
transaction that is rolled back. Only the three ``bench-*`` users stay.
"""

import csv
import io
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from core.periods import next_period

from . import harness, volume
from .harness import Figure, Line, Results, once, percentile, timings

BASE_DIR = Path(settings.BASE_DIR)
PARTS = ("import", "memory", "dashboard", "list", "close", "pdf", "queries")
BENCH_FILE_PREFIX = "bench-import-"
PER_PAGE = 50
MINIMAL_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><style>@page{size:A4;margin:2cm}"
    "body{font-family:sans-serif}</style></head><body><h1>Faktura</h1>"
    "<p>Serviceförvaltningen, Lön och pension</p><p>Summa 1 234,00 kr</p></body></html>"
)


@dataclass
class Config:
    repeat: int = 20
    pdf_repeat: int = 10
    import_rows: int = 50_000
    memory_rows: tuple[int, ...] = (50_000, 500_000)
    parts: tuple[str, ...] = PARTS
    small_database: str | None = None  # name of the database for the small-data query counts
    small_payslips_per_year: int = 24_000
    explain: bool = True
    data_dir: Path = field(default_factory=lambda: BASE_DIR / "bench" / "data")


class BenchError(Exception):
    pass


def database_url(name: str | None = None) -> str:
    """DATABASE_URL of the connection in use (or of another database on the same server)."""
    s = connection.settings_dict
    user = quote(s.get("USER") or "", safe="")
    password = quote(s.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = s.get("HOST") or "127.0.0.1"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{name or s['NAME']}"


def manage(*args: str, database: str | None = None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run ``manage.py`` in a child process: (wall seconds, peak RSS in kB, the finished process)."""
    env = os.environ | {"DATABASE_URL": database_url(database)}
    env.pop("TEST_DATABASE_NAME", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = harness.time.perf_counter()
        proc = subprocess.Popen([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, stdout=out, stderr=err)
        # wait4 gives this child's own peak RSS (getrusage(RUSAGE_CHILDREN) is the maximum over all children).
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = harness.time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out.read().decode(), err.read().decode())
    return seconds, usage.ru_maxrss, done


class Bench:
    def __init__(self, config: Config, say: Callable[[str], None] = print):
        self.config = config
        self.say = say
        self.results = Results()
        self.query_counts: dict[str, int] = {}
        self.slowest: dict[str, tuple[float, str]] = {}

    # --- the data and the users -------------------------------------------------------------------------

    def prepare(self) -> None:
        from core.models import ClosedPeriod
        from payroll.models import PayrollCase, PayslipImport

        if connection.vendor != "postgresql":
            raise BenchError("The benchmarks need PostgreSQL: set DATABASE_URL=postgres://...")
        self.cleanup_imports()
        generated = PayslipImport.objects.filter(file_name__startswith=volume.FILE_PREFIX, status="done")
        last = generated.order_by("-file_name").values_list("file_name", flat=True).first()
        if last is None:
            raise BenchError("No generated data: run `manage.py generate_volume` first (make bench does).")
        self.open_period = last.removeprefix(volume.FILE_PREFIX).removesuffix(".csv")
        self.closed_period = ClosedPeriod.objects.order_by("-period").values_list("period", flat=True).first()
        if ClosedPeriod.objects.filter(period=self.open_period).exists():
            raise BenchError(f"{self.open_period} is closed: generate again (generate_volume --reset) to reopen it.")
        self.results.data = volume.counts() | {
            "periods": f"{PayrollCase.objects.order_by('period').values_list('period', flat=True).first()}"
            f"…{self.open_period}",
        }
        self.users = self.bench_users()

    def bench_users(self) -> dict[str, object]:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from accounts import roles
        from organisation.models import StaffMember, Unit

        unit = Unit.objects.get(code="lon1")
        users = {}
        for role, username, category in [
            (roles.UNIT_MANAGER, "bench-enhetschef", StaffMember.Category.MANAGER),
            (roles.CASE_HANDLER, "bench-handlaggare", StaffMember.Category.PAYROLL_ADMIN),
            (roles.FINANCE, "bench-ekonomi", None),
        ]:
            user, _created = get_user_model().objects.get_or_create(
                username=username, defaults={"first_name": "Bench", "last_name": role}
            )
            user.groups.set([Group.objects.get(name=roles.GROUP_NAMES[role])])
            if category and not StaffMember.objects.filter(user=user).exists():
                StaffMember.objects.create(user=user, name=f"Bench {role}", unit=unit, category=category)
            users[role] = user
        self.unit = unit
        return users

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role], backend="django.contrib.auth.backends.ModelBackend")
        return client

    # --- helpers ------------------------------------------------------------------------------------------

    def fetch(self, client: Client, url: str) -> bytes:
        response = client.get(url)
        if response.status_code != 200:
            raise BenchError(f"GET {url} answered {response.status_code}")
        if response.streaming:
            return b"".join(response.streaming_content)
        return response.content

    def count_queries(self, label: str, client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            self.fetch(client, url)
        self.query_counts[label] = len(ctx.captured_queries)
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default=None)
        if slowest:
            self.slowest[label] = (float(slowest["time"]), slowest["sql"])
        return len(ctx.captured_queries)

    def page_timings(self, client: Client, url: str) -> list[float]:
        return timings(lambda: self.fetch(client, url), repeat=self.config.repeat, warmup=2)

    def sql_timings(self, sql: str, params) -> tuple[list[float], list]:
        rows = []

        def run():
            nonlocal rows
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()

        return timings(run, repeat=self.config.repeat, warmup=2), rows

    def explain(self, title: str, sql: str) -> None:
        if not self.config.explain or not sql.lstrip().upper().startswith("SELECT"):
            return
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.results.plans.append((title, f"{sql}\n\n{plan}"))

    # --- import and memory ---------------------------------------------------------------------------------

    def write_csv(self, path: Path, *, rows: int) -> list[str]:
        """A payslip file as the payroll system sends it: ``rows`` rows, 50,000 a month from the
        month after the generated ones, every agency, the seeds' channel mix, 1 % new employees."""
        from customers.models import Agency

        agencies = list(Agency.objects.order_by("code"))
        plans = volume.agency_plans(agencies, seed=1, employees=1000)
        with connection.cursor() as cursor:
            cursor.execute("SELECT personnummer FROM people_person ORDER BY id LIMIT %s", [self.config.import_rows])
            known = [row[0] for row in cursor.fetchall()]
        new = volume.personnummer_pool(
            seed="bench-new", count=max(1, rows // 100), born_from=volume.dt.date(2006, 1, 1),
            born_to=volume.dt.date(2007, 12, 31),
        )  # fmt: skip
        rng = random.Random(f"bench-{rows}")
        per_month = min(rows, self.config.import_rows)
        periods, period, left = [], next_period(self.open_period), rows
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, delimiter=";", lineterminator="\n")
            writer.writerow(["period", "agency_code", "payslip_id", "personnummer", "channel"])
            while left > 0:
                n = min(per_month, left)
                periods.append(period)
                sizes = [math.floor(n * p.share) for p in plans]
                sizes[0] += n - sum(sizes)
                k = 0
                for plan, size in zip(plans, sizes, strict=True):
                    channels = [c for c, count in volume.channel_counts(size, plan.shares) for _i in range(count)]
                    rng.shuffle(channels)
                    for i, channel in enumerate(channels):
                        person = new[k % len(new)] if k % 100 == 99 else known[k % len(known)]
                        writer.writerow([period, plan.code, f"B{period[2:4]}{period[5:]}{i:06d}", person, channel])
                        k += 1
                left -= n
                period = next_period(period)
        return periods

    def cleanup_imports(self) -> None:
        """Delete what the benchmark imports wrote (and people only they brought in)."""
        from payroll.models import PayrollCase, PayslipImport

        jobs = list(PayslipImport.objects.filter(file_name__startswith=BENCH_FILE_PREFIX).values_list("id", flat=True))
        if not jobs:
            return
        cases = PayrollCase._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_people")
            cursor.execute(
                f"CREATE TEMPORARY TABLE bench_people AS SELECT DISTINCT person_id AS id FROM {cases} "
                "WHERE import_batch_id = ANY(%s)",
                [jobs],
            )
            cursor.execute(f"DELETE FROM {cases} WHERE import_batch_id = ANY(%s)", [jobs])
            cursor.execute(f"DELETE FROM {PayslipImport._meta.db_table} WHERE id = ANY(%s)", [jobs])
            # People first seen in a benchmark file (born 2006–2007, no other rows) go too.
            cursor.execute(
                f"DELETE FROM people_person p USING bench_people b WHERE p.id = b.id "
                f"AND p.personnummer >= '2006' AND p.personnummer < '2008' "
                f"AND NOT EXISTS (SELECT 1 FROM {cases} c WHERE c.person_id = p.id)"
            )
            cursor.execute("DROP TABLE bench_people")

    def run_import(self, rows: int) -> dict:
        from payroll.models import PayslipImport

        path = self.config.data_dir / f"{BENCH_FILE_PREFIX}{rows}.csv"
        self.write_csv(path, rows=rows)
        seconds, rss_kb, proc = manage("import_payslips", str(path))
        job = PayslipImport.objects.filter(file_name=path.name).order_by("-id").first()
        try:
            if proc.returncode != 0 or job is None or job.status != "done":
                raise BenchError(f"import_payslips of {rows} rows failed: {proc.stderr[-2000:]}")
            internal = (job.finished_at - job.started_at).total_seconds()
            return {"path": path, "seconds": seconds, "rss_mb": rss_kb / 1024, "internal": internal, "rows": rows}
        finally:
            self.cleanup_imports()

    def copy_baseline(self, path: Path) -> float:
        """COPY of the same file into a bare table of the same columns, committed."""
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_copy_baseline")
            cursor.execute(
                "CREATE TABLE bench_copy_baseline (period varchar(7), agency_code varchar(20), "
                "payslip_id varchar(40), personnummer varchar(13), channel varchar(20))"
            )
        try:

            def copy():
                with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as f:
                    sql = "COPY bench_copy_baseline FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
                    with cursor.copy(sql) as copy:
                        for chunk in iter(lambda: f.read(1 << 20), b""):
                            copy.write(chunk)

            seconds, _none = once(copy)
            return seconds
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS bench_copy_baseline")

    def raw_sql_import(self, path: Path) -> float:
        """The same file written by SQL alone into the product's tables (COPY into a temporary
        table, people upserted, one INSERT … SELECT into the indexed, constrained case table),
        committed, then deleted again: the floor for the import with the product's schema."""
        from payroll.models import PayrollCase
        from people.models import Person

        explicit = ["agency_id", "period", "payslip_id", "person_id", "channel", "source", "status", "billing_period"]
        columns, tail = volume.copy_layout(PayrollCase, explicit)
        defaults = [None if v == r"\N" else v for v in (tail.split("\t") if tail else [])]
        cases, people = PayrollCase._meta.db_table, Person._meta.db_table
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        extra = "".join(", %s" for _v in defaults)

        def write():
            with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as f:
                cursor.execute("DROP TABLE IF EXISTS bench_raw")
                cursor.execute(
                    "CREATE TEMPORARY TABLE bench_raw (period varchar(7), agency_code varchar(20), "
                    "payslip_id varchar(40), personnummer varchar(13), channel varchar(20))"
                )
                with cursor.copy("COPY bench_raw FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)") as copy:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        copy.write(chunk)
                cursor.execute(
                    f"INSERT INTO {people} (personnummer, name, protected_identity) "
                    "SELECT DISTINCT personnummer, '', false FROM bench_raw ON CONFLICT (personnummer) DO NOTHING"
                )
                cursor.execute(
                    f"INSERT INTO {cases} ({quoted}) SELECT a.id, r.period, r.payslip_id, p.id, r.channel, "
                    f"'import', 'completed', r.period{extra} FROM bench_raw r "
                    "JOIN customers_agency a ON a.code = r.agency_code "
                    f"JOIN {people} p ON p.personnummer = r.personnummer",
                    defaults,
                )
                cursor.execute("DROP TABLE bench_raw")

        try:
            seconds, _none = once(write)
        finally:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {cases} WHERE import_batch_id IS NULL AND period > %s AND payslip_id LIKE 'B%%'",
                    [self.open_period],
                )
                cursor.execute(
                    f"DELETE FROM {people} p WHERE p.personnummer >= '2006' AND p.personnummer < '2008' "
                    f"AND NOT EXISTS (SELECT 1 FROM {cases} c WHERE c.person_id = p.id)"
                )
        return seconds

    def vacuum(self) -> None:
        """The imports' deleted rows would slow the pages' index scans until autovacuum comes by."""
        from payroll.models import PayrollCase
        from people.models import Person

        def vacuum():
            with connection.cursor() as cursor:
                for model in (PayrollCase, Person):
                    cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")

        seconds, _none = once(vacuum)
        self.results.notes.append(
            f"After the imports: VACUUM (ANALYZE) of the case and people tables, {seconds:.1f} s."
        )

    def part_import(self) -> dict:
        self.say(f"Import: {self.config.import_rows:,} rows into {next_period(self.open_period)} …")
        result = self.run_import(self.config.import_rows)
        baseline = sorted(self.copy_baseline(result["path"]) for _i in range(3))[1]
        floor = self.raw_sql_import(result["path"])
        ratio = result["seconds"] / baseline
        self.results.add(
            Line(
                f"import one month, {self.config.import_rows:,} rows CSV",
                Figure(result["seconds"]),
                Figure(baseline),
                target="≤ 3 × COPY",
                met=ratio <= 3,
                note=f"inside the import job {result['internal']:.2f} s; the rest is starting Django",
            ),
            self.say,
        )
        self.results.add(
            Line(
                f"import one month, {self.config.import_rows:,} rows, against raw SQL into the same tables",
                Figure(result["seconds"]),
                Figure(floor),
                note="baseline: COPY to a temporary table + people upsert + one INSERT … SELECT into the case "
                "table with its indexes and constraints, committed",
            ),
            self.say,
        )
        return result

    def part_memory(self, first: dict | None) -> None:
        figures = {}
        for rows in self.config.memory_rows:
            if first and rows == first["rows"]:
                figures[rows] = first
                continue
            self.say(f"Import memory: {rows:,} rows …")
            figures[rows] = self.run_import(rows)
        _seconds, rest_kb, _proc = manage("check")
        small, large = min(figures), max(figures)
        growth = figures[large]["rss_mb"] / figures[small]["rss_mb"]
        for rows in sorted(figures):
            self.results.add(
                Line(
                    f"import memory, {rows:,} rows",
                    Figure(figures[rows]["rss_mb"], unit="MB"),
                    None,
                    target="flat",
                    met=growth <= 1.25 if rows == large else None,
                    note=f"import took {figures[rows]['seconds']:.1f} s"
                    + (f"; {growth:.2f} × the {small:,}-row import" if rows == large else "")
                    + (
                        f"; a Django process at rest (`manage.py check`) {rest_kb / 1024:.0f} MB"
                        if rows == small
                        else ""
                    ),
                ),
                self.say,
            )

    # --- pages -----------------------------------------------------------------------------------------------

    def part_dashboard(self) -> None:
        from payroll import selectors
        from reporting.dashboards import thirteen_months

        client = self.client("unit_manager")
        url = reverse("reporting:unit_dashboard")
        open_label = f"unit dashboard, open month {self.open_period} (live counts)"
        for label, period, query in [
            (f"unit dashboard, latest closed month {self.closed_period}", self.closed_period, ""),
            (open_label, self.open_period, f"?period={self.open_period}"),
        ]:
            if period is None:
                continue
            self.say(f"{label} …")
            self.count_queries(label, client, url + query)
            product = self.page_timings(client, url + query)
            months = thirteen_months(period)
            sql = (
                "SELECT c.period, c.channel, COUNT(*) FROM payroll_payrollcase c "
                "JOIN customers_agency a ON a.id = c.agency_id "
                "WHERE a.unit_id = %s AND c.status = 'completed' AND c.period = ANY(%s) GROUP BY c.period, c.channel"
            )
            raw, rows = self.sql_timings(sql, [self.unit.pk, months])
            page_numbers = {
                (r["period"], r["channel"]): r["payslips"]
                for r in selectors.volume_rows(periods=months, unit_ids=[self.unit.pk], group_by=("period", "channel"))
            }
            same = page_numbers == {(p, c): n for p, c, n in rows}
            p95 = percentile(product, 95)
            raw95 = percentile(raw, 95)
            self.results.add(
                Line(
                    label,
                    Figure(percentile(product, 50), p95=p95),
                    Figure(percentile(raw, 50), p95=raw95),
                    target="p95 ≤ 150 ms and ≤ 3 × SQL",
                    met=p95 <= 0.150 and p95 <= 3 * raw95,
                    note=f"{self.query_counts[label]} queries; the page's 13 months of volumes "
                    + ("equal the raw GROUP BY" if same else "DIFFER from the raw GROUP BY"),
                ),
                self.say,
            )
            if p95 > 0.150 or p95 > 3 * raw95:
                self.explain_slowest(label)

    def list_pages(self) -> list[tuple[str, str, str, list]]:
        """(label, query string, raw SQL, params) of the case-list pages measured."""
        from payroll.models import PayrollCase

        month = self.closed_period or self.open_period
        by_agency = (
            PayrollCase.objects.filter(period=month, agency__unit=self.unit)
            .values_list("agency_id", "agency__code")
            .annotate(n=volume.models.Count("id"))
            .order_by("-n")
            .first()
        )
        if by_agency is None:
            raise BenchError(f"No payroll cases of {self.unit.code} in {month}")
        agency_id, code, in_month = by_agency
        in_total = PayrollCase.objects.filter(agency_id=agency_id).count()
        in_unit_month = PayrollCase.objects.filter(period=month, agency__unit=self.unit).count()
        last_month_page = max(1, math.ceil(in_month / PER_PAGE))
        deep_agency = min(500, max(1, math.ceil(in_total / PER_PAGE)))
        deep_period = min(500, max(1, math.ceil(in_unit_month / PER_PAGE)))
        select = (
            "SELECT c.id, c.period, c.payslip_id, c.channel, c.status, c.received_on, c.is_late, a.code, "
            "p.personnummer, p.name, p.protected_identity FROM payroll_payrollcase c "
            "JOIN customers_agency a ON a.id = c.agency_id JOIN people_person p ON p.id = c.person_id "
        )
        order = f" ORDER BY c.id DESC LIMIT {PER_PAGE} OFFSET %s"
        by_agency_period = select + "WHERE c.agency_id = %s AND c.period = %s" + order
        by_agency_only = select + "WHERE c.agency_id = %s" + order
        by_period = select + "WHERE a.unit_id = %s AND c.period = %s" + order

        def offset(page):
            return (page - 1) * PER_PAGE

        return [
            (f"case list, agency {code} + period {month}, page 1", f"?agency={agency_id}&period={month}&page=1",
             by_agency_period, [agency_id, month, 0]),
            (f"case list, agency {code} + period {month}, last page ({last_month_page})",
             f"?agency={agency_id}&period={month}&page={last_month_page}", by_agency_period,
             [agency_id, month, offset(last_month_page)]),
            (f"case list, agency {code} (5 years), page 1", f"?agency={agency_id}&page=1", by_agency_only,
             [agency_id, 0]),
            (f"case list, agency {code} (5 years), page {deep_agency}", f"?agency={agency_id}&page={deep_agency}",
             by_agency_only, [agency_id, offset(deep_agency)]),
            (f"case list, period {month} (unit {self.unit.code}), page {deep_period}",
             f"?period={month}&page={deep_period}", by_period, [self.unit.pk, month, offset(deep_period)]),
        ]  # fmt: skip

    def part_list(self) -> None:
        client = self.client("case_handler")
        url = reverse("payroll:case_list")
        for label, query, sql, params in self.list_pages():
            self.say(f"{label} …")
            self.count_queries(label, client, url + query)
            product = self.page_timings(client, url + query)
            raw, rows = self.sql_timings(sql, params)
            note = f"{self.query_counts[label]} queries"
            if params[-1] and rows:
                # The same page by keyset (the ids below the page's first one), for comparison.
                keyset_sql = sql.replace(
                    f" ORDER BY c.id DESC LIMIT {PER_PAGE} OFFSET %s", " AND c.id <= %s ORDER BY c.id DESC"
                )
                keyset, _rows = self.sql_timings(keyset_sql + f" LIMIT {PER_PAGE}", [*params[:-1], rows[0][0]])
                note += f"; the same page by keyset SQL (id < last seen): p95 {harness.ms(percentile(keyset, 95))}"
            p95 = percentile(product, 95)
            self.results.add(
                Line(
                    label,
                    Figure(percentile(product, 50), p95=p95),
                    Figure(percentile(raw, 50), p95=percentile(raw, 95)),
                    target="p95 ≤ 100 ms",
                    met=p95 <= 0.100,
                    note=note,
                ),
                self.say,
            )
            if p95 > 0.100:
                self.explain_slowest(label)

    def explain_slowest(self, label: str) -> None:
        if label in self.slowest:
            seconds, sql = self.slowest[label]
            self.explain(f"{label}: its slowest query ({seconds * 1000:.0f} ms when counted)", sql)

    # --- the close and PDFs ------------------------------------------------------------------------------------

    def minimal_pdf(self) -> bytes:
        from weasyprint import HTML

        return HTML(string=MINIMAL_PAGE).write_pdf()

    def part_close(self) -> None:
        from invoicing.models import Invoice

        period = self.open_period
        self.say(f"Monthly close of {period} with every invoice PDF (rolled back afterwards) …")
        client = self.client("finance")
        with transaction.atomic():
            close_seconds, _none = once(lambda: call_command("close_month", period, stdout=io.StringIO()))
            invoices = Invoice.objects.filter(period=period).count()
            zip_url = reverse("invoicing:invoice_zip", args=[period])
            pdf_seconds, archive = once(lambda: self.fetch(client, zip_url))
            with zipfile.ZipFile(io.BytesIO(archive)) as z:
                pdfs = len([n for n in z.namelist() if n.endswith(".pdf")])
            transaction.set_rollback(True)
        if invoices == 0 or pdfs != invoices:
            raise BenchError(f"The close of {period} issued {invoices} invoices and the zip held {pdfs} PDFs")
        baseline, _none = once(lambda: [self.minimal_pdf() for _i in range(invoices)])
        total = close_seconds + pdf_seconds
        self.results.add(
            Line(
                f"monthly close, {invoices} agencies, with all PDFs",
                Figure(total),
                Figure(baseline),
                target="≤ 20 s",
                met=total <= 20,
                note=f"close_month {close_seconds:.1f} s + {pdfs} PDFs in the month's zip {pdf_seconds:.1f} s; "
                f"baseline: minimal WeasyPrint page × {invoices}",
            ),
            self.say,
        )

    def part_pdf(self) -> None:
        from invoicing.models import Invoice

        invoice = Invoice.objects.filter(period=self.closed_period, kind="invoice").order_by("agency_code").first()
        if invoice is None:
            raise BenchError(f"No invoice of {self.closed_period} to render")
        self.say(f"Invoice PDF {invoice.number} …")
        client = self.client("finance")
        url = reverse("invoicing:invoice_pdf", args=[invoice.pk])
        label = "one invoice PDF"
        self.count_queries(label, client, url)
        product = timings(lambda: self.fetch(client, url), repeat=self.config.pdf_repeat, warmup=1)
        baseline = timings(self.minimal_pdf, repeat=self.config.pdf_repeat, warmup=1)
        p50, base50 = percentile(product, 50), percentile(baseline, 50)
        self.results.add(
            Line(
                label,
                Figure(p50),
                Figure(base50),
                target="≤ 2 × minimal page",
                met=p50 <= 2 * base50,
                note=f"median of {self.config.pdf_repeat}, {invoice.lines.count()} lines; "
                f"{self.query_counts[label]} queries",
            ),
            self.say,
        )

    # --- query counts on small data -------------------------------------------------------------------------

    def query_pages(self) -> dict[str, int]:
        """Query counts of the pages on this database, labelled without the data's sizes."""
        counts = {}
        manager, handler = self.client("unit_manager"), self.client("case_handler")
        dashboard = reverse("reporting:unit_dashboard")
        counts["unit dashboard, latest closed month"] = self.count_queries("q", manager, dashboard)
        counts["unit dashboard, open month"] = self.count_queries(
            "q", manager, f"{dashboard}?period={self.open_period}"
        )
        labels = [
            "case list, agency + period, page 1",
            "case list, agency + period, last page",
            "case list, agency, page 1",
            "case list, agency, deep page",
            "case list, period, deep page",
        ]
        for label, (_full_label, query, _sql, _params) in zip(labels, self.list_pages(), strict=True):
            counts[label] = self.count_queries("q", handler, reverse("payroll:case_list") + query)
        if "pdf" in self.config.parts:
            from invoicing.models import Invoice

            invoice = Invoice.objects.filter(period=self.closed_period, kind="invoice").order_by("agency_code").first()
            if invoice:
                finance = self.client("finance")
                counts["one invoice PDF"] = self.count_queries(
                    "q", finance, reverse("invoicing:invoice_pdf", args=[invoice.pk])
                )
        return counts

    def small_counts(self) -> dict[str, int] | None:
        """The same pages on a small dataset in another database (made and migrated when missing)."""
        from .ensure_db import ensure_database

        name = self.config.small_database
        if not name:
            return None
        self.say(f"Query counts on small data (database {name}) …")
        ensure_database(database_url(name))
        for args in [
            ("migrate", "--noinput"),
            ("generate_volume", "--years", "1", "--payslips-per-year", str(self.config.small_payslips_per_year),
             "--pension-cases-per-year", "230"),
        ]:  # fmt: skip
            _s, _rss, proc = manage(*args, database=name)
            if proc.returncode != 0:
                raise BenchError(f"{args[0]} on {name} failed: {proc.stderr[-2000:]}")
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            _s, _rss, proc = manage("bench", "--queries-only", "--json", out.name, database=name)
            if proc.returncode != 0:
                raise BenchError(f"bench --queries-only on {name} failed: {proc.stderr[-2000:]}")
            return json.loads(Path(out.name).read_text())

    def part_queries(self) -> None:
        full = self.query_pages()
        small = self.small_counts() or {}
        for page, n in full.items():
            self.results.queries.append((page, small.get(page), n))
        grown = [page for page, n in full.items() if page in small and n > small[page]]
        if grown:
            self.results.notes.append("Query counts grow with the data on: " + ", ".join(grown) + ".")
        elif small:
            self.results.notes.append("No page makes more queries on full data than on small data (no N+1).")

    # --- the run ------------------------------------------------------------------------------------------------

    def run(self) -> Results:
        parts = self.config.parts
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
            self.results.machine = harness.machine(connection)
            self.prepare()
            self.say(
                f"Data: {self.results.data}; open month {self.open_period}, latest closed {self.closed_period}. "
                f"Load average {self.results.machine['load']}."
            )
            first = self.part_import() if "import" in parts else None
            if "memory" in parts:
                self.part_memory(first)
            if {"import", "memory"} & set(parts):
                self.vacuum()
            if "dashboard" in parts:
                self.part_dashboard()
            if "list" in parts:
                self.part_list()
            if "close" in parts:
                self.part_close()
            if "pdf" in parts:
                self.part_pdf()
            if "queries" in parts:
                self.part_queries()
            self.results.machine["load_end"] = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        return self.results

    def queries_only(self) -> dict[str, int]:
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
            self.prepare()
            return self.query_pages()
