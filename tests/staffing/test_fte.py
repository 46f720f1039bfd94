"""FTE per month, unit and category: the import, the unit manager's form, and averages."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.periods import periods_between
from staffing import imports, selectors
from staffing.models import MonthlyFte
from tests import factories
from tests.factories import refused

HEADER = "period;unit;category;fte\n"


def _csv(*rows):
    return io.BytesIO((HEADER + "\n".join(rows) + "\n").encode())


def _values():
    return {(r.period, r.unit.code, r.category): r.fte for r in MonthlyFte.objects.select_related("unit")}


def test_import_sums_rows_per_unit_and_category_with_either_decimal_mark(unit, other_unit):
    summary = imports.import_fte(
        file=_csv(
            "2012-03;lon1;payroll_admin;14,50",
            "2012-03;lon1;payroll_admin;13.25",
            "2012-03;LON1;manager;2",
            "2012-03;lon2;pension_handler;4,5",
        )
    )
    assert _values() == {
        ("2012-03", "lon1", "payroll_admin"): Decimal("27.75"),
        ("2012-03", "lon1", "manager"): Decimal("2.00"),
        ("2012-03", "lon2", "pension_handler"): Decimal("4.50"),
    }
    assert (summary.target, summary.counts["created"]) == (["2012-03"], 3)


def test_reimport_of_a_month_replaces_it_and_the_change_is_in_the_audit_trail(unit, other_unit, head_of_service):
    imports.import_fte(file=_csv("2012-03;lon1;payroll_admin;27", "2012-03;lon2;payroll_admin;26"))
    imports.import_fte(file=_csv("2012-04;lon1;payroll_admin;25"))
    summary = imports.import_fte(
        file=_csv("2012-03;lon1;payroll_admin;26,5", "2012-03;lon1;manager;3"), user=head_of_service
    )
    assert _values() == {
        ("2012-03", "lon1", "payroll_admin"): Decimal("26.50"),
        ("2012-03", "lon1", "manager"): Decimal("3.00"),
        ("2012-04", "lon1", "payroll_admin"): Decimal("25.00"),  # another month is left alone
    }
    assert (summary.counts["created"], summary.counts["updated"], summary.counts["deleted"]) == (1, 1, 1)
    history = MonthlyFte.history.filter(period="2012-03", unit__code="lon1", category="payroll_admin")
    assert [(h.history_type, h.fte, h.history_user) for h in history.order_by("history_date")] == [
        ("+", Decimal("27.00"), None),
        ("~", Decimal("26.50"), head_of_service),
    ]
    assert MonthlyFte.history.filter(history_type="-", unit__code="lon2").count() == 1


@pytest.mark.parametrize(
    "row, column",
    [
        ("2012-13;lon1;payroll_admin;27", "period"),
        ("03/2012;lon1;payroll_admin;27", "period"),
        ("2012-03;lon9;payroll_admin;27", "unit"),
        ("2012-03;lon1;boss;27", "category"),
        ("2012-03;lon1;payroll_admin;tjugo", "fte"),
        ("2012-03;lon1;payroll_admin;27,125", "fte"),
        ("2012-03;lon1;payroll_admin;-1", "fte"),
        ("2012-03;lon1;payroll_admin", ""),
    ],
)
def test_each_row_error_rejects_the_file_and_writes_nothing(unit, row, column):
    MonthlyFteFactory = factories.MonthlyFteFactory
    MonthlyFteFactory(unit=unit, period="2012-03", fte=Decimal("20"))
    rejected_errors = refused(imports.import_fte(file=_csv("2012-03;lon1;manager;2", row)))
    assert [(e.row, e.column) for e in rejected_errors] == [(3, column)]
    assert _values() == {("2012-03", "lon1", "payroll_admin"): Decimal("20.00")}


@pytest.mark.parametrize(
    "content", [b"", b"period;unit;fte\n2012-03;lon1;27\n", b"period;unit;category;fte\n", b"\xff\xfe\x00p"]
)
def test_a_broken_file_is_rejected(unit, content):
    refused(imports.import_fte(file=io.BytesIO(content)))
    assert not MonthlyFte.objects.exists()


def test_import_fte_command(tmp_path, unit):
    good = tmp_path / "fte.csv"
    good.write_text(HEADER + "2012-03;lon1;payroll_admin;27,5\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_fte", str(good), stdout=out)
    assert "Importerat 2012-03: 1 nya" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2012-04;lon1;payroll_admin;x\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_fte", str(bad), stderr=err)
    assert "fte" in err.getvalue()
    assert MonthlyFte.objects.count() == 1


def test_average_fte_is_the_mean_of_the_months_summed_over_units(unit, other_unit):
    for period, lon1, lon2 in [("2012-01", "27", "26.5"), ("2012-02", "28", "27"), ("2012-03", "26", "25.5")]:
        factories.MonthlyFteFactory(period=period, unit=unit, fte=Decimal(lon1))
        factories.MonthlyFteFactory(period=period, unit=other_unit, fte=Decimal(lon2))
    factories.MonthlyFteFactory(period="2012-01", unit=other_unit, category="pension_handler", fte=Decimal("4.5"))
    quarter = periods_between("2012-01", "2012-03")
    assert selectors.average_fte(periods=quarter, categories=["payroll_admin"]) == Decimal("53.33")
    assert selectors.average_fte(periods=quarter, categories=["payroll_admin"], unit=unit) == Decimal("27.00")
    # Pension handlers were entered for January only: the other months had none (not missing).
    assert selectors.average_fte(periods=quarter, categories=["pension_handler"]) == Decimal("1.50")
    both = selectors.average_fte(periods=quarter, categories=["payroll_admin", "pension_handler"])
    assert both == Decimal("54.83")
    assert selectors.fte_by_unit(periods=quarter, categories=["payroll_admin"]) == {
        unit: Decimal("27.00"),
        other_unit: Decimal("26.33"),
    }


def test_months_not_entered_are_left_out_of_the_average(unit):
    factories.MonthlyFteFactory(period="2012-01", unit=unit, fte=Decimal("27"))
    factories.MonthlyFteFactory(period="2012-02", unit=unit, fte=Decimal("25"))
    tertial = periods_between("2012-01", "2012-04")
    assert selectors.average_fte(periods=tertial, categories=["payroll_admin"]) == Decimal("26.00")
    assert selectors.average_fte(periods=["2012-05"], categories=["payroll_admin"]) == Decimal("0.00")


def test_unit_manager_enters_the_months_fte_for_their_unit(client, unit_manager, unit):
    client.force_login(unit_manager)
    url = reverse("staffing:fte_edit", args=[unit.pk, "2012-03"])
    # One field per staff category of 2025 (seed 001).
    response = client.post(
        url,
        {
            "payroll_admin": "27,5",
            "pension_handler": "0",
            "manager": "2",
            "developer": "1",
            "assistant": "2",
            "head_of_service": "0",
            "other": "0,5",
        },
    )
    assert response.status_code == 302
    assert _values() == {
        ("2012-03", "lon1", "payroll_admin"): Decimal("27.50"),
        ("2012-03", "lon1", "pension_handler"): Decimal("0.00"),
        ("2012-03", "lon1", "manager"): Decimal("2.00"),
        ("2012-03", "lon1", "developer"): Decimal("1.00"),
        ("2012-03", "lon1", "assistant"): Decimal("2.00"),
        ("2012-03", "lon1", "head_of_service"): Decimal("0.00"),
        ("2012-03", "lon1", "other"): Decimal("0.50"),
    }
    assert MonthlyFte.history.filter(history_user=unit_manager).count() == 7
    page = client.get(reverse("staffing:fte"), {"year": 2012})
    assert "27,50" in page.content.decode()


def test_a_bad_fte_value_is_shown_and_nothing_saved(client, unit_manager, unit):
    client.force_login(unit_manager)
    response = client.post(
        reverse("staffing:fte_edit", args=[unit.pk, "2012-03"]),
        {
            "payroll_admin": "-3",
            "pension_handler": "0",
            "manager": "abc",
            "developer": "0",
            "assistant": "0",
            "head_of_service": "0",
            "other": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"payroll_admin", "manager"}
    assert not MonthlyFte.objects.exists()


def test_unit_manager_cannot_enter_another_units_fte(client, unit_manager, other_unit):
    client.force_login(unit_manager)
    url = reverse("staffing:fte_edit", args=[other_unit.pk, "2012-03"])
    assert client.get(url).status_code == 404
    payload = {"payroll_admin": "1", "pension_handler": "0", "manager": "0", "other": "0"}
    assert client.post(url, payload).status_code == 404
    assert not MonthlyFte.objects.exists()


def test_an_invalid_month_is_not_found(client, unit_manager, unit):
    client.force_login(unit_manager)
    assert client.get(reverse("staffing:fte_edit", args=[unit.pk, "2012-13"])).status_code == 404


def test_head_of_service_reads_every_unit_and_imports_but_does_not_edit(client, head_of_service, unit, other_unit):
    factories.MonthlyFteFactory(unit=unit, fte=Decimal("27"))
    factories.MonthlyFteFactory(unit=other_unit, fte=Decimal("26.95"))
    client.force_login(head_of_service)
    response = client.get(reverse("staffing:fte"), {"year": 2012})
    assert [s["unit"] for s in response.context["sections"]] == [unit, other_unit]
    assert response.context["service"]["averages"][0] == Decimal("53.95")
    assert client.get(reverse("staffing:fte_edit", args=[unit.pk, "2012-03"])).status_code == 403
    upload = io.BytesIO(b"period;unit;category;fte\n2012-04;lon1;payroll_admin;27\n")
    upload.name = "fte.csv"
    assert client.post(reverse("staffing:fte_import"), {"file": upload}).status_code == 302
    assert MonthlyFte.objects.filter(period="2012-04").count() == 1


def test_fte_upload_lists_errors_and_imports_nothing(client, head_of_service, unit):
    client.force_login(head_of_service)
    upload = io.BytesIO(b"period;unit;category;fte\n2012-04;lon1;payroll_admin;27\n2012-04;lonX;manager;1\n")
    upload.name = "fte.csv"
    response = client.post(reverse("staffing:fte_import"), {"file": upload})
    assert response.status_code == 400
    assert "<td>3</td><td>unit</td><td>ingen enhet har koden eller namnet lonX</td>" in response.content.decode()
    assert not MonthlyFte.objects.exists()


def test_unit_manager_sees_only_their_unit(client, unit_manager, unit, other_unit):
    factories.MonthlyFteFactory(unit=other_unit, fte=Decimal("26.95"))
    client.force_login(unit_manager)
    response = client.get(reverse("staffing:fte"), {"year": 2012})
    assert [s["unit"] for s in response.context["sections"]] == [unit]
    assert "26,95" not in response.content.decode()


def test_a_unit_the_agency_import_made_by_its_name_is_found_by_that_name(unit):
    """One unit lookup for every import: by code or by name, whatever case."""
    from customers.imports import import_agencies
    from organisation.models import Unit

    agencies = import_agencies(io.BytesIO("code;name;kind;unit\nSK;Skarpnäck;district;Lön Söder\n".encode()))
    assert agencies.imported, agencies.errors
    created = Unit.objects.get(name="Lön Söder")
    result = imports.import_fte(file=_csv("2012-03;Lön Söder;payroll_admin;3", "2012-03;LON1;manager;1"))
    assert result.imported, result.errors
    assert _values() == {
        ("2012-03", created.code, "payroll_admin"): Decimal("3.00"),
        ("2012-03", "lon1", "manager"): Decimal("1.00"),
    }
