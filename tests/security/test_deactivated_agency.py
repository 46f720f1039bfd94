"""A deactivated agency is invoiced for its work up to its last day and nothing after (issue 14, item 15).

The agency page said a deactivated agency gets no new invoices, yet it was invoiced for months
after its last day. The rule (``invoicing.selectors.within_customer_life``): the months up to and
including the month of its last day are invoiced, late work of those months too; later months never.
"""

import datetime as dt

import pytest

from customers import services as customer_services
from invoicing.models import Invoice
from invoicing.services import close
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(unit):
    factories.price_list_2012()
    agency = factories.AgencyFactory(code="SLUT", unit=unit)
    customer_services.deactivate_agency(agency=agency, last_day=dt.date(2012, 3, 15))
    factories.add_cases(agency, "2012-03", self_service=2)
    factories.add_cases(agency, "2012-04", self_service=5)
    # March work completed after March was closed: billed to April, still March's work.
    factories.add_cases(agency, "2012-03", billing_period="2012-04", manual=1)
    factories.AddonHoursFactory(agreement__agency=agency, period="2012-04", hours=3)
    return agency


def test_work_before_the_last_day_is_invoiced_and_nothing_after(ended):
    (march,) = close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    assert {line.item_code: int(line.quantity) for line in march.lines.all()} == {"self_service": 2}
    (april,) = close.close_month(period="2012-04", invoice_date=dt.date(2012, 5, 10))
    lines = [(line.item_code, int(line.quantity), line.late_from_period) for line in april.lines.all()]
    assert lines == [("manual", 1, "2012-03")]
    assert close.close_month(period="2012-05", invoice_date=dt.date(2012, 6, 10)) == []
    assert Invoice.objects.filter(agency=ended).count() == 2


def test_a_reactivated_agency_is_invoiced_again(ended):
    customer_services.reactivate_agency(agency=ended)
    close.close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    (april,) = close.close_month(period="2012-04", invoice_date=dt.date(2012, 5, 10))
    assert {line.item_code for line in april.lines.all()} == {"self_service", "manual", "addon_hour"}
