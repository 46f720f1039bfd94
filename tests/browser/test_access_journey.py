"""Journey 4 (access): what an anonymous visitor and a logged-in user see."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_visitor_is_sent_to_the_swedish_login_page(page, screenshot):
    page.goto("/")
    assert "/login/" in page.url
    assert page.get_by_role("heading", name="Logga in i Lönservice").is_visible()
    screenshot(page, "login")


def test_wrong_password_shows_an_error_and_right_one_logs_in(page, login, case_handler):
    login(case_handler, password="fel-lösenord")
    assert "/login/" in page.url
    assert page.get_by_role("alert").is_visible()
    login(case_handler)
    assert "/login/" not in page.url
    assert page.get_by_role("button", name="Logga ut").is_visible()


def test_language_can_be_switched_to_english(page):
    page.goto("/login/")
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="Log in to Lönservice").is_visible()
