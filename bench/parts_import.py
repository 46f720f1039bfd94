"""The import benchmarks: one month's file end to end against COPY and raw SQL, and the
import's memory at two sizes."""

import csv
import datetime as dt
import math
import random
from pathlib import Path

from django.db import connection, transaction

from core.periods import next_period

from .base import BENCH_FILE_PREFIX, BenchError, manage
from .copy import copy_layout
from .harness import Figure, Line, once
from .plan import agency_plans, channel_counts, personnummer_pool


class ImportParts:
    """Import and memory (mixed into bench.runner.Bench)."""

    def write_csv(self, path: Path, *, rows: int) -> list[str]:
        """A payslip file as the payroll system sends it: ``rows`` rows of the month after the
        generated ones, every agency, the seeds' channel mix, 1 % new employees."""
        from customers.models import Agency

        agencies = list(Agency.objects.order_by("code"))
        plans = agency_plans(agencies, seed=1, employees=1000)
        with connection.cursor() as cursor:
            cursor.execute("SELECT personnummer FROM people_person ORDER BY id LIMIT %s", [rows])
            known = [row[0] for row in cursor.fetchall()]
        new = personnummer_pool(
            seed="bench-new", count=max(1, rows // 100), born_from=dt.date(2006, 1, 1),
            born_to=dt.date(2007, 12, 31),
        )  # fmt: skip
        rng = random.Random(f"bench-{rows}")
        # One month, however large (500,000 rows: ten cities' month): a file may hold no month after next.
        per_month = rows
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
                    channels = [c for c, count in channel_counts(size, plan.shares) for _i in range(count)]
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

    def command_start(self) -> float:
        """Seconds for ``manage.py import_payslips`` to start and stop at once (no such file)."""
        seconds, _rss, proc = manage("import_payslips", str(self.config.data_dir / "no-such-file.csv"))
        if "No such file" not in proc.stderr:
            raise BenchError(f"import_payslips without a file did not stop as expected: {proc.stderr[-2000:]}")
        return seconds

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
        columns, tail = copy_layout(PayrollCase, explicit)
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
        # The product is a process of its own (Python and Django start inside its figure); the
        # raw SQL runs in this already started one. Both comparisons are given: the start is the
        # same command on a file that does not exist (it stops once Django is up).
        start = self.command_start()
        work = result["seconds"] - start
        fair = (
            f"end to end {result['seconds']:.2f} s = {result['seconds'] / floor:.1f} × raw SQL, of which "
            f"{start:.2f} s start the process (Python, Django; the baseline has none); without the start "
            f"{work:.2f} s = {work / floor:.2f} × raw SQL (the job's own clock, which stops before its "
            f"commit, {result['internal']:.2f} s)"
        )
        self.results.add(
            Line(
                f"import one month, {self.config.import_rows:,} rows CSV",
                Figure(result["seconds"]),
                Figure(baseline),
                target="≤ 3 × COPY",
                met=ratio <= 3,
                note=f"the process's start {start:.2f} s; the job's own clock {result['internal']:.2f} s "
                "(it stops before the commit)",
            ),
            self.say,
        )
        self.results.add(
            Line(
                f"import one month, {self.config.import_rows:,} rows, against raw SQL into the same tables",
                Figure(result["seconds"]),
                Figure(floor),
                note="baseline: COPY to a temporary table + people upsert + one INSERT … SELECT into the case "
                f"table with its indexes and constraints, committed; {fair}",
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
        if large >= 500_000:
            # The floor at that size: the same file by raw SQL into the same tables.
            floor = self.raw_sql_import(figures[large]["path"])
            start = self.command_start()
            self.results.add(
                Line(
                    f"import one month, {large:,} rows (ten cities' month), end to end",
                    Figure(figures[large]["seconds"]),
                    Figure(floor),
                    target="≤ 10 s",
                    met=figures[large]["seconds"] <= 10,
                    note=f"the same file by raw SQL into the same tables {floor:.1f} s: end to end "
                    f"{figures[large]['seconds'] / floor:.1f} ×, without the process's start "
                    f"{(figures[large]['seconds'] - start) / floor:.2f} × (the job's own clock, which stops "
                    f"before its commit, {figures[large]['internal']:.1f} s)",
                ),
                self.say,
            )
