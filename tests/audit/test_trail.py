"""The audit trail: who changed what and when, for administrators (all) and unit managers (their unit)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from audit import trail as audit
from people.identity import MASK
from people.models import ProtectedIdentityAccess
from tests import factories


def _agency_form(agency, **changes):
    data = {
        "code": agency.code,
        "name": agency.name,
        "kind": agency.kind,
        "unit": agency.unit_id,
        "functional_mailbox": agency.functional_mailbox,
        "billing_reference": agency.billing_reference,
        "address": agency.address,
        "active_from": agency.active_from.isoformat() if agency.active_from else "",
    }
    return {**data, **changes}


def _page(client, **params):
    response = client.get(reverse("audit:trail"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_change_made_on_a_page_shows_who_what_before_and_after(client, unit_manager, unit):
    agency = factories.AgencyFactory(code="SDF07", name="Stadsdel Sju", unit=unit)
    client.force_login(unit_manager)
    response = client.post(
        reverse("customers:agency_edit", args=[agency.pk]), _agency_form(agency, billing_reference="NY-REF-77")
    )
    assert response.status_code == 302
    html = _page(client, source="agency")
    assert unit_manager.get_full_name() in html
    assert "REF-SDF07" in html and "NY-REF-77" in html  # before → after
    assert reverse("customers:agency_detail", args=[agency.pk]) in html


def test_unit_manager_sees_only_their_own_units_objects(client, unit_manager, unit, other_unit, administrator):
    mine = factories.AgencyFactory(code="MINE1", name="Min förvaltning", unit=unit)
    theirs = factories.AgencyFactory(code="THEIRS1", name="Annan förvaltning", unit=other_unit)
    for agency in (mine, theirs):
        agency.name += " (ändrad)"
        agency._history_user = administrator
        agency.save()
    price_list = factories.PriceListFactory(year=2031)
    price_list.note = "Prislistan ändrad"
    price_list.save()
    client.force_login(unit_manager)
    html = _page(client)
    assert "Min förvaltning (ändrad)" in html
    assert "THEIRS1" not in html and "Annan förvaltning" not in html
    assert "Prislistan ändrad" not in html  # price lists belong to no unit: administrators only
    client.force_login(administrator)
    html = _page(client)
    assert "Annan förvaltning (ändrad)" in html and "Prislistan ändrad" in html


def test_unit_manager_cannot_ask_for_models_of_no_unit(client, unit_manager):
    client.force_login(unit_manager)
    html = _page(client, source="price_list")
    assert "Välj ett giltigt alternativ" in html  # the choice is not offered to them


def test_other_units_cases_fte_and_invoices_are_hidden_from_a_unit_manager(
    client, unit_manager, unit, other_unit, administrator
):
    for target_unit, code in ((unit, "OWN"), (other_unit, "FOREIGN")):
        agency = factories.AgencyFactory(code=f"{code}AG", unit=target_unit)
        case = factories.ManualCaseFactory(agency=agency, note="")
        case.note = f"anteckning {code}"
        case.save()
        factories.MonthlyFteFactory(unit=target_unit, period="2012-03", fte="7.25" if code == "OWN" else "9.75")
        factories.issued_invoice(agency=agency)
    client.force_login(unit_manager)
    html = _page(client)
    assert "anteckning OWN" in html and "anteckning FOREIGN" not in html
    assert "OWNAG" in html and "FOREIGNAG" not in html
    client.force_login(administrator)
    html = _page(client, source="invoice")
    assert "OWNAG" in html and "FOREIGNAG" in html
    assert "Faktura" in html and "Utfärdad" in html


def test_filters_by_model_user_and_date(client, administrator, unit):
    other_admin = factories.UserFactory(role=roles.ADMINISTRATOR, first_name="Greta", last_name="Granskare")
    agency = factories.AgencyFactory(code="FILT1", unit=unit)
    agency.billing_reference = "BY-GRETA"
    agency._history_user = other_admin
    agency.save()
    price_list = factories.PriceListFactory(year=2032)
    price_list.note = "BY-NOBODY"
    price_list.save()
    client.force_login(administrator)
    html = _page(client, who="granskare")
    assert "BY-GRETA" in html and "BY-NOBODY" not in html
    html = _page(client, source="price_list")
    assert "BY-NOBODY" in html and "BY-GRETA" not in html
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    html = _page(client, date_from=tomorrow.isoformat())
    assert "BY-GRETA" not in html and "Inga ändringar" in html
    html = _page(client, date_to=timezone.localdate().isoformat(), source="agency")
    assert "BY-GRETA" in html


def test_pages_of_fifty_newest_first(client, administrator, unit):
    agency = factories.AgencyFactory(code="PAGE1", unit=unit)
    for n in range(60):
        agency.billing_reference = f"R{n:03d}"
        agency.save()
    client.force_login(administrator)
    records = audit.records_for(administrator, source="agency")
    assert records.count() == 61  # created + 60 changes
    first = _page(client, source="agency")
    assert "R059" in first and "R005" not in first
    second = _page(client, source="agency", page=2)
    assert "R005" in second and "R059" not in second


def test_every_model_the_trail_covers_keeps_history_or_is_immutable():
    from invoicing.models import ImmutableInvoiceError, Invoice

    for source in audit.SOURCES:
        model = source.model
        if source.history:
            assert hasattr(model, "history"), f"{model.__name__} lacks HistoricalRecords"
        elif source.key == audit.ADMIN_SITE:
            assert model._meta.label == "admin.LogEntry"  # the admin site's own log of its changes
        else:
            assert model is Invoice and ImmutableInvoiceError  # immutable: its row is the record
    covered = {source.model._meta.label for source in audit.SOURCES}
    for required in (
        "customers.Agency",
        "customers.ServiceAgreement",
        "pricing.PriceList",
        "payroll.PayrollCase",
        "pensions.PensionCase",
        "staffing.MonthlyFte",
        "invoicing.Invoice",
    ):
        assert required in covered


def test_deleting_addon_hours_is_on_record(client, unit_manager, unit):
    hours = factories.AddonHoursFactory(agreement=factories.AddonAgreementFactory(agency__unit=unit))
    client.force_login(unit_manager)
    response = client.post(reverse("customers:addon_hours_delete", args=[hours.pk]))
    assert response.status_code == 302
    html = _page(client, source="addon_hours")
    assert "Borttagen" in html and unit_manager.get_full_name() in html


# --- the log of unmasked protected identities -------------------------------------------------------


@pytest.fixture
def protected_case(unit):
    person = factories.PersonFactory(name="Hemlig Person", protected_identity=True)
    agency = factories.AgencyFactory(unit=unit)
    return factories.PensionCaseFactory(agency=agency, unit=unit, person=person)


def test_a_view_of_a_protected_identity_is_in_the_log_by_number_without_the_name(client, administrator, protected_case):
    client.force_login(administrator)
    response = client.get(reverse("pensions:case_detail", args=[protected_case.pk]))
    assert "Hemlig Person" in response.content.decode()  # administrators may see it unmasked...
    assert ProtectedIdentityAccess.objects.filter(user=administrator, person=protected_case.person).count() == 1
    html = client.get(reverse("audit:identity_access")).content.decode()
    assert protected_case.person.personnummer in html and administrator.get_full_name() in html
    assert f"Pensionsärende {protected_case.number}" in html  # where, in Swedish
    assert "Hemlig Person" not in html and f"#{protected_case.person_id}" not in html  # ...the log never names


def test_a_masked_view_is_not_logged(client, pension_handler, protected_case):
    client.force_login(pension_handler)
    html = client.get(reverse("pensions:case_detail", args=[protected_case.pk])).content.decode()
    assert "Hemlig Person" not in html and MASK in html
    assert not ProtectedIdentityAccess.objects.exists()


def test_an_authorised_handler_is_logged_and_can_be_found_by_the_persons_number(
    client, pension_handler, administrator, protected_case
):
    pension_handler.groups.add(Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP))
    client.force_login(pension_handler)
    client.get(reverse("pensions:case_detail", args=[protected_case.pk]))
    other = factories.PersonFactory(protected_identity=True)
    ProtectedIdentityAccess.objects.create(user=administrator, person=other, context="test")
    client.force_login(administrator)
    html = client.get(
        reverse("audit:identity_access"), {"personnummer": protected_case.person.personnummer}
    ).content.decode()
    assert pension_handler.get_full_name() in html and "1 visning" in html
    assert other.personnummer not in html
    html = client.get(reverse("audit:identity_access"), {"personnummer": "not-a-number"}).content.decode()
    assert "not-a-number är inget giltigt svenskt personnummer" in html


def test_unit_manager_may_not_read_the_identity_log(client, unit_manager):
    client.force_login(unit_manager)
    assert client.get(reverse("audit:identity_access")).status_code == 403


def test_the_navigation_offers_the_trail_to_managers_and_administrators(client, users_by_role):
    for role, user in users_by_role.items():
        client.force_login(user)
        html = client.get(reverse("password_change")).content.decode()
        assert (reverse("audit:trail") in html) == (role in (roles.UNIT_MANAGER, roles.ADMINISTRATOR)), role
        assert (reverse("audit:identity_access") in html) == (role == roles.ADMINISTRATOR), role


def test_amounts_are_shown_the_swedish_way_and_line_endings_are_no_change(client, administrator, unit):
    agency = factories.AgencyFactory(code="FMT1", unit=unit, address="Box 1\n100 00 Stockholm")
    factories.issued_invoice(agency=agency)
    agency.address = "Box 1\r\n100 00 Stockholm"  # what a browser's text box sends back
    agency.billing_reference = "NY-REF"
    agency.save()
    client.force_login(administrator)
    html = _page(client)
    assert "summa (kr)</span>: 770,00" in html
    assert "NY-REF" in html and "postadress" not in html


def test_opening_a_protected_person_in_the_admin_is_logged(client, administrator):
    person = factories.PersonFactory(name="Skyddad Sara", protected_identity=True)
    ordinary = factories.PersonFactory(name="Vanlig Vera")
    client.force_login(administrator)
    for url in (
        reverse("admin:people_person_change", args=[person.pk]),
        reverse("admin:people_person_history", args=[person.pk]),
        reverse("admin:people_person_change", args=[ordinary.pk]),
    ):
        assert client.get(url).status_code == 200, url
    contexts = sorted(ProtectedIdentityAccess.objects.filter(person=person).values_list("context", flat=True))
    assert contexts == ["admin: person", "admin: person history"]
    assert not ProtectedIdentityAccess.objects.filter(person=ordinary).exists()


def test_changes_made_in_the_admin_site_are_in_the_trail_for_administrators(client, administrator, unit_manager):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    client.force_login(administrator)
    response = client.post(
        reverse("admin:organisation_unit_add"),
        {
            "code": "lon9",
            "name": "Löneenhet 9",
            "kind": "payroll",
            "manager": "",
            "teams-TOTAL_FORMS": "0",
            "teams-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    LogEntry.objects.log_actions(
        user_id=administrator.pk,
        queryset=[unit_manager],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Groups"]}}],
        single_object=True,
    )
    assert ContentType.objects.get_for_model(unit_manager)
    html = _page(client, source="admin_site")
    assert "Löneenhet 9" in html and "Skapad" in html
    assert unit_manager.username in html and "Groups" in html
    client.force_login(unit_manager)
    assert "Löneenhet 9" not in _page(client)  # the admin site belongs to no unit
