"""Sorting, filtering and searching never give a protected person's number away (issue 14, item 1).

A masked row says "******-****", but its *place* in a list sorted by personal identity number
told the real number: its neighbours' numbers bound it, and a probe case registered with a chosen
number moves past it. The test is differential: every list and export is read, sorted by each of
its columns both ways (and by names that are no column), then the protected person's number and
name are changed and everything is read again. For a user without the right the two readings
must be the same, byte for byte: nothing on the page depends on what the mask hides.
"""

import io
import re

import django_tables2 as tables
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from people.models import Person
from tests import factories
from tests.access import collect_rules

RULES = collect_rules()

pytestmark = pytest.mark.django_db

# Numbers far apart: a list ordered by the real number puts the protected row in another place.
BEFORE = factories._valid_personnummer(300)  # 1950
AFTER = factories._valid_personnummer(19000)  # 2002
VISIBLE = [factories._valid_personnummer(n) for n in (100, 9000, 12000, 19900)]

# Each list's person columns both ways, names that are no column, and one other column.
SORTS = ["", "personnummer", "-personnummer", "name", "-name", "person", "-person", "person__personnummer", "-id"]

# (url name, query, whether it is sorted by ?sort=)
LISTS = [
    ("payroll:case_list", {}, True),
    ("payroll:case_list", {"period": "2012-03"}, True),
    ("payroll:case_export", {"format": "csv"}, True),
    ("payroll:case_export", {"format": "xlsx"}, True),
    ("payroll:queue", {"bucket": "team"}, True),
    ("pensions:case_list", {}, True),
    ("pensions:case_list", {"q": "PE-T"}, True),
    ("pensions:case_export", {"format": "csv"}, True),
    ("pensions:queue", {"tab": "team"}, True),
    ("pensions:signal_list_detail", {}, True),
]

# Roles without the right to see protected identities that read these lists.
ROLES = (roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.HEAD_OF_SERVICE)


@pytest.fixture
def world(unit):
    agency = factories.AgencyFactory(code="SORT", unit=unit)
    signal_list = factories.SignalListFactory(unit=unit)
    protected = factories.PersonFactory(personnummer=BEFORE, name="Hemlig Person", protected_identity=True)
    people = [protected] + [factories.PersonFactory(personnummer=n, name=f"Synlig {n[:4]}") for n in VISIBLE]
    for person in people:
        factories.PayrollCaseFactory(agency=agency, person=person, status="received")
        factories.PensionCaseFactory(agency=agency, person=person)
        factories.SignalItemFactory(signal_list=signal_list, agency=agency, person=person)
    return {"protected": protected, "signal_list": signal_list}


def _text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
        )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    # The CSRF token differs from one response to the next; nothing else may.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


def _read_all(client, world, role) -> dict:
    pages = {}
    for url_name, query, sortable in LISTS:
        if role not in RULES[url_name].allowed:
            continue
        kwargs = {"pk": world["signal_list"].pk} if url_name == "pensions:signal_list_detail" else {}
        for sort in SORTS if sortable else [""]:
            response = client.get(reverse(url_name, kwargs=kwargs), {**query, **({"sort": sort} if sort else {})})
            assert response.status_code == 200, (url_name, sort, response.status_code)
            pages[(url_name, str(query), sort)] = _text(response)
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_a_masked_row_is_placed_the_same_whatever_number_it_hides(role, client, users_by_role, world):
    client.force_login(users_by_role[role])
    first = _read_all(client, world, role)
    shown = [key for key, text in first.items() if "******-****" in text]
    assert shown, "no list showed the masked row: the check is void"
    Person.objects.filter(pk=world["protected"].pk).update(personnummer=AFTER, name="Annan Hemlig")
    second = _read_all(client, world, role)
    for key, text in first.items():
        assert "Hemlig" not in text and BEFORE not in text, (key, "the mask leaks")
        assert second[key] == text, (key, "the page changes with the hidden number: its order gives it away")


def test_the_right_to_see_keeps_the_real_order(client, administrator, world):
    client.force_login(administrator)
    text = client.get(reverse("payroll:case_list"), {"sort": "personnummer"}).content.decode()
    assert text.index(VISIBLE[0]) < text.index(BEFORE) < text.index(VISIBLE[1])


def _tables():
    seen, todo = [], list(tables.Table.__subclasses__())
    while todo:
        table = todo.pop()
        seen.append(table)
        todo.extend(table.__subclasses__())
    return [t for t in seen if t.__module__.split(".")[0] in ("payroll", "pensions", "audit", "staffing", "reporting")]


def test_every_table_sorting_by_a_person_masks_the_order():
    """A new table with a sortable column on a person's number or name must sort it through
    ``people.selectors.order_by_personnummer`` (an ``order_<column>`` method), not by the field."""
    import audit.views  # noqa: F401  (tables defined in views)
    import payroll.tables  # noqa: F401
    import pensions.tables  # noqa: F401

    found = []
    for table in _tables():
        for name, column in table.base_columns.items():
            accessor = str(column.accessor or name)
            if column.orderable is False or table._meta.orderable is False:
                continue
            about_person = "personnummer" in accessor or "name" in accessor or accessor.endswith("person")
            if "person" in accessor and about_person:
                found.append((table.__name__, name))
                assert hasattr(table, f"order_{name}"), f"{table.__name__}.{name} sorts by a person's data unmasked"
    assert found, "no table sorts by a person: the check is void"
