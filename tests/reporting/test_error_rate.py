"""The error rate in the tertial report: corrected payments per 10,000 payslips, lower is better."""

import datetime as dt
from decimal import Decimal

import pytest

from organisation.models import Target
from payroll.models import AggregatedPeriod, MonthlyVolume
from tests import factories

pytestmark = pytest.mark.django_db


def _volume(agency, period, payslips):
    MonthlyVolume.objects.create(period=period, agency=agency, unit=agency.unit, channel="manual", payslips=payslips)
    AggregatedPeriod.objects.get_or_create(period=period)


def test_the_tertial_report_has_the_error_rate_against_its_target(unit):
    from reporting.services.board import tertial_report

    agency = factories.AgencyFactory(unit=unit)
    # Seed 000: about 50,000 payslips a month, 200,000 in January to April.
    for month in ("2012-01", "2012-02", "2012-03", "2012-04"):
        _volume(agency, month, 50_000)
    for day in (dt.date(2012, 1, 20), dt.date(2012, 2, 24), dt.date(2012, 4, 25)):
        factories.DeviationFactory(agency=agency, occurred_on=day)
    factories.DeviationFactory(agency=agency, occurred_on=dt.date(2012, 5, 25))  # the next tertial
    factories.DeviationFactory(agency=agency, kind="late_payment", occurred_on=dt.date(2012, 3, 25))  # not a correction
    Target.objects.create(indicator=Target.Indicator.ERROR_RATE, year=2012, value=Decimal("1"))
    rows = {row["indicator"]: row for row in tertial_report(year=2012, tertial=1).rows}
    row = rows[Target.Indicator.ERROR_RATE]
    assert (row["value"], row["target"], row["status"]) == (Decimal("0.15"), Decimal("1"), True)
    Target.objects.filter(indicator=Target.Indicator.ERROR_RATE).update(value=Decimal("0.1"))
    row = {r["indicator"]: r for r in tertial_report(year=2012, tertial=1).rows}[Target.Indicator.ERROR_RATE]
    assert row["status"] is False  # 0.15 is more than at most 0.1


def test_a_tertial_without_payslips_has_no_error_rate(db):
    from reporting.services.board import tertial_report

    row = {r["indicator"]: r for r in tertial_report(year=2030, tertial=1).rows}[Target.Indicator.ERROR_RATE]
    assert row["value"] is None and row["no_data"]
