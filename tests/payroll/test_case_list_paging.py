"""The case list at the real volume: a page reads its ids first (filters and sorting on the
indexed columns, skipping the earlier pages there), then joins agency and person for its own
50 rows only; page links, filters and sorting keep working, deep pages cost what page 1 costs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(unit):
    agency = factories.AgencyFactory(code="SDF01", unit=unit)
    person = factories.PersonFactory()
    # 160 cases over three periods, so that sorting by period has many ties.
    return [
        factories.PayrollCaseFactory(agency=agency, person=person, period=f"2012-0{1 + i % 3}", payslip_id=f"P{i}")
        for i in range(160)
    ]


def _ids(response):
    return [row.record.pk for row in response.context["table"].paginated_rows]


def _case_queries(captured):
    # Leaves out the probe for whether the list is small enough to download (one row past the limit).
    return [q["sql"] for q in captured if 'FROM "payroll_payrollcase"' in q["sql"] and "OFFSET 100000" not in q["sql"]]


def test_a_deep_page_joins_only_its_own_rows(client, case_handler, cases):
    client.force_login(case_handler)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/payroll/cases/", {"page": 3})
    newest_first = sorted((c.pk for c in cases), reverse=True)
    assert _ids(response) == newest_first[100:150]
    ids_query, rows_query = _case_queries(ctx.captured_queries)
    assert re.match(
        r'SELECT "payroll_payrollcase"."id"( AS "pk")?, "payroll_payrollcase"."period"( AS "period")? '
        r'FROM "payroll_payrollcase" WHERE',
        ids_query,
    )
    assert "JOIN" not in ids_query and re.search(r"LIMIT 51 OFFSET 100\b", ids_query)
    assert 'JOIN "people_person"' in rows_query and "OFFSET" not in rows_query
    # The rows by id, within the page's months (on PostgreSQL: their partitions only).
    assert '"payroll_payrollcase"."id" IN (' in rows_query and '"payroll_payrollcase"."period" IN (' in rows_query


def test_a_deep_page_makes_as_many_queries_as_the_first(client, case_handler, cases):
    client.force_login(case_handler)
    counts = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/payroll/cases/", {"page": page}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2]


@pytest.mark.parametrize("sort", ["period", "-period"])
def test_pages_sorted_by_period_hold_every_case_once_in_order(client, case_handler, cases, sort):
    client.force_login(case_handler)
    seen = []
    for page in (1, 2, 3, 4):
        seen += _ids(client.get("/payroll/cases/", {"sort": sort, "page": page}))
    by_pk = {c.pk: c for c in cases}
    expected = sorted(by_pk, key=lambda pk: (by_pk[pk].period, pk), reverse=sort.startswith("-"))
    assert seen == expected


def test_page_links_and_filters_carry_over(client, case_handler, cases):
    client.force_login(case_handler)
    response = client.get("/payroll/cases/", {"period": "2012-02", "page": 2})
    in_period = sorted((c.pk for c in cases if c.period == "2012-02"), reverse=True)
    assert len(in_period) == 53 and _ids(response) == in_period[50:]
    html = response.content.decode()
    assert "period=2012-02&amp;page=1" in html and "page=3" not in html
    first = client.get("/payroll/cases/", {"period": "2012-02"}).content.decode()
    assert "period=2012-02&amp;page=2" in first
