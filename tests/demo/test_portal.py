"""The demo's portal: customer messages, the centre's forms in their versions (valid PDFs), one open and
one answered invoice dispute of the agency contact and a piece of feedback; loaded twice, once."""

import pytest

from accounts import roles
from customers.models import AgencyNotice, CentreForm, CentreFormVersion, Complaint, CustomerMessage
from customers.selectors import contact_agencies
from demo import portal as demo
from invoicing.models import InvoiceDispute
from tests import factories

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (CustomerMessage, AgencyNotice, CentreForm, CentreFormVersion, InvoiceDispute, Complaint)
    ]


def test_the_demo_fills_the_portal_once(
    unit, other_unit, head_of_service, unit_manager, administrator, finance, agency_contact
):
    (agency,) = contact_agencies(agency_contact)
    factories.AgencyFactory(unit=unit, code="L11")
    factories.AgencyFactory(unit=other_unit, code="L21")
    may, june = (factories.issued_invoice(agency=agency, period=p) for p in ("2012-05", "2012-06"))
    users = {
        roles.HEAD_OF_SERVICE: head_of_service,
        roles.UNIT_MANAGER: unit_manager,
        roles.ADMINISTRATOR: administrator,
        roles.FINANCE: finance,
        roles.AGENCY_CONTACT: agency_contact,
    }
    demo.load(users=users)
    first = _counts()
    demo.load(users=users)  # again: nothing added
    # Two messages: to all three agencies and to unit 1's two; two forms, three versions; two disputes
    # and the feedback in the register.
    assert first == _counts()
    assert first[:1] + first[2:] == [2, 2, 3, 2, 3]
    assert AgencyNotice.objects.filter(kind=AgencyNotice.Kind.CUSTOMER_MESSAGE).count() == 5  # one per agency
    hire = CentreForm.objects.get(name="Blankett för anställning")
    assert hire.current.number == 2 and hire.current.note.startswith("Nytt fält")
    with hire.current.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert set(CustomerMessage.objects.get(to_all=False).agencies.values_list("code", flat=True)) == {"KONTAKT1", "L11"}

    answered = InvoiceDispute.objects.get(outcome="replied")
    assert answered.invoice == may and answered.complaint.status == "resolved"
    assert answered.complaint.resolution == demo.ANSWER
    waiting = InvoiceDispute.objects.get(outcome="open")
    assert waiting.invoice == june and waiting.complaint.sender == agency_contact
    assert Complaint.objects.get(kind="feedback").sender == agency_contact
