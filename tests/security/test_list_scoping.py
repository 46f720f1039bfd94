"""Lists, queues and exports of unit-bound roles hold their own unit's objects and none of another's.

The IDOR test covers URLs that name an object; these are the URLs that list many (pages and their
CSV/Excel downloads), where a forgotten filter would leak a whole unit at once.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from payroll.models import AggregatedPeriod, MonthlyVolume
from tests import factories
from tests.access import collect_rules

RULES = collect_rules()
UNIT_BOUND_ROLES = (roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.UNIT_MANAGER)

# (url name, query, the marker text each unit's objects show in it)
LISTS = [
    ("customers:agency_list", {}, "agency"),
    ("customers:agency_list", {"export": "csv"}, "agency"),
    ("customers:agency_list", {"export": "xlsx"}, "agency"),
    ("customers:log_list", {}, "log"),
    ("customers:log_list", {"export": "csv"}, "log"),
    ("customers:complaint_list", {}, "agency_code"),
    ("payroll:case_list", {}, "agency_code"),
    ("payroll:case_export", {"format": "csv"}, "agency_code"),
    ("payroll:case_export", {"format": "xlsx"}, "agency_code"),
    ("payroll:queue", {"bucket": "team"}, "agency_code"),
    ("pensions:case_list", {}, "pension_case"),
    ("pensions:case_export", {"format": "csv"}, "pension_case"),
    ("pensions:queue", {"tab": "team"}, "pension_case"),
    ("pensions:signal_lists", {}, "signal_list"),
    ("staffing:absences", {}, "staff"),
    ("staffing:staff", {}, "staff"),
    ("staffing:skills", {}, "staff"),
    ("payroll:deviation_list", {}, "agency_code"),
    ("reporting:volume_report", {"period": "2012-03"}, "agency_code"),
    # The top bar's search: a text both units' agencies hold (cases and people: tests/lonservice/test_search.py).
    ("search", {"q": "AGENCY"}, "agency_code"),
    ("reporting:volume_report", {"period": "2012-03", "format": "csv"}, "agency_code"),
]


def _unit_data(unit, prefix):
    agency = factories.AgencyFactory(code=f"{prefix}AGENCY", name=f"{prefix} förvaltning", unit=unit)
    factories.CustomerLogEntryFactory(agency=agency, summary=f"{prefix} kundmöte")
    factories.ComplaintFactory(agency=agency)
    factories.ManualCaseFactory(agency=agency, period="2012-03")
    factories.DeviationFactory(agency=agency)
    factories.PensionCaseFactory(agency=agency, unit=unit, number=f"{prefix}-PE-1")
    factories.SignalListFactory(unit=unit, name=f"{prefix} signallista")
    factories.AbsenceFactory(staff_member__unit=unit, staff_member__name=f"{prefix} Anställd")
    MonthlyVolume.objects.create(period="2012-03", agency=agency, unit=unit, channel="manual", payslips=7)
    return {
        "agency": f"{prefix} förvaltning",
        "log": f"{prefix} kundmöte",
        "agency_code": f"{prefix}AGENCY",
        "pension_case": f"{prefix}-PE-1",
        "signal_list": f"{prefix} signallista",
        "staff": f"{prefix} Anställd",
    }


@pytest.fixture
def two_units(unit, other_unit):
    AggregatedPeriod.objects.create(period="2012-03")
    return {"own": _unit_data(unit, "EGEN"), "foreign": _unit_data(other_unit, "FRAMMANDE")}


def _text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize(("url_name", "query", "marker"), LISTS)
def test_a_unit_bound_role_lists_only_its_own_unit(url_name, query, marker, client, users_by_role, two_units, idor):
    allowed = [role for role in UNIT_BOUND_ROLES if role in RULES[url_name].allowed]
    assert allowed, f"{url_name}: no unit-bound role may use it; take it off the list"
    for role in allowed:
        client.force_login(users_by_role[role])
        response = client.get(reverse(url_name), query)
        assert response.status_code == 200, (url_name, role, response.status_code)
        text = _text(response)
        assert two_units["own"][marker] in text, (url_name, role, "own unit's object missing: the check is void")
        assert two_units["foreign"][marker] not in text, (url_name, role, "another unit's object is listed")
    idor.append((f"list:{url_name}?{query}", len(allowed)))


def test_service_wide_roles_list_every_unit(client, head_of_service, two_units):
    client.force_login(head_of_service)
    text = client.get(reverse("payroll:case_export"), {"format": "csv"}).content.decode()
    assert "EGENAGENCY" in text and "FRAMMANDEAGENCY" in text
