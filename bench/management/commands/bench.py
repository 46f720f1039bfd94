import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import harness, runner


def _rows(value: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in value.split(",") if part.strip())


class Command(BaseCommand):
    help = (
        "Benchmarks at the real volume against PostgreSQL (DATABASE_URL): import, unit dashboard, case list, "
        "monthly close with PDFs, invoice PDF and import memory, each beside raw PostgreSQL or a minimal "
        "WeasyPrint page. Needs data from `manage.py generate_volume`. Writes bench/results.md and the README table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--parts", default=",".join(runner.PARTS), help=f"any of {', '.join(runner.PARTS)}")
        parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (after 2 warm-up ones)")
        parser.add_argument("--pdf-repeat", type=int, default=10)
        parser.add_argument(
            "--close-workers", type=int, default=2, help="with CELERY_BROKER_URL: worker processes of the close"
        )
        parser.add_argument("--import-rows", type=int, default=50_000)
        parser.add_argument("--memory-rows", type=_rows, default=(50_000, 500_000), help="e.g. 50000,500000")
        parser.add_argument("--small-database", default=None, help="default: <database>_small; 'none' to skip")
        parser.add_argument("--small-payslips-per-year", type=int, default=24_000)
        parser.add_argument("--no-explain", action="store_true", help="no EXPLAIN ANALYZE of slow pages")
        parser.add_argument("--output", type=Path, default=None, help="results file; default bench/results.md")
        parser.add_argument("--no-readme", action="store_true", help="leave the README's table alone")
        parser.add_argument("--readme", type=Path, default=None, help="README to update; default the project's")
        parser.add_argument("--queries-only", action="store_true", help="only count each page's SQL queries")
        parser.add_argument("--json", type=Path, default=None, help="with --queries-only: write the counts here")
        parser.add_argument(
            "--label",
            default=None,
            help="the data's size, e.g. 1x or 10x: the run gets its own section (make bench-scale)",
        )
        parser.add_argument(
            "--compare", default=None, help="e.g. 1x,10x: write the runs of those labels side by side, run nothing"
        )

    def handle(self, *args, **o):
        output = o["output"] or Path(settings.BASE_DIR) / "bench" / "results.md"
        if o["compare"]:
            self.stdout.write(harness.write_comparison(output, [x.strip() for x in o["compare"].split(",")]))
            return
        if connection.vendor != "postgresql":
            raise CommandError("The benchmarks need PostgreSQL: set DATABASE_URL=postgres://...")
        parts = tuple(p.strip() for p in o["parts"].split(",") if p.strip())
        unknown = [p for p in parts if p not in runner.PARTS]
        if unknown:
            raise CommandError(f"Unknown part(s) {', '.join(unknown)}; use any of {', '.join(runner.PARTS)}.")
        small = o["small_database"] or f"{connection.settings_dict['NAME']}_small"
        config = runner.Config(
            repeat=o["repeat"],
            pdf_repeat=o["pdf_repeat"],
            close_workers=o["close_workers"],
            import_rows=o["import_rows"],
            memory_rows=o["memory_rows"],
            parts=parts,
            small_database=None if small.lower() == "none" else small,
            small_payslips_per_year=o["small_payslips_per_year"],
            explain=not o["no_explain"],
        )
        bench = runner.Bench(config, say=self.stdout.write)
        try:
            if o["queries_only"]:
                counts = bench.queries_only()
                if o["json"]:
                    o["json"].write_text(json.dumps(counts))
                else:
                    self.stdout.write(json.dumps(counts, indent=2))
                return
            results = bench.run()
        except runner.BenchError as exc:
            raise CommandError(str(exc)) from exc
        if o["label"]:
            harness.write_labelled(output, results, o["label"], None if parts == runner.PARTS else parts)
            self.stdout.write(f"Results ({o['label']}) written to {output}.")
            return
        harness.write_results(output, results)
        self.stdout.write(f"Results written to {output}.")
        if (o["output"] is None or o["readme"]) and not o["no_readme"]:
            if harness.write_readme(o["readme"] or Path(settings.BASE_DIR) / "README.md", results):
                self.stdout.write("README.md: Benchmarks table updated.")
            else:
                self.stdout.write("README.md has no Benchmarks markers; table not written there.")
