"""Keyset pages of the case list: a page is the 50 cases after (or before) the last one seen, in
the list's order, instead of the cases after skipping (page - 1) × 50 of them. A deep page then
costs what page 1 costs: the index is entered at the cursor (``(period, id) < (…)``), with no
OFFSET over a Merge Append of every month's partition.

The cursor is the sort key of the row at the page's edge with the case id as tie-breaker, signed
(django.core.signing) so that a link can be shared but not made up: a changed, truncated or other
sort's cursor is refused (``BadCursor``) and the list starts from its first page.

Orders paged by keyset: the default (newest case first), the case number either way and the pay
period either way. The order by personal identity number keeps the page-number paginator: for a
user who may not see protected identities the masked rows sort as one group (people.selectors.
order_by_personnummer), and a cursor holding a row's number would put a number in the address.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.lookups import GreaterThan, LessThan
from django_tables2.rows import BoundRows

from core.periods import PERIOD_RE

SALT = "payroll.case_list.cursor"
PER_PAGE = 50

# The table's sort (a django-tables2 alias) → the fields of its ORDER BY, the case id last.
ORDERS = {
    "-id": ("-id",),
    "id": ("id",),
    "period": ("period", "id"),
    "-period": ("-period", "-id"),
}


class BadCursor(ValueError):
    """A cursor that was not made by this list (changed, cut short, made up)."""


class OtherOrder(BadCursor):
    """A cursor of this list for another order: the header's sort links keep the query string."""


def is_keyset(sort: str) -> bool:
    return sort in ORDERS


def _names(sort: str) -> list[str]:
    return [field.lstrip("-") for field in ORDERS[sort]]


def make_cursor(sort: str, record) -> str:
    """The signed cursor of ``record``'s place in the list ordered by ``sort``."""
    # No timestamp (Signer, not dumps): the same page has the same address, and a shared link does not expire.
    return signing.Signer(salt=SALT).sign_object([sort, *(getattr(record, name) for name in _names(sort))])


def read_cursor(token: str, sort: str) -> list:
    """The key values in ``token``, if it was made by ``make_cursor`` for ``sort``."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise BadCursor(token) from None
    names = _names(sort)
    if isinstance(data, list) and data and data[0] != sort and data[0] in ORDERS:
        raise OtherOrder(token)
    if not isinstance(data, list) or len(data) != len(names) + 1 or data[0] != sort:
        raise BadCursor(token)
    values = data[1:]
    for name, value in zip(names, values, strict=True):
        valid = (
            isinstance(value, int) and not isinstance(value, bool) and value > 0
            if name == "id"
            else isinstance(value, str) and PERIOD_RE.match(value)
        )
        if not valid:
            raise BadCursor(token)
    return values


def _past(queryset, sort: str, values: list, *, backwards: bool):
    """``queryset`` (ordered by ``sort``) beyond the row of ``values``: after it, or before it
    (then in the reverse order, nearest first). One row comparison, so that PostgreSQL enters the
    index at the cursor; on SQLite Django writes it out as ORs."""
    names = _names(sort)
    descending = ORDERS[sort][0].startswith("-")
    later = descending == backwards
    if len(names) == 1:
        condition = (GreaterThan if later else LessThan)(F(names[0]), values[0])
    else:
        condition = (TupleGreaterThan if later else TupleLessThan)(Tuple(*(F(n) for n in names)), tuple(values))
    queryset = queryset.filter(condition)
    if backwards:
        queryset = queryset.order_by(*(name if descending else f"-{name}" for name in names))
    return queryset


@dataclass
class KeysetPage:
    """One page of the list and the cursors of its neighbours (None: there is none)."""

    object_list: list
    next_cursor: str | None
    previous_cursor: str | None
    # Reached by a cursor, not the first page: offer the way back to the start.
    is_first: bool


def page(queryset, *, sort: str, after: str | None = None, before: str | None = None, read) -> KeysetPage:
    """The page of ``queryset`` (already ordered by ``sort``) after the cursor ``after``, before
    ``before``, or the first. ``read(queryset, n)`` fetches the first ``n`` rows (the case list
    reads ids first: payroll.tables.IdsFirstData). Raises BadCursor for a cursor not made here;
    a cursor of another order gives the first page."""
    try:
        after_key = read_cursor(after, sort) if after else None
        before_key = read_cursor(before, sort) if before and not after else None
    except OtherOrder:
        after_key = before_key = None
    if before_key:
        rows = read(_past(queryset, sort, before_key, backwards=True), PER_PAGE + 1)
        more_before = len(rows) > PER_PAGE
        rows = rows[:PER_PAGE][::-1]
        return KeysetPage(
            rows,
            next_cursor=make_cursor(sort, rows[-1]) if rows else None,
            previous_cursor=make_cursor(sort, rows[0]) if rows and more_before else None,
            is_first=not more_before,
        )
    if after_key:
        queryset = _past(queryset, sort, after_key, backwards=False)
    rows = read(queryset, PER_PAGE + 1)
    more_after = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    return KeysetPage(
        rows,
        next_cursor=make_cursor(sort, rows[-1]) if rows and more_after else None,
        previous_cursor=make_cursor(sort, rows[0]) if rows and after_key else None,
        is_first=not after_key,
    )


def paginate_table(table, params, *, read) -> bool:
    """Give ``table`` (ordered by django-tables2's RequestConfig, not paginated) its keyset page
    from ``params`` (``after`` / ``before``), as ``table.page`` and ``table.keyset``. False when
    its order is not keyset-paged (the caller paginates by page number). A cursor not made here
    gives the first page, with ``table.bad_cursor`` set."""
    order = tuple(table.order_by or ())
    if len(order) != 1 or not is_keyset(order[0]):
        return False
    sort, queryset = str(order[0]), table.data.data
    try:
        found = page(queryset, sort=sort, after=params.get("after"), before=params.get("before"), read=read)
    except BadCursor:
        table.bad_cursor = True
        found = page(queryset, sort=sort, read=read)
    table.keyset = found
    table.page = _Page(BoundRows(found.object_list, table=table))
    return True


@dataclass
class _Page:
    """What django-tables2 reads of a page (``table.paginated_rows``); no paginator, so its own
    page-number links are not drawn (payroll/includes/case_table.html draws the cursor links)."""

    object_list: object
