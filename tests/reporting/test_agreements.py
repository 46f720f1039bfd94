"""Agreements followed up and renewed: per agency, the promises and how the year went, the renewal list,
and the unit manager's reminder from October."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from customers.models import Agency
from lonservice.today import panels_for
from reporting.services import agreements
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(unit):
    agency = factories.AgencyFactory(unit=unit, code="SDN1")
    factories.ServiceAgreementFactory(agency=agency, year=2012, lead_time_days=5)
    for used in (3, 5, 6, 9):  # two within the lead time of 5, two not
        factories.PayrollCaseFactory(agency=agency, period="2012-03", lead_time_days=5, working_days_used=used)
    factories.PayrollCaseFactory(agency=agency, period="2012-04", is_late=True)
    factories.CaseReturnFactory(case__agency=agency, returned_on=dt.date(2012, 3, 6))
    factories.CustomerLogEntryFactory(agency=agency, date=dt.date(2012, 3, 15))
    factories.ComplaintFactory(agency=agency, received_on=dt.date(2012, 5, 2))
    factories.ComplaintFactory(agency=agency, received_on=dt.date(2011, 5, 2))  # another year
    return agency


def test_the_years_fulfilment_per_agency(agency):
    ServiceAgreement = agency.agreements.model
    ServiceAgreement.objects.filter(agency=agency).update(opening_hours="Vardagar 8–16")

    (row,) = agreements.follow_up(year=2012, agencies=Agency.objects.filter(pk=agency.pk))

    assert (row["lead_time_days"], row["opening_hours"]) == (5, "Vardagar 8–16")
    assert (row["handled"], row["lead_time_met_pct"]) == (4, Decimal("50.0"))
    assert (row["late_documents"], row["returns"], row["complaints"]) == (1, 1, 1)
    assert (row["meetings"], row["meetings_target"]) == (1, 2)
    assert row["next_year"] is False


def test_the_renewal_list_and_the_page_with_its_csv(client, unit_manager, agency, unit):
    renewed = factories.AgencyFactory(unit=unit, code="SDN2")
    factories.ServiceAgreementFactory(agency=renewed, year=2013)
    today = dt.date(2012, 10, 1)
    assert list(agreements.to_renew(agencies=Agency.objects.all(), today=today)) == [agency]

    client.force_login(unit_manager)
    page = client.get(reverse("reporting:agreement_follow_up"), {"year": 2012})
    assert [r["agency"].code for r in page.context["to_renew"]] == ["SDN1"]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("reporting:agreement_follow_up"), {"year": 2012, "format": "csv"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0] == agreements.CSV_HEADER
    assert rows[1][0] == "SDN1" and rows[1][5] == "50.0" and rows[1][-1] == "no"


def test_the_unit_manager_is_reminded_from_october(unit_manager, agency):
    def tile(day):
        labels = [t.label for p in panels_for(unit_manager, today=day) for t in p.tiles]
        return [label for label in labels if "serviceavtal" in label or "service agreement" in label]

    assert tile(dt.date(2012, 9, 30)) == []
    assert len(tile(dt.date(2012, 10, 1))) == 1
