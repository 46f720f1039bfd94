"""One bad add-on agreement holds its agency, never the whole month's close (issue 14, item 5).

A unit manager's add-on agreement at an item code that is not on the price list, with 0.25 h
registered, made the close fail for every agency; the same form let hours be billed at any item
(a payslip item, for example). The close prices every agency first: an agency whose month cannot
be priced is held with the reason on the close page, the others are invoiced, and finance issues
the held agency's invoice from the close page once the agreement is mended.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import ClosedPeriod
from customers.models import AddonAgreement
from invoicing.models import CloseJob, Invoice
from invoicing.services import close
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(unit):
    factories.price_list_2012()
    good = factories.AgencyFactory(code="GOOD", unit=unit)
    factories.add_cases(good, "2012-03", self_service=3)
    unknown = factories.AgencyFactory(code="UNKNOWN", unit=unit)
    factories.add_cases(unknown, "2012-03", manual=1)
    factories.AddonHoursFactory(agreement__agency=unknown, agreement__item_code="no_such_item", hours=Decimal("0.25"))
    payslip = factories.AgencyFactory(code="PAYSLIP", unit=unit)
    factories.AddonHoursFactory(agreement__agency=payslip, agreement__item_code="self_service", hours=Decimal("8"))
    return {"good": good, "unknown": unknown, "payslip": payslip}


def _run_close(finance):
    job = CloseJob.objects.create(period="2012-03", started_by=finance)
    return close.run_close_job(job.pk, invoice_date=dt.date(2012, 4, 10))


def test_the_bad_agencies_are_held_and_the_rest_invoiced(month, finance, client):
    job = _run_close(finance)
    assert job.state == CloseJob.State.DONE, job.error
    assert ClosedPeriod.objects.filter(period="2012-03").exists()
    assert list(Invoice.objects.values_list("agency__code", flat=True)) == ["GOOD"]
    assert "UNKNOWN" in job.message and "no_such_item" in job.message
    assert "PAYSLIP" in job.message and "self_service" in job.message

    client.force_login(finance)
    page = client.get(reverse("invoicing:close_detail", args=[job.pk])).content.decode()
    assert "no_such_item" in page and "PAYSLIP" in page
    # Not issued while the agreement is wrong.
    issue = reverse("invoicing:close_issue_held", args=[job.pk, month["unknown"].pk])
    client.post(issue)
    assert not Invoice.objects.filter(agency=month["unknown"]).exists()

    AddonAgreement.objects.filter(agency=month["unknown"]).update(item_code="addon_hour")
    response = client.post(issue)
    invoice = Invoice.objects.get(agency=month["unknown"], period="2012-03")
    assert response.status_code == 302 and response["Location"] == invoice.get_absolute_url()
    assert {line.item_code: line.quantity for line in invoice.lines.all()} == {
        "manual": Decimal("1"),
        "addon_hour": Decimal("0.25"),
    }
    page = client.get(reverse("invoicing:close_detail", args=[job.pk])).content.decode()
    assert "<strong>UNKNOWN</strong>" not in page and "<strong>PAYSLIP</strong>" in page
