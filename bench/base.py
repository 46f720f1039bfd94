"""The benchmark run's set-up: its settings, the data and users it works with, and the
measuring helpers every part uses (see bench/runner.py)."""

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from . import plan, tables
from .harness import Results, timings

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
    close_workers: int = 2  # Celery worker processes of the close through the broker
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


# Linux carries the memory image a process replaces at exec into its peak RSS, and a child of
# this process starts as a copy of it: a child started from here would report at least this
# process's own peak (the benchmark's, ~130 MB at 1x and ~200 MB at 10x after writing the files).
# So the child is started by a small launcher that forks it, times it and reports its own figures.
_LAUNCHER = """\
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(argv[0], argv)
_pid, status, usage = os.wait4(pid, 0)
with open(report, "w") as f:
    f.write(f"{time.perf_counter() - started} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def manage(*args: str, database: str | None = None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run ``manage.py`` in a child process: (wall seconds, peak RSS in kB, the finished process).
    Both figures are the ``manage.py`` process's own (``_LAUNCHER``): from its start to its end, and
    its peak resident memory, not this process's."""
    env = os.environ | {"DATABASE_URL": database_url(database)}
    env.pop("TEST_DATABASE_NAME", None)
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".launch") as report,
    ):
        command = [sys.executable, "-I", "-S", "-c", _LAUNCHER, report.name, sys.executable, "manage.py", *args]
        proc = subprocess.run(command, cwd=BASE_DIR, env=env, stdout=out, stderr=err, check=False)
        seconds, rss_kb = report.read().split()
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out.read().decode(), err.read().decode())
    return float(seconds), int(rss_kb), done


class BenchBase:
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
        generated = PayslipImport.objects.filter(file_name__startswith=plan.FILE_PREFIX, status="done")
        last = generated.order_by("-file_name").values_list("file_name", flat=True).first()
        if last is None:
            raise BenchError("No generated data: run `manage.py generate_volume` first (make bench does).")
        self.open_period = last.removeprefix(plan.FILE_PREFIX).removesuffix(".csv")
        self.closed_period = ClosedPeriod.objects.order_by("-period").values_list("period", flat=True).first()
        if ClosedPeriod.objects.filter(period=self.open_period).exists():
            raise BenchError(f"{self.open_period} is closed: generate again (generate_volume --reset) to reopen it.")
        self.results.data = tables.counts() | {
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
