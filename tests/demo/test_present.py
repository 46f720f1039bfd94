"""The demo opens on one coherent present: the seeds' 2012 laid on today's calendar, the months before
today closed in order through the close service, the current month open with work in progress, nothing
dated after today, and every page's default on the demo year."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from core.models import ClosedPeriod
from customers.models import Agency, Complaint, CustomerLogEntry, ServiceAgreement
from demo import calendar
from demo import payroll as payroll_demo
from invoicing.models import CloseJob, Invoice
from payroll.models import PayrollCase
from pensions.models import PensionCase
from pricing.models import PriceList
from reporting import dashboards
from reporting import views as reporting_views
from staffing.models import Absence, MonthlyFte, PhoneServiceMonth

TODAY = dt.date(2026, 4, 15)


@pytest.mark.parametrize(
    "today, year, months",
    [
        (dt.date(2026, 12, 2), 2026, list(range(1, 12))),
        (dt.date(2027, 1, 10), 2026, list(range(1, 13))),
        (dt.date(2026, 2, 1), 2026, [1]),
    ],
)
def test_the_demo_year_is_last_months_year_and_its_months_those_before_this_one(monkeypatch, today, year, months):
    monkeypatch.setattr(calendar, "present", lambda: today)
    assert (calendar.year(), calendar.months()) == (year, months)
    assert calendar.shifted(dt.date(2012, 2, 29)) == dt.date(year, 2, 28 if year % 4 else 29)
    assert calendar.shifted(dt.date(2013, 3, 29)) == dt.date(year + 1, 3, 29)


@pytest.fixture
def seeded(db, settings, monkeypatch):
    settings.SEED_DEMO_ALLOWED = True
    monkeypatch.setattr(calendar, "present", lambda: TODAY)
    monkeypatch.setattr(payroll_demo, "PAYSLIPS_PER_YEAR", 6_000)  # a hundredth of the scale
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_lays_the_seed_year_on_todays_calendar(seeded):
    # January to March closed, one after the other, through the close service; April open.
    jobs = list(CloseJob.objects.order_by("pk").values_list("period", "state"))
    assert jobs == [("2026-01", "done"), ("2026-02", "done"), ("2026-03", "done")]
    assert sorted(ClosedPeriod.objects.values_list("period", flat=True)) == ["2026-01", "2026-02", "2026-03"]
    assert set(Invoice.objects.values_list("period", flat=True)) == {"2026-01", "2026-02", "2026-03"}
    # The current month is open with work in progress: manual cases and pension cases not finished.
    assert PayrollCase.objects.filter(period__gte="2026-04").exclude(status="completed").exists()
    assert PensionCase.objects.filter(status__in=["received", "investigating", "waiting"]).exists()
    # The demo year's agreements, and the seed's 2012 prices as the demo year's price list.
    assert ServiceAgreement.objects.filter(year=2026).count() == Agency.objects.count() == 33
    prices = dict(PriceList.objects.get(year=2026).items.values_list("item_code", "price"))
    assert (prices["self_service"], prices["manual"]) == (58, 95)
    # Nothing dated after today, and nothing of another year but next year's price list.
    assert not CustomerLogEntry.objects.filter(date__gt=TODAY).exists()
    assert not Complaint.objects.filter(received_on__gt=TODAY).exists()
    assert not Absence.objects.filter(first_day__gt=TODAY).exists()
    assert not PensionCase.objects.filter(received_on__gt=TODAY).exists()
    assert not PensionCase.objects.filter(decided_on__gt=TODAY).exists()
    assert sorted(set(MonthlyFte.objects.values_list("period", flat=True))) == ["2026-01", "2026-02", "2026-03"]
    assert sorted(PhoneServiceMonth.objects.values_list("period", flat=True)) == ["2026-01", "2026-02", "2026-03"]
    assert not PayrollCase.objects.exclude(period__startswith="2026-").exists()
    assert CustomerLogEntry.objects.filter(date__year=2026).exists()
    # Progress as it goes, with timings.
    assert "Demo year 2026" in seeded and "closed 2026-03:" in seeded and " s)" in seeded
    # Every page defaults to the demo year: the reports and dashboards to its last closed month.
    assert reporting_views._default_period() == "2026-03"
    assert dashboards.default_tertial() == (2026, 1)
