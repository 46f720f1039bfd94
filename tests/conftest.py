import os
import re
import shutil

import pytest
from django.conf import settings
from django.db import connection

from accounts import roles
from tests import factories

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_addoption(parser):
    parser.addoption("--screenshots", default="", help="folder to save browser-journey screenshots in")


def pytest_collection_modifyitems(config, items):
    """Tests that need a service run where it is; in CI they must never be skipped."""
    is_postgres = connection.vendor == "postgresql"
    has_broker = bool(settings.CELERY_BROKER_URL)
    has_browser = shutil.which("chromium") or os.path.exists("/usr/bin/chromium")
    require_browser = IN_CI or os.environ.get("REQUIRE_BROWSER")
    for item in items:
        if "postgres" in item.keywords and not is_postgres:
            if IN_CI:
                item.add_marker(pytest.mark.xfail(reason="CI must run this on PostgreSQL", strict=True, run=False))
            else:
                item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://..."))
        if "redis" in item.keywords and not has_broker:
            if IN_CI:
                item.add_marker(pytest.mark.xfail(reason="CI must run this with Redis", strict=True, run=False))
            else:
                item.add_marker(pytest.mark.skip(reason="needs Redis: set CELERY_BROKER_URL=redis://..."))
        if "browser" in item.keywords and not has_browser and not require_browser:
            item.add_marker(pytest.mark.skip(reason="needs Debian's Chromium at /usr/bin/chromium"))


@pytest.fixture(scope="session", autouse=True)
def _a_redis_database_per_test_worker():
    """Parallel test workers (pytest-xdist) each use a Redis database of their own (10 + n), so one's
    Celery worker never takes another's task; the worker processes the tests start inherit it."""
    from django.conf import settings as django_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = django_settings.CELERY_BROKER_URL
    if worker and url.startswith("redis"):
        from lonservice.celery import app

        url = re.sub(r"(/\d*)?$", f"/{10 + int(worker.removeprefix('gw'))}", url, count=1)
        django_settings.CELERY_BROKER_URL = app.conf.broker_url = os.environ["CELERY_BROKER_URL"] = url
    yield


@pytest.fixture(autouse=True)
def _tasks_inline_unless_marked_redis(request, settings):
    """Tasks run inline, as without a broker, also where CI configures Redis; the tests marked redis
    use the real broker (and start a real worker where they need one)."""
    if "redis" in request.keywords:
        yield
        return
    from lonservice.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing costs ~0.3 s a user; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_login_lockout(settings):
    # Tests log in many times; lock-out itself is tested with AXES_ENABLED switched back on.
    settings.AXES_ENABLED = False


@pytest.fixture
def unit(db):
    return factories.UnitFactory(code="lon1", name="Löneenhet 1")


@pytest.fixture
def other_unit(db):
    return factories.UnitFactory(code="lon2", name="Löneenhet 2")


def _user(role, unit=None):
    return factories.UserFactory(role=role, unit=unit)


@pytest.fixture
def case_handler(unit):
    return _user(roles.CASE_HANDLER, unit)


@pytest.fixture
def pension_handler(unit):
    return _user(roles.PENSION_HANDLER, unit)


@pytest.fixture
def unit_manager(unit):
    user = _user(roles.UNIT_MANAGER, unit)
    unit.manager = user
    unit.save()
    return user


@pytest.fixture
def head_of_service(db):
    return _user(roles.HEAD_OF_SERVICE)


@pytest.fixture
def finance(db):
    return _user(roles.FINANCE)


@pytest.fixture
def administrator(db):
    return _user(roles.ADMINISTRATOR)


@pytest.fixture
def agency_contact(unit):
    """An agency contact linked to one agency of ``unit`` (the portal's world: their agency)."""
    user = _user(roles.AGENCY_CONTACT)
    agency = factories.AgencyFactory(unit=unit, code="KONTAKT1", name="Kontaktens förvaltning")
    factories.AgencyContactAccessFactory(user=user, agency=agency)
    return user


@pytest.fixture
def users_by_role(case_handler, pension_handler, unit_manager, head_of_service, finance, administrator, agency_contact):
    return {
        roles.CASE_HANDLER: case_handler,
        roles.PENSION_HANDLER: pension_handler,
        roles.UNIT_MANAGER: unit_manager,
        roles.HEAD_OF_SERVICE: head_of_service,
        roles.FINANCE: finance,
        roles.ADMINISTRATOR: administrator,
        roles.AGENCY_CONTACT: agency_contact,
    }
