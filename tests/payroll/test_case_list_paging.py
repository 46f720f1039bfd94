"""The case list at the real volume: a page is the 50 cases after the last one seen (a signed cursor
in the link, payroll.keyset), read ids first on the indexed columns with no OFFSET, then joined to
agency and person for its own rows; the links join up with no case lost or repeated under every
order, keep the filters, and a changed link gives the first page, never an error."""

import html
import re

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from payroll import keyset
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/payroll/cases/"
KEYSET_SORTS = ["", "-id", "id", "period", "-period"]


@pytest.fixture
def cases(unit):
    agency = factories.AgencyFactory(code="SDF01", unit=unit)
    person = factories.PersonFactory()
    protected = factories.PersonFactory(protected_identity=True)
    # 160 cases over three periods, so that sorting by period has many ties; every seventh is of a
    # protected person.
    return [
        factories.PayrollCaseFactory(
            agency=agency, person=protected if i % 7 == 0 else person, period=f"2012-0{1 + i % 3}", payslip_id=f"P{i}"
        )
        for i in range(160)
    ]


def _ids(response):
    return [row.record.pk for row in response.context["table"].paginated_rows]


def _link(response, rel):
    found = re.search(rf'rel="{rel}" href="([^"]+)"', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def _expected(cases, sort):
    by_pk = {c.pk: c for c in cases}
    if sort in ("period", "-period"):
        return sorted(by_pk, key=lambda pk: (by_pk[pk].period, pk), reverse=sort.startswith("-"))
    return sorted(by_pk, reverse=sort != "id")


def _walk(client, response, rel="next", limit=10):
    """The pages met from ``response`` on following its ``rel`` links, as lists of case ids, and the last."""
    pages = []
    while True:
        assert response.status_code == 200
        pages.append(_ids(response))
        link = _link(response, rel)
        if link is None:
            return pages, response
        assert len(pages) < limit, "the links go round in a circle"
        response = client.get(URL + link)


def _query(link):
    return QueryDict(link.lstrip("?"))


def _case_queries(captured):
    # Leaves out the probe for whether the list is small enough to download (one row past the limit).
    return [q["sql"] for q in captured if 'FROM "payroll_payrollcase"' in q["sql"] and "OFFSET 100000" not in q["sql"]]


@pytest.mark.parametrize("sort", KEYSET_SORTS)
def test_next_links_show_every_case_once_in_the_lists_order(client, case_handler, cases, sort):
    client.force_login(case_handler)
    pages, _last = _walk(client, client.get(URL, {"sort": sort} if sort else {}))
    assert [len(p) for p in pages] == [50, 50, 50, 10]
    assert [pk for p in pages for pk in p] == _expected(cases, sort)


@pytest.mark.parametrize("sort", KEYSET_SORTS)
def test_previous_links_lead_back_through_the_same_pages(client, case_handler, cases, sort):
    client.force_login(case_handler)
    forward, last = _walk(client, client.get(URL, {"sort": sort} if sort else {}))
    backward, first = _walk(client, last, rel="prev")
    assert backward == forward[::-1]
    # Back on the first page: no way further back, nor a link to the start.
    assert _link(first, "prev") is None and "First page" not in first.content.decode()
    assert "First page" in last.content.decode()


def test_a_deep_page_reads_its_ids_by_cursor_without_offset(client, case_handler, cases):
    client.force_login(case_handler)
    second = client.get(URL + _link(client.get(URL), "next"))
    with CaptureQueriesContext(connection) as ctx:
        third = client.get(URL + _link(second, "next"))
    assert _ids(third) == _expected(cases, "-id")[100:150]
    ids_query, rows_query = _case_queries(ctx.captured_queries)
    assert re.match(
        r'SELECT "payroll_payrollcase"."id"( AS "pk")?, "payroll_payrollcase"."period"( AS "period")? '
        r'FROM "payroll_payrollcase" WHERE',
        ids_query,
    )
    assert "JOIN" not in ids_query and "OFFSET" not in ids_query and re.search(r"LIMIT 51\b", ids_query)
    # The cursor: the cases below the last one seen.
    assert str(_expected(cases, "-id")[99]) in ids_query
    assert 'JOIN "people_person"' in rows_query and "OFFSET" not in rows_query
    assert '"payroll_payrollcase"."id" IN (' in rows_query and '"payroll_payrollcase"."period" IN (' in rows_query


def test_a_page_by_cursor_makes_as_many_queries_as_the_first(client, case_handler, cases):
    client.force_login(case_handler)
    counts, query = [], URL
    for _page in range(3):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(query)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        query = URL + _link(response, "next")
    assert counts[0] == counts[1] == counts[2]


def test_cursor_links_keep_the_filters_and_the_order(client, case_handler, cases):
    client.force_login(case_handler)
    first = client.get(URL, {"period": "2012-02", "sort": "id"})
    link = _link(first, "next")
    assert "period=2012-02" in link and "sort=id" in link and "page=" not in link
    in_period = sorted(c.pk for c in cases if c.period == "2012-02")
    second = client.get(URL + link)
    assert len(in_period) == 53 and _ids(second) == in_period[50:]
    assert _link(second, "next") is None and _link(second, "prev") is not None


def test_a_cursor_holds_the_sort_key_and_id_only_never_a_persons_number(client, case_handler, cases):
    client.force_login(case_handler)
    first = client.get(URL, {"sort": "-period"})
    token = _query(_link(first, "next"))["after"]
    last = _expected(cases, "-period")[49]
    case = next(c for c in cases if c.pk == last)
    assert signing.Signer(salt=keyset.SALT).unsign_object(token) == ["-period", case.period, case.pk]


def test_masked_rows_are_paged_like_the_others_and_stay_masked(client, case_handler, cases):
    client.force_login(case_handler)
    protected = {c.pk for c in cases if c.person.protected_identity}
    pages, _last = _walk(client, client.get(URL, {"sort": "period"}))
    seen = [pk for p in pages for pk in p]
    assert protected <= set(seen) and len(seen) == len(set(seen)) == 160
    number = next(c.person.personnummer for c in cases if c.person.protected_identity)
    for query in ({"sort": "period"}, {}):
        assert number not in client.get(URL, query).content.decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        signing.Signer(salt="another.salt").sign_object(["-id", 99]),
        # Signed right, but not a cursor of this list's shape: the key values are checked too.
        signing.Signer(salt=keyset.SALT).sign_object(["-id", "99; DROP TABLE"]),
        signing.Signer(salt=keyset.SALT).sign_object(["-id", 5, 6]),
        signing.Signer(salt=keyset.SALT).sign_object({"sort": "-id"}),
    ],
)
def test_a_changed_cursor_gives_the_first_page_and_says_so(client, case_handler, cases, cursor):
    client.force_login(case_handler)
    for param in ("after", "before"):
        response = client.get(URL, {param: cursor})
        assert response.status_code == 200
        assert _ids(response) == _expected(cases, "-id")[:50]
        said = [str(m) for m in response.context["messages"]]
        assert said == ([] if cursor == "" else [_bad_link_message()])


