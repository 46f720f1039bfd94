"""The payroll tables draw 50 rows with the work that is the same for every row done once per
table: one protected-identity permission check and one reverse() for the case links, and no
template rendered per cell."""

import re

import pytest
from django.urls import reverse
from django_tables2 import TemplateColumn

from payroll import tables
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fifty_cases(unit):
    agency = factories.AgencyFactory(code="SDF01", unit=unit)
    secret = factories.PersonFactory(name="Hemlig Hemligsson", protected_identity=True)
    return [
        factories.PayrollCaseFactory(agency=agency, person=secret if i % 10 == 0 else factories.PersonFactory())
        for i in range(50)
    ]


@pytest.fixture
def counted(monkeypatch):
    calls = {"can_see_protected": 0, "reverse": 0}

    def counting(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        monkeypatch.setattr(tables, name, wrapper)

    counting("can_see_protected", tables.can_see_protected)
    counting("reverse", tables.reverse)
    return calls


def test_fifty_rows_check_the_permission_once_and_reverse_the_case_url_once(client, case_handler, fifty_cases, counted):
    client.force_login(case_handler)
    html = client.get("/payroll/cases/").content.decode()
    assert counted == {"can_see_protected": 1, "reverse": 1}
    links = re.findall(r'<a href="(/payroll/cases/\d+/)">L-(\d+)</a>', html)
    assert len(links) == 50
    assert all(url == reverse("payroll:case_detail", args=[int(pk)]) for url, pk in links)
    assert html.count('<span class="masked">******-****</span>') == 5
    assert html.count('<span class="masked">Protected identity</span>') == 5
    assert "Hemlig Hemligsson" not in html


def test_the_work_queue_checks_the_permission_once(client, case_handler, unit, counted):
    agency = factories.AgencyFactory(unit=unit)
    secret = factories.PersonFactory(protected_identity=True)
    for _i in range(5):
        factories.ManualCaseFactory(agency=agency, handler=case_handler, person=secret)
    client.force_login(case_handler)
    html = client.get("/payroll/?bucket=mine").content.decode()
    assert counted == {"can_see_protected": 1, "reverse": 1}
    assert len(re.findall(r'<a href="/payroll/cases/\d+/">L-\d+</a>', html)) == 5
    assert html.count('<span class="masked">******-****</span>') == 5


def test_no_payroll_table_renders_a_template_per_cell():
    for table in (tables.CaseTable, tables.QueueTable, tables.CheckTable):
        assert not [name for name, c in table.base_columns.items() if isinstance(c, TemplateColumn)], table
        # Every column draws its whole cell, so the one-pass rows need no django-tables2 accessors.
        assert all(hasattr(table, f"render_{name}") for name in table.base_columns), table
