"""Login protection beyond tests/lonservice/test_security.py: lock-out lifetime, session timeout after
inactivity, password rules, and headers on every kind of response."""

import datetime as dt
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD


def _fail(client, username, times, url="login"):
    for _ in range(times):
        client.post(reverse(url), {"username": username, "password": "wrong-password-123"})


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def test_a_locked_out_user_sees_the_swedish_lockout_page_not_the_login_form(client, case_handler, lockout):
    _fail(client, case_handler.username, 3)
    response = client.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    html = response.content.decode()
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in html
    assert 'name="password"' not in html  # no form to keep guessing in
    assert "_auth_user_id" not in client.session


def test_the_lockout_holds_from_another_browser_at_the_same_address(client, case_handler, lockout):
    _fail(client, case_handler.username, 3)
    fresh_browser = Client()
    response = fresh_browser.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    assert response.status_code == 429


def test_the_lockout_ends_after_the_cool_off_time(client, case_handler, lockout, settings):
    _fail(client, case_handler.username, 3)
    assert (
        client.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD}).status_code == 429
    )
    # The failures happened longer ago than the cool-off time.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    )
    response = client.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(case_handler.pk)


def test_a_successful_login_resets_the_failure_count(client, case_handler, lockout):
    _fail(client, case_handler.username, 2)
    client.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    client.logout()
    _fail(client, case_handler.username, 2)
    response = client.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    assert response.status_code == 302  # 2 + 2 failures, but the count started again after the success


