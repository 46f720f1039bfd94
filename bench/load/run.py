"""``make load``: 50 concurrent users for 60 s against gunicorn on PostgreSQL, on localhost only.

Prepares logged-in sessions for four roles and the URLs they request (the work queue, the case
list, the unit and service dashboards, invoice PDFs) in the bench database, starts gunicorn with
production settings (DEBUG off) on 127.0.0.1, runs locust headless for a fixed time and user
count, stops both, and writes the figures (p50, p95, throughput, errors) to bench/results-load.md.

Usage: ``DATABASE_URL=postgres://…/lonservice_bench manage.py bench_load [--users 50]
[--seconds 60] [--workers 4]``. The bench data must exist (``make bench`` generates it).
"""

import argparse
import csv
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PORT = 8765


def _sessions(user, count: int) -> list[str]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for _n in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(3600)
        session.save()
        keys.append(session.session_key)
    return keys


def build_plan() -> dict:
    """The sessions of each role and the pages it requests (name, weight, URLs)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from accounts import roles
    from bench.base import BenchBase
    from core.models import ClosedPeriod
    from customers.models import Agency
    from invoicing.models import Invoice

    users = BenchBase.bench_users(BenchBase.__new__(BenchBase))
    head, _created = get_user_model().objects.get_or_create(
        username="bench-verksamhetschef", defaults={"first_name": "Bench", "last_name": roles.HEAD_OF_SERVICE}
    )
    head.groups.set([Group.objects.get(name=roles.GROUP_NAMES[roles.HEAD_OF_SERVICE])])
    closed = ClosedPeriod.objects.order_by("-period").values_list("period", flat=True).first()
    if closed is None:
        raise SystemExit("No closed month in this database: generate the bench data first (make bench).")
    cases = reverse("payroll:case_list")
    agencies = list(Agency.objects.filter(unit__code="lon1").order_by("code").values_list("pk", flat=True)[:5])
    case_lists = [f"{cases}?period={closed}", f"{cases}?period={closed}&page=20"] + [
        f"{cases}?agency={pk}&period={closed}" for pk in agencies
    ]
    invoice_ids = Invoice.objects.filter(period=closed, kind="invoice").order_by("pk").values_list("pk", flat=True)
    pdfs = [reverse("invoicing:invoice_pdf", args=[pk]) for pk in invoice_ids[:20]]
    queue = [reverse("payroll:queue")]
    unit_dashboard = [reverse("reporting:unit_dashboard")]
    service_dashboard = [reverse("reporting:service_dashboard")]
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "closed_period": closed,
        "roles": {
            "case_handler": {
                "sessions": _sessions(users[roles.CASE_HANDLER], 5),
                "pages": [["work queue", 3, queue], ["case list", 3, case_lists]],
            },
            "unit_manager": {
                "sessions": _sessions(users[roles.UNIT_MANAGER], 5),
                "pages": [["unit dashboard", 2, unit_dashboard], ["case list", 2, case_lists]],
            },
            "head_of_service": {
                "sessions": _sessions(head, 5),
                "pages": [["service dashboard", 1, service_dashboard], ["unit dashboard", 1, unit_dashboard]],
            },
            "finance": {
                "sessions": _sessions(users[roles.FINANCE], 5),
                "pages": [["invoice PDF", 3, pdfs]],
            },
        },
    }


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{port}")


def _server_env() -> dict:
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=settings.SECRET_KEY,  # the sessions made here are signed with it
        CELERY_BROKER_URL=env.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0",  # required; not used here
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on localhost: no proxy in front
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    env.pop("TEST_DATABASE_NAME", None)
    return env


def _row(stats: dict) -> dict:
    return {
        "name": stats["Name"],
        "requests": int(stats["Request Count"]),
        "failures": int(stats["Failure Count"]),
        "p50": float(stats["50%"]),
        "p95": float(stats["95%"]),
        "rps": float(stats["Requests/s"]),
    }


def write_results(path: Path, rows: list[dict], total: dict, meta: dict) -> None:
    lines = [
        "# Load test results",
        "",
        "Written by `make load` (`manage.py bench_load`, bench/load/run.py); the table is rewritten by every run.",
        "",
        f"Measured {meta['when']} on {meta['cores']} cores **shared with other engineers' work** "
        f"(load average at the start {meta['load_before']}, at the end {meta['load_after']}), PostgreSQL "
        f"database {meta['database']}, gunicorn {meta['workers']} sync workers (DEBUG off), locust "
        f"{meta['users']} users (wait 0.5–1.5 s between pages) for {meta['seconds']} s, commit {meta['commit']}. "
        f"Closed month in the data: {meta['closed_period']}.",
        "",
        "| page | requests | errors | p50 | p95 | throughput |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in [*rows, total]:
        lines.append(
            f"| {row['name']} | {row['requests']:,} | {row['failures']} | {row['p50']:.0f} ms | {row['p95']:.0f} ms "
            f"| {row['rps']:.1f} req/s |"
        )
    goal = "yes" if total["failures"] == 0 else "**no**"
    lines += ["", f"Goal: 0 errors with {meta['users']} concurrent users for {meta['seconds']} s — met: {goal}.", ""]
    path.write_text("\n".join(lines))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--output", type=Path, default=BASE_DIR / "bench" / "results-load.md")
    options = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("The load test runs against PostgreSQL: set DATABASE_URL=postgres://…")
    from django.conf import settings
    from django.db import connection

    plan = build_plan()
    database = connection.settings_dict["NAME"]
    connection.close()
    env = _server_env()
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        plan_file = Path(tmp) / "plan.json"
        plan_file.write_text(json.dumps(plan))
        load_before = " ".join(f"{n:.1f}" for n in os.getloadavg())
        server = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                settings.WSGI_APPLICATION.replace(".application", ":application"),
                "-b",
                f"127.0.0.1:{PORT}",
                "-w",
                str(options.workers),
            ]
            + ["--timeout", "60", "--log-level", "warning"],
            cwd=BASE_DIR,
            env=env,
        )
        try:
            _wait_for_port(PORT)
            prefix = Path(tmp) / "load"
            subprocess.run(
                [python, "-m", "locust", "-f", str(BASE_DIR / "bench" / "load" / "locustfile.py"), "--headless"]
                + ["-u", str(options.users), "-r", str(max(1, options.users // 5)), "-t", f"{options.seconds}s"]
                + ["--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary", "--stop-timeout", "5"]
                + ["--loglevel", "WARNING"],
                cwd=BASE_DIR,
                env={**os.environ, "LOAD_PLAN": str(plan_file)},
                check=False,  # locust exits 1 when a request failed: the figures are written all the same
                timeout=options.seconds + 120,
            )
            with open(f"{prefix}_stats.csv") as stats_file:
                stats = list(csv.DictReader(stats_file))
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows = [_row(s) for s in stats if s["Name"] != "Aggregated"]
    total = _row(next(s for s in stats if s["Name"] == "Aggregated")) | {"name": "all pages"}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True)
    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cores": os.cpu_count(),
        "load_before": load_before,
        "load_after": " ".join(f"{n:.1f}" for n in os.getloadavg()),
        "database": database,
        "workers": options.workers,
        "users": options.users,
        "seconds": options.seconds,
        "commit": commit.stdout.strip() or "?",
        "closed_period": plan["closed_period"],
        "python": platform.python_version(),
    }
    write_results(options.output, rows, total, meta)
    print(options.output.read_text())
    return 0 if total["failures"] == 0 else 1
