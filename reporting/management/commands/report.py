import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.periods import parse_period
from economy.capacity import capacity_report
from economy.reports import economy_report
from reporting.services import reports
from reporting.services.monthly import monthly_report
from reporting.services.tertial import board_tertial_report

TERTIAL_RE = re.compile(r"^(\d{4})-T([123])$")


class Command(BaseCommand):
    help = (
        "Write a report as CSV, XLSX or PDF: volume, productivity, invoices, economy or capacity (the six months "
        "after it) or monthly (the head of service's monthly report) for --period YYYY-MM; "
        "productivity or tertial (the board report) for --tertial YYYY-Tn. Without --output, CSV goes to "
        "standard output and XLSX/PDF to <report>.<format> in the current folder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "report", choices=["volume", "productivity", "invoices", "economy", "capacity", "monthly", "tertial"]
        )
        parser.add_argument("--period", help="the month, YYYY-MM")
        parser.add_argument("--tertial", help="the tertial, YYYY-T1, YYYY-T2 or YYYY-T3")
        parser.add_argument("--format", choices=["csv", "xlsx", "pdf"], default="csv")
        parser.add_argument("--output", help="file to write")

    def handle(self, *args, report, period, tertial, format, output, **options):
        built = self._build(report, period, tertial)
        content = built.render(format, machine=format == "csv")  # the machine CSV keeps TOTAL/ALL
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"{built.title}: {output}")
        elif format == "csv":
            self.stdout.write(content.decode("utf-8"), ending="")
        else:
            name = built.filename(format)
            with open(name, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"{built.title}: {name}")

    def _build(self, report, period, tertial):
        if tertial:
            match = TERTIAL_RE.match(tertial)
            if not match:
                raise CommandError("Give the tertial as YYYY-Tn, e.g. 2012-T2.")
            year, number = int(match.group(1)), int(match.group(2))
            if report == "tertial":
                return board_tertial_report(year=year, tertial=number)
            if report == "productivity":
                return reports.productivity_report(year=year, tertial=number)
            raise CommandError(f"The {report} report is made per month: give --period YYYY-MM.")
        if report == "tertial":
            raise CommandError("The tertial report needs --tertial YYYY-Tn.")
        if not period:
            raise CommandError("Give the month with --period YYYY-MM.")
        try:
            parse_period(period)
        except ValidationError as exc:
            raise CommandError(f"{period}: give the month as YYYY-MM, e.g. 2012-03.") from exc
        builders = {
            "volume": reports.volume_report,
            "productivity": reports.productivity_report,
            "economy": economy_report,
            "capacity": capacity_report,
            "monthly": monthly_report,
        }
        builder = builders.get(report)
        if builder:
            return builder(period=period)
        return reports.invoice_report(period=period)
