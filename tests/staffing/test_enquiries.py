"""The phone service's enquiries: registered in a few seconds, e-mails queued until answered within
24 hours, and the first-contact and e-mail shares measured from them (replacing the typed-in ones)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from staffing import selectors, services
from staffing.models import Enquiry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(unit):
    return factories.AgencyFactory(unit=unit, code="SDF01")


def _enquiry(agency, user, *, channel="phone", resolved=False, received_at, answered_at=None):
    return Enquiry.objects.create(
        agency=agency,
        asked_by="Kontakt",
        channel=channel,
        topic="salary",
        resolved_first_contact=resolved,
        received_at=received_at,
        answered_at=answered_at,
        registered_by=user,
    )


def test_a_phone_call_is_registered_and_resolved_at_once(client, case_handler, agency):
    client.force_login(case_handler)
    response = client.post(
        reverse("staffing:enquiries"),
        {
            "agency": agency.pk,
            "asked_by": "Eva på SDF01",
            "channel": "phone",
            "topic": "tax",
            "resolved_first_contact": "on",
        },
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.resolved_first_contact and enquiry.answered_at is not None and enquiry.answered_by == case_handler


def test_an_email_waits_until_answered_and_overdue_ones_are_marked(client, case_handler, agency):
    now = timezone.now()
    late = _enquiry(agency, case_handler, channel="email", received_at=now - dt.timedelta(hours=30))
    fresh = _enquiry(agency, case_handler, channel="email", received_at=now - dt.timedelta(hours=2))
    client.force_login(case_handler)
    page = client.get(reverse("staffing:enquiries"))
    queue = page.context["queue"]
    assert [row["enquiry"].pk for row in queue] == [late.pk, fresh.pk]
    assert [row["overdue"] for row in queue] == [True, False]
    client.post(reverse("staffing:enquiry_answer", args=[fresh.pk]))
    fresh.refresh_from_db()
    assert fresh.answered_by == case_handler and fresh.answered_in_time
    assert [e.pk for e in selectors.email_queue(case_handler)] == [late.pk]
    # Answering twice is refused.
    with pytest.raises(Exception):  # noqa: B017 - ValidationError
        services.answer_enquiry(enquiry=fresh, user=case_handler)


def test_the_shares_are_measured_from_the_enquiries(case_handler, agency):
    march = timezone.make_aware(dt.datetime(2012, 3, 10, 9, 0))
    for resolved in (True, True, True, False):
        _enquiry(agency, case_handler, resolved=resolved, received_at=march)
    _enquiry(agency, case_handler, channel="email", received_at=march, answered_at=march + dt.timedelta(hours=5))
    _enquiry(agency, case_handler, channel="email", received_at=march, answered_at=march + dt.timedelta(hours=30))
    _enquiry(agency, case_handler, channel="email", received_at=march)  # never answered: late
    _enquiry(agency, case_handler, received_at=march.replace(month=4))  # another month
    figures = selectors.enquiry_figures(periods=["2012-03"])
    assert (figures["phone"], figures["phone_resolved"], str(figures["first_contact_pct"])) == (4, 3, "75.0")
    assert (figures["emails"], figures["emails_in_time"]) == (3, 1)
    # The phone service's figures take them instead of the typed-in shares; the calls stay the month's.
    factories.PhoneServiceMonthFactory(period="2012-03")
    phone = selectors.phone_service(periods=["2012-03"])
    assert phone["measured"] and phone["first_contact_pct"] == figures["first_contact_pct"]
    assert phone["emails_within_1d_pct"] == figures["emails_within_1d_pct"]
    assert phone["calls"] > 0


def test_without_enquiries_the_typed_in_figures_stand(db):
    factories.PhoneServiceMonthFactory(period="2012-05")
    phone = selectors.phone_service(periods=["2012-05"])
    assert not phone["measured"] and phone["first_contact_pct"] is not None


def test_another_units_enquiries_are_out_of_reach(client, case_handler, other_unit):
    foreign = factories.AgencyFactory(unit=other_unit)
    email = _enquiry(foreign, case_handler, channel="email", received_at=timezone.now())
    client.force_login(case_handler)
    assert client.post(reverse("staffing:enquiry_answer", args=[email.pk])).status_code == 404
    assert client.get(reverse("staffing:enquiries")).context["queue"] == []
    response = client.post(
        reverse("staffing:enquiries"), {"agency": foreign.pk, "asked_by": "X", "channel": "phone", "topic": "tax"}
    )
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    assert Enquiry.objects.count() == 1