def test_the_admin_login_is_throttled_too(client, administrator, lockout):
    _fail(client, administrator.username, 3, url="admin:login")
    response = client.post(
        reverse("admin:login"), {"username": administrator.username, "password": TEST_PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 429


def test_unknown_user_and_wrong_password_get_the_same_answer(client, case_handler):
    unknown = client.post(reverse("login"), {"username": "nobody-here", "password": "wrong-password-123"})
    wrong = client.post(reverse("login"), {"username": case_handler.username, "password": "wrong-password-123"})
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


# --- sessions ----------------------------------------------------------------------------------------


def _at(moment):
    """Run the server as if the clock showed ``moment`` (sessions read the time through timezone.now)."""
    return mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=moment)


def _logged_in_login(client, case_handler):
    response = client.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_a_session_ends_after_thirty_minutes_without_activity(client, case_handler, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    _logged_in_login(client, case_handler)
    start = timezone.now()
    with _at(start + dt.timedelta(minutes=29)):
        assert client.get(reverse("password_change")).status_code == 200
    with _at(start + dt.timedelta(minutes=29 + 31)):
        response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_activity_keeps_the_session_alive(client, case_handler, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    _logged_in_login(client, case_handler)
    start = timezone.now()
    for minutes in (25, 50, 75, 100):  # never 30 minutes apart: each request renews the session
        with _at(start + dt.timedelta(minutes=minutes)):
            assert client.get(reverse("password_change")).status_code == 200, minutes


def test_the_session_cookie_is_http_only_and_ends_with_the_browser(client, case_handler):
    response = client.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert not cookie["max-age"] and not cookie["expires"]  # SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert cookie["samesite"] == "Lax"


# --- passwords ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("kort-lösen1", "för kort"),
        ("987654321098765", "enbart numeriskt"),
        ("1qaz2wsx3edc", "för vanligt"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, case_handler, password, why):
    client.force_login(case_handler)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert why in " ".join(response.context["form"].errors["new_password2"]).lower()
    case_handler.refresh_from_db()
    assert case_handler.check_password(TEST_PASSWORD)


def test_a_password_like_the_user_name_is_refused(client, case_handler):
    client.force_login(case_handler)
    case_handler.username = "anna.andersson.lon"
    case_handler.save()
    password = "anna.andersson.lon1"
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert "för likt" in " ".join(response.context["form"].errors["new_password2"]).lower()


# --- headers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login/", "/no-such-page/", "/healthz"])
def test_every_kind_of_response_carries_the_security_headers(client, db, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_downloads_carry_the_headers_too(client, finance, unit):
    from tests.factories import issued_invoice

    invoice = issued_invoice(unit=unit)
    client.force_login(finance)
    response = client.get(reverse("invoicing:invoice_pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


# --- behind the proxy (issue 14, item 8) -------------------------------------------------------------
# Behind the TLS proxy every request came from the proxy's address, so five bad passwords from
# anywhere locked finance out for everyone. The lock-out is keyed on the client address the trusted
# proxy reports, and X-Forwarded-For is believed only from the configured proxies.

PROXY = "10.0.0.2"


def _through_proxy(client_address, *, remote=PROXY):
    return Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=client_address)


def _log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})


@pytest.fixture
def behind_proxy(settings, lockout):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


def test_an_attacker_behind_the_proxy_does_not_lock_out_the_user_elsewhere(case_handler, behind_proxy):
    attacker = _through_proxy("203.0.113.9")
    _fail(attacker, case_handler.username, 3)
    assert _log_in(attacker, case_handler).status_code == 429
    user = _through_proxy("198.51.100.7")
    response = _log_in(user, case_handler)
    assert response.status_code == 302, "the user was locked out by someone else's failures"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_a_forged_forwarded_for_from_outside_the_proxies_is_ignored(case_handler, behind_proxy):
    # Sent straight to the application, not through the proxy: the header is the sender's own.
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        _fail(_through_proxy(forged, remote="203.0.113.50"), case_handler.username, 1)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.50"}
    blocked = _through_proxy("192.0.2.4", remote="203.0.113.50")
    assert _log_in(blocked, case_handler).status_code == 429


# --- the password-change form (issue 14, item 14) ---------------------------------------------------


def test_guessing_the_old_password_in_a_stolen_session_is_locked_out(client, case_handler, lockout):
    client.force_login(case_handler)
    for guess in range(2):
        response = client.post(
            reverse("password_change"),
            {
                "old_password": f"guess-{guess}-wrong",
                "new_password1": "Ny-lång-lösen-123",
                "new_password2": "Ny-lång-lösen-123",
            },
        )
        assert response.status_code == 200  # the form again, with the error
    response = client.post(
        reverse("password_change"),
        {"old_password": "guess-3-wrong", "new_password1": "Ny-lång-lösen-123", "new_password2": "Ny-lång-lösen-123"},
    )
    assert response.status_code == 429
    assert client.get(reverse("home")).status_code == 302, "the stolen session goes on"
    assert _log_in(client, case_handler).status_code == 429
    case_handler.refresh_from_db()
    assert case_handler.check_password(TEST_PASSWORD)


# --- a user name alone is slowed down, never locked (issue 14, item 8) ------------------------------


@pytest.fixture
def slowdown(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3  # per user name and address
    settings.LOGIN_USERNAME_SLOWDOWN_AFTER = 4  # per user name, from any addresses
    settings.LOGIN_USERNAME_MAX_DELAY = 60


def _from(address):
    return Client(REMOTE_ADDR=address)


def _fail_from(address, username, times):
    for _ in range(times):
        _from(address).post(reverse("login"), {"username": username, "password": "wrong-password-123"})


def test_failures_from_many_addresses_slow_the_user_name_down(case_handler, slowdown):
    for address in ("10.0.0.1", "10.0.0.2"):
        _fail_from(address, case_handler.username, 2)  # below the per-address lock, 4 in all
    _fail_from("10.0.0.3", case_handler.username, 2)  # throttled at once: not checked, not counted
    assert AccessAttempt.objects.filter(ip_address="10.0.0.3").count() == 0
    attempts = AccessAttempt.objects.count()
    owner = _from("10.9.9.9")
    response = owner.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Många misslyckade inloggningar för det här användarnamnet. Vänta 1 sekund och försök igen." in (
        response.content.decode()
    )
    assert 'name="password"' in response.content.decode()  # the form, not the 30-minute lock-out page
    assert "_auth_user_id" not in owner.session
    assert AccessAttempt.objects.count() == attempts  # a throttled attempt is not checked, nor counted


def test_after_the_delay_the_right_password_signs_in(case_handler, slowdown):
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        _fail_from(address, case_handler.username, 2)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(seconds=2))  # the 1 s has passed
    owner = _from("10.9.9.9")
    response = owner.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    assert response.status_code == 302 and owner.session["_auth_user_id"] == str(case_handler.pk)


def test_the_delay_grows_but_never_beyond_the_maximum(case_handler, slowdown):
    from accounts.throttle import wait_seconds

    _fail_from("10.0.0.1", case_handler.username, 2)
    _fail_from("10.0.0.2", case_handler.username, 2)
    assert wait_seconds(case_handler.username) == 1  # 4 failures: 2**0
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(seconds=2))
    _fail_from("10.0.0.3", case_handler.username, 1)
    assert wait_seconds(case_handler.username) == 2  # 5 failures: 2**1
    for n in range(4, 24):  # twenty more addresses, two failures each, as a botnet would
        AccessAttempt.objects.create(
            username=case_handler.username,
            ip_address=f"10.0.1.{n}",
            user_agent="bot",
            failures_since_start=2,
            get_data="",
            post_data="",
            http_accept="",
            path_info="/login/",
        )
    assert wait_seconds(case_handler.username) == 60


def test_a_user_name_with_few_failures_is_not_slowed_down(case_handler, slowdown):
    _fail_from("10.0.0.1", case_handler.username, 2)
    _fail_from("10.0.0.2", case_handler.username, 1)
    owner = _from("10.9.9.9")
    response = owner.post(reverse("login"), {"username": case_handler.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_the_admin_login_is_slowed_down_too(administrator, slowdown):
    for address in ("10.0.0.1", "10.0.0.2"):
        _fail_from(address, administrator.username, 2)
    response = _from("10.9.9.9").post(
        reverse("admin:login"), {"username": administrator.username, "password": TEST_PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 200
    assert "Många misslyckade inloggningar för det här användarnamnet." in response.content.decode()
