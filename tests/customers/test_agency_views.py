"""Agency pages: list with filters and exports, detail, create/edit, deactivate, contacts, unit scoping."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from customers.models import Agency, AgencyContact
from tests.factories import AgencyContactFactory, AgencyFactory, PayrollCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(unit, other_unit):
    rk = AgencyFactory(code="RK", name="Rinkeby-Kista stadsdelsförvaltning", kind="district", unit=unit)
    AgencyContactFactory(agency=rk, name="Karin Kontakt", email="karin@example.se")
    utb = AgencyFactory(code="UTB", name="Utbildningsförvaltningen", kind="specialist", unit=unit)
    soc = AgencyFactory(code="SOC", name="Socialförvaltningen", kind="specialist", unit=other_unit)
    old = AgencyFactory(code="OLD", name="Gamla förvaltningen", unit=unit, active_to=dt.date(2011, 12, 31))
    return {"rk": rk, "utb": utb, "soc": soc, "old": old}


def _codes(response):
    return [row.record.code for row in response.context["table"].paginated_rows]


def test_unit_manager_sees_own_units_active_agencies(client, unit_manager, agencies):
    client.force_login(unit_manager)
    response = client.get(reverse("customers:agency_list"))
    assert response.status_code == 200
    assert _codes(response) == ["RK", "UTB"]
    assert "Karin Kontakt" in response.content.decode()


def test_finance_sees_every_units_agencies(client, finance, agencies):
    client.force_login(finance)
    assert _codes(client.get(reverse("customers:agency_list"))) == ["RK", "SOC", "UTB"]


def test_filters_search_kind_and_inactive(client, administrator, agencies):
    client.force_login(administrator)
    url = reverse("customers:agency_list")
    assert _codes(client.get(url, {"q": "rinkeby"})) == ["RK"]
    assert _codes(client.get(url, {"kind": "specialist"})) == ["SOC", "UTB"]
    assert _codes(client.get(url, {"active": "no"})) == ["OLD"]
    assert _codes(client.get(url, {"active": ""})) == ["OLD", "RK", "SOC", "UTB"]


def test_list_is_sortable_and_paginated(client, administrator, unit):
    for n in range(30):
        AgencyFactory(code=f"A{n:02d}", unit=unit)
    client.force_login(administrator)
    first = client.get(reverse("customers:agency_list"))
    assert len(_codes(first)) == 25
    second = client.get(reverse("customers:agency_list"), {"page": 2})
    assert _codes(second) == ["A25", "A26", "A27", "A28", "A29"]
    descending = client.get(reverse("customers:agency_list"), {"sort": "-code"})
    assert _codes(descending)[0] == "A29"


def test_csv_export_has_the_filtered_agencies_with_contact(client, unit_manager, agencies):
    client.force_login(unit_manager)
    response = client.get(reverse("customers:agency_list"), {"kind": "district", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert rows[1][:5] == [
        "RK",
        "Rinkeby-Kista stadsdelsförvaltning",
        "Stadsdelsförvaltning",
        "Löneenhet 1",
        "Karin Kontakt",
    ]


def test_xlsx_export_never_leaks_another_units_agency(client, unit_manager, agencies):
    client.force_login(unit_manager)
    response = client.get(reverse("customers:agency_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["RK", "UTB"]


def test_export_neutralises_formulas(client, administrator, unit):
    AgencyFactory(code="X1", name='=HYPERLINK("http://evil")', unit=unit)
    client.force_login(administrator)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("customers:agency_list"), {"export": "csv"}).content.decode()))
    )
    assert rows[1][1].startswith("'=")


def test_detail_shows_the_register_and_no_invoices_to_a_case_handler(client, case_handler, agencies):
    client.force_login(case_handler)
    response = client.get(reverse("customers:agency_detail", args=[agencies["rk"].pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Rinkeby-Kista stadsdelsförvaltning" in text and "Karin Kontakt" in text
    assert 'id="invoices"' not in text  # invoices are finance's and the head of service's
    assert reverse("customers:agency_edit", args=[agencies["rk"].pk]) not in text  # handlers only read


def test_finance_sees_the_invoices_section_of_an_agency(client, finance, agencies):
    client.force_login(finance)
    text = client.get(reverse("customers:agency_detail", args=[agencies["soc"].pk])).content.decode()
    section = text.split('id="invoices"', 1)[1]
    assert "Fakturor" in section
    assert f"{reverse('invoicing:invoice_list')}?agency={agencies['soc'].pk}" in section


@pytest.mark.parametrize("name", ["customers:agency_detail", "customers:agency_edit", "customers:agency_deactivate"])
def test_another_units_agency_is_not_found(client, unit_manager, agencies, name):
    client.force_login(unit_manager)
    assert client.get(reverse(name, args=[agencies["soc"].pk])).status_code == 404


def test_administrator_creates_an_agency(client, administrator, unit):
    client.force_login(administrator)
    response = client.post(
        reverse("customers:agency_create"),
        {
            "code": "skv",
            "name": "Skarpnäcks stadsdelsförvaltning",
            "kind": "district",
            "unit": unit.pk,
            "functional_mailbox": "lon.skarpnack@example.se",
            "billing_reference": "Ansvar 4711",
        },
    )
    agency = Agency.objects.get(code="SKV")
    assert response.status_code == 302 and response["Location"] == reverse("customers:agency_detail", args=[agency.pk])
    assert agency.billing_reference == "Ansvar 4711"


def test_a_duplicate_code_is_shown_on_the_form_and_nothing_is_saved(client, administrator, agencies, unit):
    client.force_login(administrator)
    response = client.post(
        reverse("customers:agency_create"), {"code": "rk", "name": "Dubblett", "kind": "district", "unit": unit.pk}
    )
    assert response.status_code == 200
    assert (
        "Another agency already has the code RK" in response.content.decode()
        or "redan koden RK" in response.content.decode()
    )
    assert Agency.objects.filter(code="RK").count() == 1


def test_unit_managers_cannot_create_agencies(client, unit_manager, unit):
    client.force_login(unit_manager)
    response = client.post(
        reverse("customers:agency_create"), {"code": "X", "name": "X", "kind": "district", "unit": unit.pk}
    )
    assert response.status_code == 403
    assert not Agency.objects.filter(code="X").exists()


def test_unit_manager_edits_own_agency_but_cannot_move_it_to_another_unit(client, unit_manager, agencies, other_unit):
    client.force_login(unit_manager)
    rk = agencies["rk"]
    data = {"code": "RK", "name": "Rinkeby-Kista", "kind": "district", "unit": other_unit.pk}
    response = client.post(reverse("customers:agency_edit", args=[rk.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors["unit"]
    assert Agency.objects.get(pk=rk.pk).unit == rk.unit
    data["unit"] = rk.unit_id
    response = client.post(reverse("customers:agency_edit", args=[rk.pk]), data)
    assert response.status_code == 302
    assert Agency.objects.get(pk=rk.pk).name == "Rinkeby-Kista"
    assert Agency.history.filter(id=rk.pk).first().history_user == unit_manager


def test_deactivating_an_agency_with_cases_keeps_it_and_hides_it_from_the_list(client, unit_manager, unit):
    case = PayrollCaseFactory(agency=AgencyFactory(code="FA", unit=unit))
    client.force_login(unit_manager)
    response = client.post(reverse("customers:agency_deactivate", args=[case.agency.pk]), {"active_to": "2012-12-31"})
    assert response.status_code == 302
    assert Agency.objects.get(code="FA").active_to == dt.date(2012, 12, 31)
    assert "FA" not in _codes(client.get(reverse("customers:agency_list")))
    client.post(reverse("customers:agency_reactivate", args=[case.agency.pk]))
    assert Agency.objects.get(code="FA").active_to is None


def test_deactivation_before_the_agency_started_is_refused(client, unit_manager, unit):
    agency = AgencyFactory(unit=unit, active_from=dt.date(2010, 1, 1))
    client.force_login(unit_manager)
    response = client.post(reverse("customers:agency_deactivate", args=[agency.pk]), {"active_to": "2009-06-30"})
    assert response.status_code == 200 and response.context["form"].errors["active_to"]
    assert Agency.objects.get(pk=agency.pk).active_to is None


def test_adding_a_primary_contact_replaces_the_old_primary(client, unit_manager, agencies):
    client.force_login(unit_manager)
    rk = agencies["rk"]
    response = client.post(
        reverse("customers:contact_create", args=[rk.pk]),
        {"name": "Nils Nyström", "title": "HR-chef", "email": "nils@example.se", "phone": "", "is_primary": "on"},
    )
    assert response.status_code == 302
    assert list(rk.contacts.filter(is_primary=True).values_list("name", flat=True)) == ["Nils Nyström"]


def test_a_contact_needs_an_email_or_a_phone(client, unit_manager, agencies):
    client.force_login(unit_manager)
    response = client.post(reverse("customers:contact_create", args=[agencies["rk"].pk]), {"name": "Utan Kontaktväg"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not AgencyContact.objects.filter(name="Utan Kontaktväg").exists()


def test_contacts_of_another_unit_cannot_be_removed(client, unit_manager, agencies):
    contact = AgencyContactFactory(agency=agencies["soc"])
    client.force_login(unit_manager)
    assert client.post(reverse("customers:contact_delete", args=[contact.pk])).status_code == 404
    assert AgencyContact.objects.filter(pk=contact.pk).exists()
    own = AgencyContactFactory(agency=agencies["utb"], is_primary=True)
    assert client.post(reverse("customers:contact_delete", args=[own.pk])).status_code == 302
    assert not AgencyContact.objects.filter(pk=own.pk).exists()


def test_administrator_gives_an_agency_its_e_invoice_fields(client, administrator, unit):
    client.force_login(administrator)
    data = {
        "code": "skv",
        "name": "Skarpnäcks stadsdelsförvaltning",
        "kind": "district",
        "unit": unit.pk,
        "billing_reference": "Ref. Eva",
        "organisation_number": "2120000142",
        "responsibility_code": "1460",
        "activity_code": "1100",
    }
    response = client.post(reverse("customers:agency_create"), data)
    assert response.status_code == 302
    agency = Agency.objects.get(code="SKV")
    assert agency.organisation_number == "212000-0142"
    # No endpoint given: scheme 0007 (Swedish organisation number) with the number.
    assert agency.peppol_address == "0007:2120000142"
    assert agency.buyer_reference == "Ref. Eva; ansvar 1460"


def test_an_organisation_number_with_a_wrong_check_digit_is_refused(client, administrator, unit):
    client.force_login(administrator)
    response = client.post(
        reverse("customers:agency_create"),
        {"code": "skv", "name": "Skarpnäck", "kind": "district", "unit": unit.pk, "organisation_number": "212000-0143"},
    )
    assert response.status_code == 200
    assert "organisation_number" in response.context["form"].errors
    assert not Agency.objects.filter(code="SKV").exists()
