"""Feedback and complaints from the portal: they land in the complaints register with the contact as
sender, and the contact follows their own with the answers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from customers import services
from customers.models import Complaint
from tests.factories import AgencyContactAccessFactory, AgencyFactory, ComplaintFactory

pytestmark = pytest.mark.django_db


def test_feedback_sent_from_the_portal_is_in_the_register_with_the_contact_as_sender(
    client, agency_contact, unit_manager
):
    agency = agency_contact.agency_accesses.get().agency
    client.force_login(agency_contact)
    response = client.post(
        reverse("portal:feedback_create"),
        {"agency": agency.pk, "kind": "complaint", "category": "late", "description": "Lönen kom en dag sent."},
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:feedback_list")
    complaint = Complaint.objects.get()
    assert (complaint.agency, complaint.sender, complaint.registered_by) == (agency, agency_contact, agency_contact)
    assert complaint.kind == "complaint" and complaint.status == "open"
    assert complaint.received_on == timezone.localdate()
    # The unit manager finds it in the register, and sees who sent it.
    client.force_login(unit_manager)
    assert "Lönen kom en dag sent." in client.get(reverse("customers:complaint_list")).content.decode()
    detail = client.get(reverse("customers:complaint_detail", args=[complaint.pk])).content.decode()
    assert agency_contact.get_full_name() in detail and "från portalen" in detail


def test_the_contact_sees_their_own_submissions_and_the_answers_and_no_one_elses(client, agency_contact, unit_manager):
    agency = agency_contact.agency_accesses.get().agency
    mine = services.submit_feedback(
        agency=agency, sender=agency_contact, category="information", description="Blanketten saknas."
    )
    services.handle_complaint(
        complaint=mine, handler=unit_manager, status="resolved", resolution="Blanketten finns nu på informationssidan."
    )
    ComplaintFactory(agency=agency, description="Tagen i telefon av handläggaren.")
    colleague = AgencyContactAccessFactory(agency=agency).user
    services.submit_feedback(agency=agency, sender=colleague, category="other", description="Kollegans synpunkt.")
    client.force_login(agency_contact)
    page = client.get(reverse("portal:feedback_list")).content.decode()
    assert "Blanketten saknas." in page and "Blanketten finns nu på informationssidan." in page and "Åtgärdad" in page
    assert "Tagen i telefon" not in page and "Kollegans synpunkt." not in page


def test_feedback_without_a_text_or_for_another_agency_is_refused(client, agency_contact, unit):
    other = AgencyFactory(unit=unit)
    client.force_login(agency_contact)
    url = reverse("portal:feedback_create")
    empty = client.post(
        url,
        {
            "agency": agency_contact.agency_accesses.get().agency.pk,
            "kind": "feedback",
            "category": "other",
            "description": "  ",
        },
    )
    foreign = client.post(url, {"agency": other.pk, "kind": "feedback", "category": "other", "description": "Hej"})
    assert empty.status_code == foreign.status_code == 200
    assert not Complaint.objects.exists()
