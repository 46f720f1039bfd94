"""The phone service's monthly figures and the yearly customer survey."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.periods import periods_between
from staffing import imports, selectors
from staffing.models import CustomerSurvey, PhoneServiceMonth
from tests import factories
from tests.factories import refused

HEADER = "period;calls;answered_25s;first_contact_resolved;emails;emails_within_1d\n"


def _csv(*rows):
    return io.BytesIO((HEADER + "\n".join(rows) + "\n").encode())


def test_phone_shares_are_summed_over_the_months(db):
    factories.PhoneServiceMonthFactory(period="2012-01", calls=5000, answered_25s=4000, first_contact_resolved=4100,
                                       emails=2000, emails_within_1d=1900)  # fmt: skip
    factories.PhoneServiceMonthFactory(period="2012-02", calls=3000, answered_25s=2800, first_contact_resolved=2300,
                                       emails=1000, emails_within_1d=1000)  # fmt: skip
    figures = selectors.phone_service(periods=periods_between("2012-01", "2012-04"))
    assert figures == {
        "months": 2,
        "calls": 8000,
        "answered_25s": 6800,
        "answered_25s_pct": Decimal("85.0"),
        "first_contact_resolved": 6400,
        "first_contact_pct": Decimal("80.0"),
        "emails": 3000,
        "emails_within_1d": 2900,
        "emails_within_1d_pct": Decimal("96.7"),
        "measured": False,  # no enquiries registered: the typed-in shares
    }
    empty = selectors.phone_service(periods=["2013-01"])
    assert (empty["months"], empty["answered_25s_pct"]) == (0, None)


def test_phone_import_writes_and_replaces_months(db):
    factories.PhoneServiceMonthFactory(period="2012-03", calls=6000)
    summary = imports.import_phone(file=_csv("2012-03;5210;4480;4190;2380;2310", "2012-04;4950;4330;4050;2190;2140"))
    assert (summary.counts["created"], summary.counts["updated"]) == (1, 1)
    march = PhoneServiceMonth.objects.get(period="2012-03")
    assert (march.calls, march.answered_25s, march.emails_within_1d) == (5210, 4480, 2310)


@pytest.mark.parametrize(
    "row, column",
    [
        ("2012-3;5000;4000;4000;2000;1900", "period"),
        ("2012-04;5000;4000;4000;2000;1900", "period"),  # the month twice
        ("2012-05;5 000,5;4000;4000;2000;1900", "calls"),
        ("2012-05;5000;-1;4000;2000;1900", "answered_25s"),
        ("2012-05;5000;5001;4000;2000;1900", "answered_25s"),
        ("2012-05;5000;4000;5001;2000;1900", "first_contact_resolved"),
        ("2012-05;5000;4000;4000;2000;2001", "emails_within_1d"),
    ],
)
def test_phone_import_row_errors_reject_the_file(db, row, column):
    rejected_errors = refused(imports.import_phone(file=_csv("2012-04;4950;4330;4050;2190;2140", row)))
    assert [(e.row, e.column) for e in rejected_errors] == [(3, column)]
    assert not PhoneServiceMonth.objects.exists()


def test_import_phone_command(tmp_path, db):
    path = tmp_path / "telefoni.csv"
    path.write_text(HEADER + "2012-03;5210;4480;4190;2380;2310\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_phone", str(path), stdout=out)
    assert "Importerat 2012-03: 1 nya" in out.getvalue()


def test_phone_figures_entered_by_hand(client, unit_manager):
    client.force_login(unit_manager)
    payload = {"period": "2012-03", "calls": "5000", "answered_25s": "4300", "first_contact_resolved": "4000",
               "emails": "2000", "emails_within_1d": "1990"}  # fmt: skip
    assert client.post(reverse("staffing:phone_new"), payload).status_code == 302
    page = client.get(reverse("staffing:phone"), {"year": 2012})
    assert page.context["total"]["answered_25s_pct"] == Decimal("86.0")
    assert "86,0" in page.content.decode()
    # Correcting the month keeps the period and writes the history.
    assert (
        client.post(reverse("staffing:phone_edit", args=["2012-03"]), {**payload, "calls": "5100"}).status_code == 302
    )
    assert PhoneServiceMonth.objects.get().calls == 5100
    assert PhoneServiceMonth.history.filter(history_user=unit_manager).count() == 2


def test_impossible_phone_figures_are_refused(client, unit_manager):
    client.force_login(unit_manager)
    payload = {"period": "2012-03", "calls": "100", "answered_25s": "101", "first_contact_resolved": "50",
               "emails": "10", "emails_within_1d": "11"}  # fmt: skip
    response = client.post(reverse("staffing:phone_new"), payload)
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"answered_25s", "emails_within_1d"}
    assert not PhoneServiceMonth.objects.exists()


def test_phone_upload_shows_row_errors(client, head_of_service):
    client.force_login(head_of_service)
    upload = io.BytesIO((HEADER + "2012-03;100;101;50;10;10\n").encode())
    upload.name = "telefoni.csv"
    response = client.post(reverse("staffing:phone_import"), {"file": upload})
    assert response.status_code == 400
    assert "<td>2</td><td>answered_25s</td>" in response.content.decode()
    assert not PhoneServiceMonth.objects.exists()


def test_customer_satisfaction_of_a_year(db):
    factories.CustomerSurveyFactory(year=2012, satisfied_pct=Decimal("88.0"), nki=Decimal("77.0"))
    assert selectors.customer_satisfaction(year=2012) == {
        "year": 2012,
        "satisfied_pct": Decimal("88.0"),
        "nki": Decimal("77.0"),
        "respondents": 180,
    }
    assert selectors.customer_satisfaction(year=2011) is None


def test_head_of_service_enters_the_survey_result(client, head_of_service):
    client.force_login(head_of_service)
    response = client.post(
        reverse("staffing:survey_new"), {"year": "2012", "satisfied_pct": "91,5", "nki": "76", "respondents": "170"}
    )
    assert response.status_code == 302
    survey = CustomerSurvey.objects.get()
    assert (survey.satisfied_pct, survey.nki, survey.updated_by) == (Decimal("91.5"), Decimal("76.0"), head_of_service)
    page = client.get(reverse("staffing:survey")).content.decode()
    assert '<span class="badge ok">91,5 %</span>' in page


def test_survey_shares_out_of_range_are_refused(client, head_of_service):
    client.force_login(head_of_service)
    response = client.post(reverse("staffing:survey_new"), {"year": "2012", "satisfied_pct": "120", "nki": "76"})
    assert response.status_code == 200 and "satisfied_pct" in response.context["form"].errors
    assert not CustomerSurvey.objects.exists()


def test_unit_manager_reads_but_does_not_enter_the_survey(client, unit_manager):
    factories.CustomerSurveyFactory()
    client.force_login(unit_manager)
    assert client.get(reverse("staffing:survey")).status_code == 200
    assert (
        client.post(reverse("staffing:survey_edit", args=[2012]), {"satisfied_pct": "99", "nki": "99"}).status_code
        == 403
    )
    assert CustomerSurvey.objects.get().satisfied_pct == Decimal("88.0")


def test_pension_and_case_handlers_see_no_staffing_pages(client, pension_handler, case_handler):
    for user in (pension_handler, case_handler):
        client.force_login(user)
        for name in ("staffing:fte", "staffing:sick_leave", "staffing:phone", "staffing:survey"):
            assert client.get(reverse(name)).status_code == 403
