"""Issue 15 item 6: draft invoices of the open month, priced by the close's own function, without a
number, with the change against last month per line; the close issues what the last draft showed;
before it runs, the close page lists missing payslip files and unfinished cases."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import ClosedPeriod
from customers.models import Agency
from invoicing.models import CloseJob, Invoice
from invoicing.services import close, drafts
from payroll.models import PayrollCase
from tests import factories

pytestmark = pytest.mark.django_db
COMPLETED = PayrollCase.Status.COMPLETED


@pytest.fixture
def march_with_everything(month_of_work):
    """March's work with a registered case on a payslip line, an urgent payout from its case,
    and late work of February (closed) invoiced in March."""
    a, b = month_of_work["a"], month_of_work["b"]
    ClosedPeriod.objects.create(period="2012-02")
    line = PayrollCase.objects.filter(agency=a, channel="manual").first()
    factories.ManualCaseFactory(agency=a, person=line.person, status=COMPLETED)
    factories.ManualCaseFactory(agency=b, channel="girovision", status=COMPLETED)
    factories.add_cases(b, "2012-02", billing_period="2012-03", manual=2)
    return month_of_work


def _issued(invoice):
    return [
        (
            line.item_code,
            line.quantity,
            line.unit_price,
            line.amount,
            line.base_price,
            line.surcharge,
            line.late_from_period,
        )
        for line in invoice.lines.order_by("position")
    ]


def _drafted(draft):
    return [
        (
            line.item_code,
            line.quantity,
            line.unit_price,
            line.amount,
            line.base_price,
            line.surcharge,
            line.late_from_period,
        )
        for line in draft.lines
    ]


def test_what_the_close_issues_equals_the_last_draft_for_the_same_data(march_with_everything):
    last_drafts = drafts.draft_invoices(period="2012-03", agencies=Agency.objects.all())
    assert [draft.agency.code for draft in last_drafts] == ["FF02", "SDF01"]
    job = CloseJob.objects.create(period="2012-03", trigger="test")
    assert close.run_close_job(job.pk).state == CloseJob.State.DONE
    for draft in last_drafts:
        invoice = Invoice.objects.get(agency=draft.agency, period="2012-03")
        assert _issued(invoice) == _drafted(draft)
        assert invoice.total == draft.total
        assert invoice.specification == draft.specification
    b_lines = {line[0]: line for line in _drafted(last_drafts[0])}
    # B's girovision: its payslip line and another employee's payout from its case.
    assert b_lines["girovision"][1] == 2 and ("manual", Decimal("2")) == b_lines["manual"][:2]
    assert b_lines["manual"][6] == "2012-02"


def test_a_draft_shows_the_change_against_last_months_invoice_per_line(month_of_work):
    a = month_of_work["a"]
    factories.add_cases(a, "2012-04", self_service=5, manual=1)
    job = CloseJob.objects.create(period="2012-03", trigger="test")
    close.run_close_job(job.pk)
    [draft] = [d for d in drafts.draft_invoices(period="2012-04", agencies=Agency.objects.all()) if d.agency == a]
    assert draft.last_issued and draft.last_total == Decimal("509.00")
    lines = {line.item_code: line for line in draft.lines}
    assert (lines["self_service"].quantity, lines["self_service"].last_quantity) == (5, 3)
    assert lines["self_service"].amount_change == Decimal("116.00")  # two more at 58 kr
    assert lines["agresso"].quantity == 0 and lines["agresso"].amount_change == Decimal("-145.00")
    assert draft.change == draft.total - Decimal("509.00")


def test_finance_sees_every_agencys_draft_and_a_unit_manager_only_the_own_units(
    march_with_everything, client, finance, unit_manager
):
    url = reverse("invoicing:draft_list") + "?period=2012-03"
    client.force_login(finance)
    page = client.get(url).content.decode()
    assert "SDF01" in page and "FF02" in page and "data-drafts" in page
    client.force_login(unit_manager)
    page = client.get(url).content.decode()
    assert "SDF01" in page and "FF02" not in page
    a, b = march_with_everything["a"], march_with_everything["b"]
    detail = client.get(reverse("invoicing:draft_detail", args=["2012-03", a.pk]))
    text = detail.content.decode()
    assert detail.status_code == 200 and "Utkast – inget fakturanummer" in text and "data-draft-lines" in text
    assert not Invoice.objects.exists()  # a draft issues nothing and uses no number
    assert client.get(reverse("invoicing:draft_detail", args=["2012-03", b.pk])).status_code == 404


def test_before_the_close_the_page_lists_missing_payslip_files_and_unfinished_cases(month_of_work, client, finance):
    factories.ManualCaseFactory(agency=month_of_work["b"], status=PayrollCase.Status.REGISTERED)
    client.force_login(finance)
    page = client.get(reverse("invoicing:close_list") + "?period=2012-03").content.decode()
    missing = page.split("data-missing-files", 1)[1].split("</ul>", 1)[0]
    assert "FF03" in missing and "SDF01" not in missing and "FF02" not in missing
    unfinished = page.split("data-unfinished", 1)[1].split("</ul>", 1)[0]
    assert "FF02" in unfinished and "1 ärende inte klart" in unfinished
