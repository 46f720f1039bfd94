"""Journey 5 (sign-in): single sign-on through the city's identity provider in Chromium, and the users page.

The provider is the real one of tests/accounts/provider.py, registered for the live server's address.
"""

import pytest
from playwright.sync_api import expect

from accounts import roles
from tests.accounts.provider import configure, running_provider

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_idp(live_server, tmp_path, settings):
    with running_provider(tmp_path, live_server.url) as server:
        yield configure(settings, server)


def test_a_case_handler_signs_in_through_the_provider_and_out_of_both(page, live_server, browser_idp, unit, screenshot):
    browser_idp.set_user("lena.ek", groups=["lon-handlaggare", "lon-enhet-1"], given_name="Lena", family_name="Ek")
    page.goto("/login/")
    screenshot(page, "login-sso")
    page.get_by_role("link", name="Logga in med stadens konto").click()
    page.fill("input[name=login]", "lena.ek")
    page.fill("input[name=password]", "provider-password-1")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/")  # the start page: what the case handler has to do today
    expect(page.get_by_role("heading", name="Dina löneärenden")).to_be_visible()
    expect(page.locator(".username")).to_have_text("Lena Ek")
    expect(page.get_by_role("link", name="Lösenord")).to_have_count(0)  # no password here to change

    # The top bar's form posts here and is redirected to the provider (CSP form-action must allow it).
    page.get_by_role("button", name="Logga ut").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    page.goto("/payroll/")
    assert "/login/" in page.url


def test_an_administrator_creates_a_user_and_sees_them_in_the_list(page, login, unit, screenshot):
    from tests.factories import UserFactory

    admin = UserFactory(username="maria.lind", first_name="Maria", last_name="Lind", role=roles.ADMINISTRATOR)
    login(admin)
    page.goto("/users/new/")
    page.fill("input[name=username]", "olle.berg")
    page.fill("input[name=first_name]", "Olle")
    page.fill("input[name=last_name]", "Berg")
    page.get_by_label("Enhetschef").check()
    page.select_option("select[name=unit]", label=unit.name)
    page.get_by_role("button", name="Skapa användare").click()
    link = page.locator("input.password-link").input_value()
    assert "/set-password/" in link
    page.goto("/users/")
    row = page.get_by_role("row").filter(has_text="Olle Berg")
    expect(row).to_contain_text("Enhetschef")
    expect(row).to_contain_text(unit.name)
    screenshot(page, "admin-users")
