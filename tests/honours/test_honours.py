"""Honour awards: who qualifies (pay on record, an imported list), the decision and delivery, the
yearly list per agency, and the time spent taken out of payroll productivity."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from honours import imports, services
from honours.models import HonourAward
from reporting.services.productivity import payroll_fte_per_month, productivity_figures
from tests import factories
from tests.factories import refused

pytestmark = pytest.mark.django_db


def _file(text):
    return io.BytesIO(text.encode("utf-8"))


def test_the_pay_on_record_finds_who_reaches_25_years_once(unit):
    agency = factories.AgencyFactory(unit=unit)
    veteran, newcomer, gone = factories.PersonFactory(), factories.PersonFactory(), factories.PersonFactory()
    for period in ("2000-03", "2024-12"):
        factories.PayrollCaseFactory(agency=agency, person=veteran, period=period)
    factories.PayrollCaseFactory(agency=agency, person=newcomer, period="2001-01")  # 24 years in 2025
    factories.PayrollCaseFactory(agency=agency, person=newcomer, period="2025-01")
    factories.PayrollCaseFactory(agency=agency, person=gone, period="1999-01")  # not paid since 2000

    assert services.find_from_pay(year=2025, agencies=[agency]) == 1
    award = HonourAward.objects.get()
    assert (award.person, award.employed_since, award.source) == (veteran, dt.date(2000, 3, 1), "pay")
    assert services.find_from_pay(year=2025, agencies=[agency]) == 0


def test_an_agencys_list_is_imported_all_or_nothing(unit):
    agency = factories.AgencyFactory(unit=unit, code="SDN01")
    known = factories.PersonFactory()
    HonourAward.objects.create(year=2024, person=known, agency=agency, source="list")
    good = "19470312-1238;sdn01;2000-05-01;Gösta Berg"
    bad = [
        "19470312-1239;SDN01;;",  # check digit
        "19500101-0000;XX;;",  # unknown agency (and number)
        "194703121238;SDN01;;",  # twice
        f"{known.personnummer};SDN01;;",  # awarded 2024
        "19610101-0003;SDN01;2001-01-01;",  # 24 years
    ]
    errors = refused(
        imports.import_honour_list(
            file=_file("personnummer;agency;employed_since;name\n" + "\n".join([good, *bad]) + "\n"),
            year=2025,
            agencies=[agency],
        )
    )
    assert {(e.row, e.column) for e in errors} >= {
        (3, "personnummer"),
        (4, "agency"),
        (5, "personnummer"),
        (6, "personnummer"),
        (7, "employed_since"),
    }
    assert HonourAward.objects.count() == 1

    result = imports.import_honour_list(
        file=_file("personnummer;agency;employed_since;name\n" + good + "\n"), year=2025, agencies=[agency]
    )
    assert result.imported
    assert HonourAward.objects.get(year=2025).person.name == "Gösta Berg"


def test_a_gift_is_delivered_only_on_an_approved_award(head_of_service, unit):
    award = HonourAward.objects.create(
        year=2025, person=factories.PersonFactory(), agency=factories.AgencyFactory(unit=unit), source="list"
    )
    with pytest.raises(ValidationError):
        services.update_award(
            award=award, user=head_of_service, decision="pending", gift="watch", delivered_on=dt.date(2025, 5, 20)
        )
    award = services.update_award(
        award=award,
        user=head_of_service,
        decision="approved",
        ceremony_on=dt.date(2025, 5, 20),
        gift="watch",
        delivered_on=dt.date(2025, 5, 20),
    )
    assert award.delivered and award.decided_on is not None


def test_the_yearly_list_per_agency_and_its_csv(client, head_of_service, unit):
    north, south = factories.AgencyFactory(unit=unit, code="N1"), factories.AgencyFactory(unit=unit, code="S1")
    for agency, n in ((north, 2), (south, 1)):
        for _ in range(n):
            HonourAward.objects.create(year=2025, person=factories.PersonFactory(), agency=agency, source="list")
    HonourAward.objects.filter(agency=north).update(decision="approved", decided_on=dt.date(2025, 3, 1))
    client.force_login(head_of_service)

    response = client.get(reverse("honours:list"), {"year": 2025})
    assert [(a["agency__code"], a["total"], a["approved"]) for a in response.context["per_agency"]] == [
        ("N1", 2, 2),
        ("S1", 1, 0),
    ]
    csv = client.get(reverse("honours:export"), {"year": 2025, "agency": "N1"}).content.decode()
    assert csv.count("\n") == 3 and "N1" in csv and "S1" not in csv


def test_the_time_spent_is_taken_out_of_payroll_productivity(head_of_service, unit):
    for period in ("2025-01", "2025-02"):
        factories.MonthlyFteFactory(period=period, unit=unit, category="payroll_admin", fte=Decimal("56.15"))
    before = productivity_figures(periods=["2025-01"], unit=unit, payslips=50_000, year=2025, targets={})

    services.set_honours_work(year=2025, unit=unit, fte=Decimal("0.18"))

    after = productivity_figures(periods=["2025-01"], unit=unit, payslips=50_000, year=2025, targets={})
    assert before["payroll_fte"] == Decimal("56.15") and after["payroll_fte"] == Decimal("55.97")
    assert after["payslips_per_fte"] > before["payslips_per_fte"]
    assert payroll_fte_per_month(periods=["2025-02"], unit=unit) == {"2025-02": Decimal("55.97")}
    assert payroll_fte_per_month(periods=["2024-12"], unit=unit) == {}
