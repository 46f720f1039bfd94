"""Browser journeys: Playwright driving Debian's Chromium against the live test server.

Never downloads a browser: the executable is /usr/bin/chromium (apt-get install chromium).
"""

import os
from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make are sync and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    args = [
        "--headless=new",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", accept_downloads=True, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "name")`` saves a full-page PNG to --screenshots (or the test's tmp dir)."""
    folder = request.config.getoption("--screenshots") or None
    target = Path(folder) if folder else Path(request.getfixturevalue("tmp_path"))
    target.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = target / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    take.folder = target
    return take


@pytest.fixture
def login(page):
    """``login(user)`` logs in through the real login page."""

    def do_login(user, password: str = TEST_PASSWORD):
        page.goto("/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click(".login-form button[type=submit]")
        page.wait_for_load_state()
        return page

    return do_login


# The journeys' people have real-looking names, as they appear in the screenshots.
def _named(role, first_name, last_name, unit=None):
    from tests.factories import UserFactory

    return UserFactory(
        username=f"{first_name}.{last_name}".lower(), first_name=first_name, last_name=last_name, role=role, unit=unit
    )


@pytest.fixture
def case_handler(unit):
    return _named("case_handler", "Lena", "Ek", unit)


@pytest.fixture
def unit_manager(unit):
    user = _named("unit_manager", "Erik", "Holm", unit)
    unit.manager = user
    unit.save()
    return user


@pytest.fixture
def finance(db):
    return _named("finance", "Fatima", "Nilsson")


@pytest.fixture
def narrow(page):
    """``with narrow(page):`` shows the page as on a phone (390 px wide), then goes back to 1280 px."""
    from contextlib import contextmanager

    @contextmanager
    def phone():
        size = page.viewport_size
        page.set_viewport_size({"width": 390, "height": 844})
        try:
            yield page
        finally:
            page.set_viewport_size(size)

    return phone
