"""Workplaces for Statistics Sweden: the register, employees linked, and the report file of changes."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import roles
from tests import factories
from workplaces import selectors, services
from workplaces.models import WorkplaceAssignment

from .factories import WorkplaceFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_workplace_needs_an_eight_digit_cfar_number(unit_manager, unit):
    agency = factories.AgencyFactory(unit=unit)
    fields = {
        "agency": agency,
        "name": "Skolan",
        "street_address": "Väg 1",
        "postal_code": "123 45",
        "city": "X",
        "activity_code": "85201",
        "activity": "Grundskola",
    }
    with pytest.raises(ValidationError):
        services.save_workplace(user=unit_manager, cfar="1234567", **fields)
    assert services.save_workplace(user=unit_manager, cfar="12345678", **fields).pk


def test_the_latest_link_is_where_the_employee_works(case_handler, unit):
    first, second = WorkplaceFactory(agency__unit=unit), WorkplaceFactory(agency__unit=unit)
    person = factories.PersonFactory()
    services.link_employee(
        user=case_handler, workplace=first, personnummer=person.personnummer, since=dt.date(2024, 1, 1)
    )
    services.link_employee(
        user=case_handler, workplace=second, personnummer=person.personnummer, since=dt.date(2025, 2, 1)
    )

    assert list(selectors.employees_at(first)) == []
    assert [a.person for a in selectors.employees_at(second)] == [person]
    with pytest.raises(ValidationError):
        services.link_employee(
            user=case_handler, workplace=second, personnummer=person.personnummer, since=dt.date(2025, 3, 1)
        )
    with pytest.raises(ValidationError):
        services.link_employee(
            user=case_handler, workplace=first, personnummer=person.personnummer, since=dt.date(2023, 1, 1)
        )


def test_a_report_takes_each_change_once_and_its_file_has_the_documented_layout(
    client, head_of_service, case_handler, unit
):
    old, new = (
        WorkplaceFactory(agency__unit=unit, cfar="11111111"),
        WorkplaceFactory(agency__unit=unit, cfar="22222222"),
    )
    person = factories.PersonFactory()
    services.link_employee(
        user=case_handler, workplace=old, personnummer=person.personnummer, since=dt.date(2024, 1, 1)
    )
    services.create_report(user=head_of_service)
    services.link_employee(
        user=case_handler, workplace=new, personnummer=person.personnummer, since=dt.date(2025, 2, 1)
    )
    client.force_login(head_of_service)

    client.post(reverse("workplaces:report_create"))
    second = WorkplaceAssignment.objects.get(workplace=new).report
    rows = _rows(client.get(reverse("workplaces:report_file", args=[second.pk])))
    assert rows[0] == services.REPORT_HEADER
    assert rows[1][:5] == ["22222222", person.personnummer, "2025-02-01", "11111111", new.agency.code]
    assert len(rows) == 2
    with pytest.raises(ValidationError):
        services.create_report(user=head_of_service)  # nothing left to report


def test_a_protected_person_is_masked_on_the_page_and_left_out_of_the_file_unless_allowed(
    client, head_of_service, case_handler, unit
):
    workplace = WorkplaceFactory(agency__unit=unit)
    person = factories.PersonFactory(name="Hemlig Hemligsson", protected_identity=True)
    services.link_employee(
        user=case_handler, workplace=workplace, personnummer=person.personnummer, since=dt.date(2025, 1, 1)
    )
    client.force_login(case_handler)
    page = client.get(reverse("workplaces:detail", args=[workplace.pk])).content.decode()
    assert "Hemlig" not in page and person.personnummer not in page

    report = services.create_report(user=head_of_service)
    client.force_login(head_of_service)
    response = client.get(reverse("workplaces:report_file", args=[report.pk]))
    assert len(_rows(response)) == 1 and response["X-Protected-Left-Out"] == "1"

    head_of_service.groups.add(Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP))
    rows = _rows(client.get(reverse("workplaces:report_file", args=[report.pk])))
    assert rows[1][1] == person.personnummer


def test_linking_on_the_page_refuses_a_bad_number(client, case_handler, unit):
    workplace = WorkplaceFactory(agency__unit=unit)
    client.force_login(case_handler)
    response = client.post(
        reverse("workplaces:link", args=[workplace.pk]), {"personnummer": "1", "since": "2025-01-01"}
    )
    assert response.status_code == 400
    assert not WorkplaceAssignment.objects.exists()
