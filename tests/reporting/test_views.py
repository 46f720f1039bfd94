"""The reporting pages: dashboards, reports and their downloads, targets, start pages."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from organisation.models import Target
from tests import factories


def test_unit_manager_sees_only_their_units_dashboard(volumes, client, unit_manager, other_unit):
    client.force_login(unit_manager)
    response = client.get(reverse("reporting:unit_dashboard"), {"period": "2012-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1\xa0900" in html  # lon1's payslips in March 2012
    # Another unit's dashboard by id: not found.
    assert client.get(reverse("reporting:unit_dashboard"), {"unit": other_unit.pk}).status_code == 404


def test_unit_manager_reports_show_only_their_units_agencies(volumes, client, unit_manager):
    client.force_login(unit_manager)
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("reporting:volume_report"), {"period": "2012-03", "format": "csv"}).content.decode()
            )
        )
    )
    assert [r["agency_code"] for r in rows] == ["V1", "Totalt"]  # the page's download, for people
    productivity = client.get(
        reverse("reporting:productivity_report"), {"scope": "month", "period": "2012-03", "format": "csv"}
    )
    units = [r["unit"] for r in csv.DictReader(io.StringIO(productivity.content.decode()))]
    assert units == ["Löneenhet 1"]


def test_report_page_with_a_bad_period_shows_the_error(db, client, head_of_service):
    client.force_login(head_of_service)
    response = client.get(reverse("reporting:volume_report"), {"period": "mars"})
    assert response.status_code == 200 and "fielderror" in response.content.decode()


def test_dashboards_show_charts_as_images_without_inline_scripts_or_styles(volumes, client, head_of_service):
    client.force_login(head_of_service)
    response = client.get(reverse("reporting:service_dashboard"), {"period": "2012-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('src="data:image/svg+xml;base64,') >= 3
    assert "<script>" not in html and 'style="' not in html
    import base64
    import re

    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)).decode()
    assert "<svg" in svg and "<script" not in svg


def test_report_pdf_and_xlsx_downloads(volumes, client, finance):
    client.force_login(finance)
    pdf = client.get(reverse("reporting:volume_report"), {"period": "2012-03", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("reporting:volume_report"), {"period": "2012-03", "format": "xlsx"})
    assert xlsx.content.startswith(b"PK")


def test_head_of_service_edits_a_target(db, client, head_of_service):
    from organisation.models import Target

    client.force_login(head_of_service)
    response = client.post(
        reverse("reporting:target_create"),
        {"indicator": Target.Indicator.PAYSLIPS_PER_PAYROLL_FTE, "year": 2013, "value": "975", "note": "Plan 2013"},
    )
    assert response.status_code == 302
    from organisation.targets import target_for

    assert target_for(Target.Indicator.PAYSLIPS_PER_PAYROLL_FTE, 2014) == 975
    duplicate = client.post(
        reverse("reporting:target_create"),
        {"indicator": Target.Indicator.PAYSLIPS_PER_PAYROLL_FTE, "year": 2013, "value": "1", "note": ""},
    )
    assert duplicate.status_code == 200 and Target.objects.filter(year=2013).count() == 1


def test_start_pages_of_the_reporting_roles_lead_to_their_reports(db, client, users_by_role):
    for role, url_name in [
        ("finance", "invoicing:close_list"),
        ("head_of_service", "reporting:service_dashboard"),
        ("unit_manager", "reporting:unit_dashboard"),
    ]:
        client.force_login(users_by_role[role])
        assert f'href="{reverse(url_name)}"' in client.get("/").content.decode(), role


# --- figures and links people can use (issue 22) ------------------------------------------------------


@pytest.mark.parametrize("role_fixture", ["unit_manager", "finance"])
def test_the_targets_page_links_to_the_edit_form_only_for_those_who_may_change_targets(
    db, client, request, role_fixture, head_of_service
):
    target = Target.objects.first()
    edit = reverse("reporting:target_edit", args=[target.pk])
    client.force_login(request.getfixturevalue(role_fixture))
    html = client.get(reverse("reporting:target_list")).content.decode()
    assert edit not in html and "42\xa0700\xa0000" in html  # the budget, grouped the Swedish way
    client.force_login(head_of_service)
    assert edit in client.get(reverse("reporting:target_list")).content.decode()


def test_the_service_dashboard_gives_the_monthly_budget_in_kronor_with_grouping(db, client, head_of_service):
    client.force_login(head_of_service)
    html = client.get(reverse("reporting:service_dashboard"), {"period": "2012-03"}).content.decode()
    # March's share of the one monthly allocation of 42.7 million (January to April get the four kronor left over)
    assert "Budget 3\xa0558\xa0334\xa0kr" in html and "3558334" not in html


def test_the_nki_is_written_without_a_trailing_zero(db):
    from django.utils import translation

    from reporting.services.board import tertial_report

    factories.CustomerSurveyFactory(year=2012, nki=Decimal("77.0"))
    with translation.override("sv"):
        rows = {row["indicator"]: row for row in tertial_report(year=2012, tertial=1).rows}
    assert rows[Target.Indicator.SATISFIED_CUSTOMERS]["note"] == "NKI 77"
