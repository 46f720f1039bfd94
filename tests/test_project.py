"""The project's set-up: settings, roles, docker-compose, demo data."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts import roles
from demo.users import DEMO_USERS

ROOT = Path(settings.BASE_DIR)


def test_every_role_is_a_group_with_its_permissions(db):
    for role, names in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=roles.GROUP_NAMES[role])
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert set(names) <= granted


def test_only_administrators_may_use_the_admin(users_by_role):
    for role, user in users_by_role.items():
        assert user.is_staff == (role == roles.ADMINISTRATOR)


def test_roles_with_unknown_permission_fail_loudly(db, monkeypatch):
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, roles.FINANCE, ["customers.no_such_permission"])
    with pytest.raises(LookupError, match="no_such_permission"):
        roles.sync_roles()


def test_production_settings_pass_check_deploy():
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 60 + "-production-like-secret-key-for-the-check"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests in this process only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_docker_compose_names_only_things_the_project_has():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    settings_text = (ROOT / "lonservice" / "settings.py").read_text()
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["build"] == "." and (ROOT / "Dockerfile").exists()
        for variable in service["environment"]:
            assert f'"{variable}"' in settings_text, f"{name}: {variable} is not read by settings.py"
    assert "lonservice.wsgi:application" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    from lonservice import wsgi

    assert wsgi.application is not None
    for name in ("worker", "beat"):
        match = re.search(r"celery -A (\S+)", services[name]["command"])
        module = __import__(match.group(1), fromlist=["celery_app"])
        assert module.celery_app.main == "lonservice"


def test_time_zone_and_language_defaults():
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.LANGUAGE_CODE == "sv"
    assert ("en", "English") in settings.LANGUAGES


def test_swedish_number_format(settings):
    from decimal import Decimal

    from django.utils import formats, translation

    with translation.override("sv"):
        assert formats.number_format(Decimal("1376.50"), 2, use_l10n=True, force_grouping=True) == "1\xa0376,50"


def test_seed_demo_twice_changes_nothing(db):
    from django.apps import apps

    call_command("seed_demo", stdout=io.StringIO())
    counts = {m._meta.label: m.objects.count() for m in apps.get_models()}
    call_command("seed_demo", stdout=io.StringIO())
    again = {m._meta.label: m.objects.count() for m in apps.get_models()}
    changed = {
        k: (counts[k], again[k]) for k in counts if counts[k] != again[k] and not k.startswith(("axes.", "sessions."))
    }
    assert not changed
    assert counts["auth.User"] == len(DEMO_USERS)
