"""The page benchmarks: the unit dashboard and the case list against the raw SQL of the
same figures, and the query counts of the pages on small data (no N+1)."""

import json
import math
import tempfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse

from .base import PER_PAGE, BenchError, database_url, manage
from .harness import Figure, Line, percentile


class PageParts:
    """Pages and query counts (mixed into bench.runner.Bench)."""

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
        """(label, query string, raw SQL, params) of the case-list pages measured; the deep pages are
        reached by the cursor the list's own next link gives (payroll.keyset), as a user reaches them."""
        from payroll.keyset import make_cursor
        from payroll.models import PayrollCase

        month = self.closed_period or self.open_period
        by_agency = (
            PayrollCase.objects.filter(period=month, agency__unit=self.unit)
            .values_list("agency_id", "agency__code")
            .annotate(n=models.Count("id"))
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
        # The product pages by cursor (payroll.keyset): a page is the cases below the last one seen.
        order = f" AND c.id < %s ORDER BY c.id DESC LIMIT {PER_PAGE}"
        by_agency_period = select + "WHERE c.agency_id = %s AND c.period = %s" + order
        by_agency_only = select + "WHERE c.agency_id = %s" + order
        by_period = select + "WHERE a.unit_id = %s AND c.period = %s" + order
        newest = PayrollCase.objects.order_by("-id")
        top = (newest.values_list("id", flat=True).first() or 0) + 1

        def reached(cases, page):
            """The query string and the id bound of ``page`` as the list's next links reach it: the
            cursor of the last case of the page before (the same signed cursor the product makes)."""
            if page == 1:
                return "", top
            last_seen = cases.values_list("id", flat=True)[(page - 1) * PER_PAGE - 1]
            return "&" + urlencode({"after": make_cursor("-id", SimpleNamespace(id=last_seen))}), last_seen

        month_cases = newest.filter(agency_id=agency_id, period=month)
        agency_cases = newest.filter(agency_id=agency_id)
        unit_cases = newest.filter(period=month, agency__unit=self.unit)
        last_q, last_id = reached(month_cases, last_month_page)
        agency_q, agency_id_bound = reached(agency_cases, deep_agency)
        period_q, period_id = reached(unit_cases, deep_period)
        return [
            (f"case list, agency {code} + period {month}, page 1", f"?agency={agency_id}&period={month}",
             by_agency_period, [agency_id, month, top]),
            (f"case list, agency {code} + period {month}, last page ({last_month_page}, by cursor)",
             f"?agency={agency_id}&period={month}{last_q}", by_agency_period, [agency_id, month, last_id]),
            (f"case list, agency {code} (5 years), page 1", f"?agency={agency_id}", by_agency_only,
             [agency_id, top]),
            (f"case list, agency {code} (5 years), page {deep_agency} (by cursor)",
             f"?agency={agency_id}{agency_q}", by_agency_only, [agency_id, agency_id_bound]),
            (f"case list, period {month} (unit {self.unit.code}), page {deep_period} (by cursor)",
             f"?period={month}{period_q}", by_period, [self.unit.pk, month, period_id]),
        ]  # fmt: skip

    def part_list(self) -> None:
        client = self.client("case_handler")
        url = reverse("payroll:case_list")
        for label, query, sql, params in self.list_pages():
            self.say(f"{label} …")
            self.count_queries(label, client, url + query)
            product = self.page_timings(client, url + query)
            raw, _rows = self.sql_timings(sql, params)
            note = f"{self.query_counts[label]} queries; SQL by keyset (id < last seen)"
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
