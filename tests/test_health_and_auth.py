import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD


def test_healthz_reports_database_ok_without_login(client, db, settings):
    settings.CELERY_BROKER_URL = ""  # eager: no worker to wait for
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch):
    from lonservice.observability import health

    monkeypatch.setattr(health, "database_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("down", "down")


def test_healthz_is_503_when_the_configured_broker_is_down(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_login_page_is_in_swedish(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Logga in" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_password_says_so(client, case_handler):
    response = client.post(reverse("login"), {"username": case_handler.username, "password": "wrong"})
    assert response.status_code == 200
    assert "korrekt användarnamn och lösenord" in response.content.decode()


def test_user_logs_in_and_lands_on_a_page(client, case_handler):
    response = client.post(
        reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == case_handler


@pytest.mark.parametrize("role_fixture", ["case_handler", "finance", "administrator"])
def test_navigation_shows_only_what_the_role_may_use(client, request, role_fixture):
    from lonservice.navigation import NAVIGATION

    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    html = client.get(reverse("password_change")).content.decode()
    for item in NAVIGATION:
        if item.permission in (None, "staff"):  # the start page: everyone's; the admin site: staff only
            continue
        shown = f'href="{reverse(item.url_name)}"' in html
        assert shown == user.has_perm(item.permission), item.url_name
    assert ('href="/admin/"' in html) == user.is_staff


def test_password_change_logs_out_other_sessions(client, case_handler):
    from django.test import Client

    other_device = Client()
    other_device.force_login(case_handler)
    client.force_login(case_handler)
    new_password = "a-brand-new-long-password-456"
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert other_device.get(reverse("password_change")).status_code == 302  # sent to login


def test_weak_password_is_refused(client, case_handler):
    client.force_login(case_handler)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


@pytest.mark.redis
def test_healthz_reports_the_real_broker(client, db):
    # 503 all the same: no worker runs (tests/lonservice/test_observability.py).
    assert client.get("/healthz").json()["broker"] == "ok"


def test_swedish_even_for_an_english_browser_until_english_is_chosen(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Logga in i Lönservice" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="sv-SE")
    assert "Log in to Lönservice" in page.content.decode()
