"""A real OpenID Connect provider on localhost (oidc_provider.mjs, the npm package oidc-provider),
and a browser-like walk through its pages.

The product's side runs in Django's test client (the redirect URIs are http://testserver/...), or
in Chromium against the live server (tests/browser/test_sign_in_journey.py); the provider's side
is plain HTTP with requests, following its redirects and submitting its login and logout forms.
Every protocol step is real: the authorization request with state, nonce and PKCE, the provider's
login, the code exchanged for tokens over HTTP, the ID token checked against the provider's keys,
userinfo, and RP-initiated logout.
"""

import contextlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.urls import reverse

from accounts import oidc
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID, CLIENT_SECRET = "lonservice-test", "a-client-secret-for-tests"
APP = "http://testserver"
ROLE_GROUPS = {
    "lon-handlaggare": "case_handler",
    "lon-enhetschef": "unit_manager",
    "lon-ekonomi": "finance",
    "lon-admin": "administrator",
}
UNIT_GROUPS = {"lon-enhet-1": "lon1", "lon-enhet-2": "lon2"}
AGENCY_GROUPS = {"kontakt-sdf": "SDF01", "kontakt-utb": ["UTB01", "UTB02"]}


@dataclass
class Server:
    issuer: str
    users_file: Path


@contextlib.contextmanager
def running_provider(folder: Path, app_url: str):
    """The provider, with the test client registered for the product at ``app_url``."""
    node = shutil.which("node")
    installed = (ROOT / "node_modules" / "oidc-provider" / "package.json").exists()
    if not (node and installed):
        reason = "the sign-in tests need node and node_modules/oidc-provider (npm ci)"
        if IN_CI:
            pytest.fail(f"CI must run them: {reason}")
        pytest.skip(reason)
    users_file = folder / "users.json"
    users_file.write_text("{}")
    env = {
        **os.environ,
        "OIDC_USERS_FILE": str(users_file),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": f"{app_url}{reverse('accounts:oidc_callback')}",
        "OIDC_POST_LOGOUT_REDIRECT_URIS": f"{app_url}{reverse('login')}",
    }
    with open(folder / "provider.log", "w") as log:
        process = subprocess.Popen(
            [node, str(SCRIPT)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True
        )
    try:
        line = process.stdout.readline()  # the provider prints its issuer once it listens
        if not line:
            process.wait(timeout=10)
            pytest.fail(f"the OIDC provider did not start: {(folder / 'provider.log').read_text()}")
        yield Server(issuer=json.loads(line)["issuer"], users_file=users_file)
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Provider:
    """The provider as a test uses it: its users, and a browser's cookies there."""

    server: Server
    users: dict = field(default_factory=dict)
    browser: requests.Session = field(default_factory=requests.Session)

    @property
    def issuer(self):
        return self.server.issuer

    def set_user(self, username, *, groups, password="provider-password-1", **claims):
        self.users[username] = {"password": password, "groups": groups, **claims}
        self.server.users_file.write_text(json.dumps(self.users))


def configure(settings, server: Server) -> "Provider":
    """Single sign-on switched on against ``server``, with no users there yet."""
    settings.OIDC_ISSUER = server.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_ROLE_GROUPS = ROLE_GROUPS
    settings.OIDC_UNIT_GROUPS = UNIT_GROUPS
    settings.OIDC_AGENCY_GROUPS = AGENCY_GROUPS
    oidc.forget_discovery()
    server.users_file.write_text("{}")
    return Provider(server)


class _Forms(HTMLParser):
    """The forms of a page: action, method and their inputs' names and values."""

    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"id": attrs.get("id"), "action": attrs.get("action", ""), "fields": {}}
            self.forms.append(self._current)
        elif tag in ("input", "button") and attrs.get("name"):
            target = self._current
            if attrs.get("form"):  # a button outside its form, as the provider's logout page has
                target = next((f for f in self.forms if f["id"] == attrs["form"]), target)
            if target is not None and (tag == "input" or attrs.get("type") != "submit"):
                target["fields"].setdefault(attrs["name"], attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@dataclass
class Walk:
    """Where a walk through the provider's pages ended."""

    back_to_app: str = ""  # the product's URL the provider sent the browser to
    page: requests.Response | None = None  # or the provider's page that stopped it
    saw_login_form: bool = False


def walk(provider: Provider, url: str, walked: Walk | None = None) -> Walk:
    """Follow the provider's redirects until it sends the browser back to the product or shows a page."""
    walked = walked or Walk()
    for _ in range(10):
        if url.startswith(APP):
            walked.back_to_app = url
            return walked
        response = provider.browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        walked.page = response
        return walked
    raise AssertionError("the provider redirected more than ten times")


def submit(provider: Provider, page: requests.Response, form: dict, **values) -> str:
    """Submits one of the provider's forms; returns where it sends the browser next."""
    response = provider.browser.post(
        urljoin(page.url, form["action"]), data={**form["fields"], **values}, allow_redirects=False, timeout=10
    )
    if response.is_redirect:
        return urljoin(page.url, response.headers["Location"])
    return response


def app_get(client, url: str):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)


def sign_in(client, provider: Provider, username: str, password: str = "provider-password-1", next_url: str = ""):
    """The whole sign-in: the product's button, the provider's login form (when its session has no
    user yet), back to the product's callback. Returns (the callback's response, the walk)."""
    start = client.get(reverse("accounts:oidc_login"), {"next": next_url} if next_url else None)
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer), start
    walked = walk(provider, start["Location"])
    if walked.page is not None:
        login_forms = [form for form in forms_of(walked.page.text) if form["id"] == "login"]
        assert login_forms, walked.page.text[:500]
        walked.saw_login_form = True
        after = submit(provider, walked.page, login_forms[0], login=username, password=password)
        if not isinstance(after, str):  # the provider refused and showed its form again
            return None, Walk(page=after, saw_login_form=True)
        walked = walk(provider, after, walked)
    assert walked.back_to_app, walked
    return app_get(client, walked.back_to_app), walked
