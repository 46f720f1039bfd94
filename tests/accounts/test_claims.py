"""The mapping from the provider's claims to roles, unit and agencies (no provider needed)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from accounts import claims, roles, services

MAPPING = {
    "OIDC_ROLE_GROUPS": {"lon-handlaggare": "case_handler", "lon-chefer": ["unit_manager", "case_handler"]},
    "OIDC_UNIT_GROUPS": {"lon-enhet-1": "lon1", "lon-enhet-2": "lon2"},
    "OIDC_AGENCY_GROUPS": {"kontakt-sdf": "SDF01", "kontakt-utb": ["UTB02", "UTB01"]},
}


@pytest.fixture
def mapping(settings):
    for name, value in MAPPING.items():
        setattr(settings, name, value)


def test_groups_map_to_roles_in_the_order_of_roles_py(mapping):
    assert claims.role_keys({"groups": ["lon-chefer", "lon-handlaggare", "other"]}) == [
        roles.CASE_HANDLER,
        roles.UNIT_MANAGER,
    ]
    assert claims.role_keys({"groups": "lon-handlaggare"}) == [roles.CASE_HANDLER]  # one group as a string
    assert claims.role_keys({"groups": None}) == [] and claims.role_keys({}) == []


def test_roles_can_come_from_another_claim(mapping, settings):
    settings.OIDC_ROLES_CLAIM = "roles"
    assert claims.role_keys({"roles": ["lon-handlaggare"], "groups": ["lon-chefer"]}) == [roles.CASE_HANDLER]


def test_one_unit_or_none_and_two_are_refused(mapping):
    assert claims.unit_code({"groups": ["lon-enhet-2", "lon-handlaggare"]}) == "lon2"
    assert claims.unit_code({"groups": ["lon-handlaggare"]}) is None
    with pytest.raises(claims.AmbiguousUnit):
        claims.unit_code({"groups": ["lon-enhet-1", "lon-enhet-2"]})


def test_the_agencies_claim_maps_to_agency_codes(mapping, settings):
    assert claims.agency_codes({"groups": ["kontakt-utb", "kontakt-sdf", "lon-handlaggare"]}) == [
        "SDF01",
        "UTB01",
        "UTB02",
    ]
    settings.OIDC_AGENCIES_CLAIM = "agencies"
    assert claims.agency_codes({"agencies": ["kontakt-sdf"], "groups": ["kontakt-utb"]}) == ["SDF01"]


@pytest.mark.django_db
def test_the_agencies_claim_gives_an_agency_contact_exactly_their_agencies(mapping, settings):
    from customers.models import AgencyContactAccess
    from tests.factories import AgencyFactory

    settings.OIDC_ROLE_GROUPS = {**settings.OIDC_ROLE_GROUPS, "kontaktpersoner": "agency_contact"}
    for code in ("SDF01", "UTB01", "UTB02"):
        AgencyFactory(code=code)
    groups = ["kontaktpersoner", "kontakt-sdf", "kontakt-utb"]
    claims_ = {"sub": "s-1", "preferred_username": "kontakt", "groups": groups}
    user = services.sign_in_from_claims(issuer="http://idp", claims=claims_)
    linked = lambda: sorted(AgencyContactAccess.objects.filter(user=user).values_list("agency__code", flat=True))  # noqa: E731
    assert linked() == ["SDF01", "UTB01", "UTB02"]
    # The next sign-in without the UTB group: those agencies are gone; without the role: all are.
    services.sign_in_from_claims(issuer="http://idp", claims={**claims_, "groups": ["kontaktpersoner", "kontakt-sdf"]})
    assert linked() == ["SDF01"]
    services.sign_in_from_claims(issuer="http://idp", claims={**claims_, "groups": ["kontakt-sdf"]})
    assert linked() == []


@pytest.mark.django_db
def test_agencies_are_not_given_to_a_user_without_the_agency_contact_role(mapping):
    from customers.models import AgencyContactAccess
    from tests.factories import AgencyFactory

    AgencyFactory(code="SDF01")
    claims_ = {"sub": "s-1", "preferred_username": "kontakt", "groups": ["kontakt-sdf"]}
    user = services.sign_in_from_claims(issuer="http://idp", claims=claims_)
    assert not AgencyContactAccess.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_second_sign_in_without_changes_writes_no_audit_entry(mapping, unit):
    claims_ = {"sub": "s-2", "preferred_username": "ann", "groups": ["lon-handlaggare", "lon-enhet-1"]}
    user = services.sign_in_from_claims(issuer="http://idp", claims=claims_)
    again = services.sign_in_from_claims(issuer="http://idp", claims=claims_)
    assert again == user and LogEntry.objects.filter(object_id=str(user.pk)).count() == 1


@pytest.mark.django_db
def test_the_same_subject_at_another_issuer_is_another_account(mapping):
    services.sign_in_from_claims(issuer="http://idp-a", claims={"sub": "s", "preferred_username": "ann"})
    with pytest.raises(services.SignInRefused):  # the user name is taken by idp-a's account
        services.sign_in_from_claims(issuer="http://idp-b", claims={"sub": "s", "preferred_username": "ann"})


@pytest.mark.django_db
def test_claims_without_a_user_name_are_refused(mapping):
    with pytest.raises(services.SignInRefused):
        services.sign_in_from_claims(issuer="http://idp", claims={"sub": "s-3"})


def test_a_mapping_to_a_role_that_does_not_exist_fails_the_system_check(settings):
    settings.OIDC_ROLE_GROUPS = {"lon-handlaggare": "case_handlr"}
    with pytest.raises(SystemCheckError, match="case_handlr"):
        call_command("check")


@pytest.mark.django_db
def test_with_oidc_unset_the_login_page_is_unchanged_and_its_urls_answer_404(client):
    html = client.get(reverse("login")).content.decode()
    assert reverse("accounts:oidc_login") not in html and 'name="password"' in html
    assert client.get(reverse("accounts:oidc_login")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback")).status_code == 404


@pytest.mark.django_db
def test_with_oidc_set_the_login_page_offers_both(client, settings):
    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID = "http://127.0.0.1:9", "client"
    html = client.get(reverse("login"), {"next": "/customers/"}).content.decode()
    assert f'href="{reverse("accounts:oidc_login")}?next=/customers/"' in html
    assert "Logga in med stadens konto" in html and 'name="password"' in html


@pytest.mark.django_db
def test_an_unreachable_provider_sends_the_person_back_with_a_clear_message(client, settings):
    from accounts import oidc

    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID = "http://127.0.0.1:9", "client"  # nothing listens
    settings.OIDC_TIMEOUT = 2
    oidc.forget_discovery()
    response = client.get(reverse("accounts:oidc_login"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Identitetsleverantören går inte att nå" in response.content.decode()


def _form_action(response):
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return directives["form-action"]


@pytest.mark.django_db
def test_the_csp_lets_the_logout_form_reach_the_provider_only_while_provider_logout_is_on(client, settings):
    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID = "https://idp.stad.example.se/realms/lon", "client"
    assert _form_action(client.get(reverse("login"))) == "'self' https://idp.stad.example.se"
    settings.OIDC_PROVIDER_LOGOUT = False
    assert _form_action(client.get(reverse("login"))) == "'self'"
    settings.OIDC_PROVIDER_LOGOUT, settings.OIDC_ISSUER = True, ""
    assert _form_action(client.get(reverse("login"))) == "'self'"
