"""Customer log, the customer-meetings page and feedback and complaints in the browser."""

import datetime as dt

import pytest
from django.urls import reverse

from customers.models import Complaint, CustomerLogEntry
from tests.factories import AgencyFactory, ComplaintFactory, CustomerLogEntryFactory

pytestmark = pytest.mark.django_db


def test_a_case_handler_logs_a_call_in_their_name(client, case_handler, unit):
    agency = AgencyFactory(unit=unit)
    client.force_login(case_handler)
    response = client.post(
        reverse("customers:log_create") + f"?agency={agency.pk}",
        {"date": "2012-03-05", "kind": "call", "summary": "Frågade om sista dag för underlag"},
    )
    assert response.status_code == 302
    entry = CustomerLogEntry.objects.get()
    assert (entry.agency, entry.author, entry.kind) == (agency, case_handler, "call")


def test_log_entries_for_another_units_agency_cannot_be_written(client, case_handler, other_unit):
    theirs = AgencyFactory(unit=other_unit)
    client.force_login(case_handler)
    response = client.post(
        reverse("customers:log_create"), {"agency": theirs.pk, "date": "2012-03-05", "kind": "call", "summary": "x"}
    )
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    assert not CustomerLogEntry.objects.exists()


def test_a_log_entry_in_the_future_is_refused(client, unit_manager, unit):
    agency = AgencyFactory(unit=unit)
    client.force_login(unit_manager)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("customers:log_create"), {"agency": agency.pk, "date": tomorrow, "kind": "meeting", "summary": "x"}
    )
    assert "Datumet kan inte ligga i framtiden." in response.content.decode()
    assert not CustomerLogEntry.objects.exists()


def test_log_list_is_scoped_filtered_and_exported(client, unit_manager, unit, other_unit):
    mine = AgencyFactory(code="RK", unit=unit)
    CustomerLogEntryFactory(agency=mine, kind="meeting", summary="Vårmöte med RK")
    CustomerLogEntryFactory(agency=mine, kind="email", summary="Fråga om blankett")
    CustomerLogEntryFactory(agency=AgencyFactory(code="SOC", unit=other_unit), summary="Hemligt möte")
    client.force_login(unit_manager)
    text = client.get(reverse("customers:log_list")).content.decode()
    assert "Vårmöte med RK" in text and "Hemligt möte" not in text
    csv_text = client.get(reverse("customers:log_list"), {"kind": "meeting", "export": "csv"}).content.decode()
    assert "Vårmöte med RK" in csv_text and "Fråga om blankett" not in csv_text


def test_meetings_page_shows_the_total_against_60_and_who_has_fewer_than_two(client, head_of_service, unit):
    rk = AgencyFactory(code="RK", name="Rinkeby-Kista", unit=unit)
    AgencyFactory(code="SOC", name="Socialförvaltningen", unit=unit)
    for day in (dt.date(2012, 3, 1), dt.date(2012, 10, 1)):
        CustomerLogEntryFactory(agency=rk, date=day, kind="meeting")
    client.force_login(head_of_service)
    response = client.get(reverse("customers:meetings"), {"year": 2012})
    text = response.content.decode()
    assert response.context["summary"].total == 2
    assert "2 / 60" in text
    assert "2 möten saknas" in text  # SOC had none
    assert "Målet nått" in text  # RK had two


def test_meetings_page_defaults_to_the_latest_year_with_meetings(client, unit_manager, unit):
    CustomerLogEntryFactory(agency=AgencyFactory(unit=unit), date=dt.date(2012, 3, 1), kind="meeting")
    client.force_login(unit_manager)
    assert client.get(reverse("customers:meetings")).context["summary"].year == 2012


def test_meetings_export_lists_every_agency(client, administrator, unit):
    AgencyFactory(code="RK", unit=unit)
    client.force_login(administrator)
    response = client.get(reverse("customers:meetings"), {"year": 2012, "export": "csv"})
    lines = response.content.decode().splitlines()
    assert lines[1].startswith("RK,") and lines[1].split(",")[3] == "0"


def test_registering_and_resolving_a_complaint(client, unit_manager, unit):
    agency = AgencyFactory(unit=unit)
    client.force_login(unit_manager)
    response = client.post(
        reverse("customers:complaint_create"),
        {
            "agency": agency.pk,
            "kind": "complaint",
            "category": "payment_error",
            "received_on": "2012-03-05",
            "description": "Fel OB-tillägg i februari",
            "handler": unit_manager.pk,
        },
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("customers:complaint_detail", args=[complaint.pk])
    assert complaint.status == "in_progress" and complaint.registered_by == unit_manager
    url = reverse("customers:complaint_handle", args=[complaint.pk])
    refused = client.post(url, {"handler": unit_manager.pk, "status": "resolved", "resolution": ""})
    assert "Beskriv hur klagomålet åtgärdades." in refused.content.decode()
    assert Complaint.objects.get().status == "in_progress"
    client.post(
        url,
        {"handler": unit_manager.pk, "status": "resolved", "resolution": "Rättat i mars", "resolved_on": "2012-03-20"},
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolved_on) == ("resolved", dt.date(2012, 3, 20))
    detail = client.get(reverse("customers:complaint_detail", args=[complaint.pk])).content.decode()
    assert "Rättat i mars" in detail and "Åtgärdad" in detail


def test_complaints_of_another_unit_are_not_found(client, unit_manager, other_unit):
    complaint = ComplaintFactory(agency=AgencyFactory(unit=other_unit))
    client.force_login(unit_manager)
    assert client.get(reverse("customers:complaint_detail", args=[complaint.pk])).status_code == 404
    assert (
        client.post(reverse("customers:complaint_handle", args=[complaint.pk]), {"status": "resolved"}).status_code
        == 404
    )
    assert Complaint.objects.get(pk=complaint.pk).status == complaint.status  # the refused POST changed nothing


def test_finance_reads_complaints_but_cannot_handle_them(client, finance, unit):
    complaint = ComplaintFactory(agency=AgencyFactory(unit=unit))
    client.force_login(finance)
    assert client.get(reverse("customers:complaint_detail", args=[complaint.pk])).status_code == 200
    assert client.get(reverse("customers:complaint_handle", args=[complaint.pk])).status_code == 403


def test_complaint_list_filters_and_summary_page(client, head_of_service, unit):
    agency = AgencyFactory(unit=unit)
    ComplaintFactory(agency=agency, received_on=dt.date(2012, 2, 1), category="late", description="Sen lön")
    ComplaintFactory(agency=agency, received_on=dt.date(2012, 6, 1), category="system", description="Lisa nere")
    client.force_login(head_of_service)
    listed = client.get(reverse("customers:complaint_list"), {"category": "late"}).content.decode()
    assert "Sen lön" in listed and "Lisa nere" not in listed
    summary = client.get(reverse("customers:complaint_summary"), {"year": 2012, "tertial": 1})
    assert summary.status_code == 200
    assert summary.context["summary"].received == 1
    assert [t.received for t in summary.context["summary"].tertials] == [1, 1, 0]