def _bad_link_message():
    return "The link to this page is not valid (changed or cut short): the list starts again from its first page."


def test_a_cursor_whose_signature_was_altered_is_refused(client, case_handler, cases):
    client.force_login(case_handler)
    token = _query(_link(client.get(URL), "next"))["after"]
    signature = token.rsplit(":", 1)[1]
    # Point the cursor elsewhere and keep the old signature.
    forged = signing.Signer(salt=keyset.SALT).sign_object(["-id", 3]).rsplit(":", 1)[0] + ":" + signature
    response = client.get(URL, {"after": forged})
    assert _ids(response) == _expected(cases, "-id")[:50]
    assert [str(m) for m in response.context["messages"]] == [_bad_link_message()]


def test_a_cursor_of_another_order_starts_that_order_from_its_first_page(client, case_handler, cases):
    """The column headers' sort links keep the query string, cursor included."""
    client.force_login(case_handler)
    after = _query(_link(client.get(URL), "next"))["after"]
    response = client.get(URL, {"sort": "period", "after": after})
    assert _ids(response) == _expected(cases, "period")[:50]
    assert list(response.context["messages"]) == []


def test_the_order_by_personal_identity_number_keeps_page_numbers(client, case_handler, cases):
    client.force_login(case_handler)
    first = client.get(URL, {"sort": "personnummer"})
    assert first.context["table"].keyset is None
    assert "page=2" in first.content.decode() and _link(first, "next") is None
    second = client.get(URL, {"sort": "personnummer", "page": 2})
    third = client.get(URL, {"sort": "personnummer", "page": 4})
    seen = _ids(first) + _ids(second) + _ids(client.get(URL, {"sort": "personnummer", "page": 3})) + _ids(third)
    assert sorted(seen) == sorted(c.pk for c in cases) and len(set(seen)) == 160


def test_the_page_links_and_the_refusal_are_in_swedish(client, case_handler, cases):
    client.force_login(case_handler)
    after = _query(_link(client.get(URL), "next"))["after"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    second = client.get(URL, {"after": after})
    text = second.content.decode()
    assert "Första sidan" in text and "Föregående sida" in text and "Nästa sida" in text
    refused = client.get(URL, {"after": after[:-3]})
    assert [str(m) for m in refused.context["messages"]] == [
        "Länken till den här sidan är inte giltig (ändrad eller avkortad): listan börjar om från första sidan."
    ]
