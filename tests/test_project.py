"""The project's set-up: settings, roles, docker-compose, demo data."""

import io
import os
import re
import runpy
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


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 60 + "-production-like-secret-key-for-the-check",
    "DATABASE_URL": "postgres://lonservice:secret@db.invalid:5432/lonservice",
    "CELERY_BROKER_URL": "redis://redis.invalid:6379/0",
}


def _manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "DEBUG")}
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests in this process only
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DATABASE_URL", "CELERY_BROKER_URL"])
def test_production_without_database_or_broker_fails_at_start_up(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} must be set when DEBUG is false" in result.stderr


def test_seed_demo_refuses_to_run_with_debug_off(tmp_path):
    database = tmp_path / "production.sqlite3"
    result = _manage("seed_demo", env={**PRODUCTION, "DATABASE_URL": f"sqlite:///{database}"})
    assert result.returncode != 0
    assert "seed_demo runs only with DEBUG=true" in result.stderr
    assert not database.exists() or database.stat().st_size == 0  # refused before touching the database


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


APP_SERVICES = ("web", "worker", "beat")
# Variables the stack sets that settings.py does not read, and the file that reads each.
READ_ELSEWHERE = {"PROMETHEUS_MULTIPROC_DIR": "lonservice/observability/metrics.py"}


def test_docker_compose_names_only_things_the_project_has():
    services = _compose()["services"]
    assert {"migrate", *APP_SERVICES, "db", "redis"} == set(services)
    settings_text = (ROOT / "lonservice" / "settings.py").read_text()
    for name in ("migrate", *APP_SERVICES):
        service = services[name]
        assert service["build"]["context"] == "." and (ROOT / "Dockerfile").exists()
        assert set(service["build"]["args"]) == {"BUILD_COMMIT", "BUILD_DATE"}
        for variable in service["environment"]:
            reader = READ_ELSEWHERE.get(variable)
            text = (ROOT / reader).read_text() if reader else settings_text
            assert f'"{variable}"' in text, f"{name}: {variable} is not read by {reader or 'settings.py'}"
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    web = services["web"]["command"]
    assert web[:3] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"] and (ROOT / web[2]).exists()
    assert web[-1] == "lonservice.wsgi:application"
    from lonservice import wsgi

    assert wsgi.application is not None
    for name in ("worker", "beat"):
        command = services[name]["command"]
        assert command[:3] == ["celery", "-A", "lonservice"]
        module = __import__(command[2], fromlist=["celery_app"])
        assert module.celery_app.main == "lonservice"


def _seconds(duration: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([smh])", duration).groups()
    return int(number) * {"s": 1, "m": 60, "h": 3600}[unit]


def test_docker_compose_is_ready_for_production():
    compose = _compose()
    services = compose["services"]
    for name in APP_SERVICES:
        service = services[name]
        assert service["restart"] == "unless-stopped", name
        assert service["healthcheck"]["test"] == ["CMD", "python", "deploy/healthcheck.py", name]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["depends_on"]["db"] == {"condition": "service_healthy"}
        assert _seconds(service["stop_grace_period"]) >= 30, name
    assert services["migrate"]["restart"] == "no"
    # Beat's schedule survives a new container: it is on a named volume.
    schedule = next(a.split("=", 1)[1] for a in services["beat"]["command"] if a.startswith("--schedule="))
    mounts = dict(v.split(":")[::-1] for v in services["beat"]["volumes"])
    assert os.path.dirname(schedule) in mounts and mounts[os.path.dirname(schedule)] in compose["volumes"]
    # PostgreSQL and Redis only on the internal network; the web port only for the proxy on this host.
    internal = {name for name, network in compose["networks"].items() if (network or {}).get("internal")}
    for name in ("db", "redis"):
        assert "ports" not in services[name] and set(services[name]["networks"]) <= internal, name
        assert services[name]["restart"] == "unless-stopped" and services[name]["healthcheck"]["test"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    for name in ("worker", "beat", "migrate"):
        assert "ports" not in services[name]
    redis = services["redis"]["command"]
    assert redis[redis.index("--appendonly") + 1] == "yes"
    # The worker's warm shutdown outlasts the largest import and the close; web's outlasts gunicorn's.
    gunicorn = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert _seconds(services["web"]["stop_grace_period"]) > gunicorn["graceful_timeout"]
    assert _seconds(services["worker"]["stop_grace_period"]) >= 5 * 60


def test_docker_compose_holds_no_password():
    text = (ROOT / "docker-compose.yml").read_text()
    services = _compose()["services"]
    for name, service in services.items():
        for variable, value in (service.get("environment") or {}).items():
            if "PASSWORD" in variable:
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", value), f"{name}: {variable} is written out"
            if variable.endswith("_URL") and "@" in value:
                password = re.match(r"\w+://[^:]+:([^@]*)@", value).group(1)
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", password), f"{name}: {variable} holds a password"
    assert "lonservice:lonservice@" not in text and "POSTGRES_PASSWORD: lonservice" not in text
    # The secrets come from .env, which the image never holds.
    assert all(services[name]["env_file"] == ".env" for name in APP_SERVICES)


def test_dockerfile_runs_as_a_user_with_a_health_check_and_the_build_baked_in():
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = [line.split(None, 1) for line in dockerfile.splitlines() if line and not line[0].isspace()]
    instructions = [(word, rest) for word, *rest in instructions if not word.startswith("#") for rest in [rest]]
    words = [word for word, _rest in instructions]
    user = [rest[0] for word, rest in instructions if word == "USER"]
    assert user and user[-1] not in ("root", "0")
    assert words.index("USER") > max(i for i, w in enumerate(words) if w == "RUN")  # nothing runs as root after
    assert 'CMD ["python", "deploy/healthcheck.py", "web"]' in dockerfile
    assert "ARG BUILD_COMMIT" in dockerfile and "ARG BUILD_DATE" in dockerfile
    assert "BUILD_COMMIT=${BUILD_COMMIT}" in dockerfile and "BUILD_DATE=${BUILD_DATE}" in dockerfile
    assert "RUN sh deploy/install.sh" in dockerfile  # the script CI runs in a clean venv (.ci/run)
    assert 'CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "lonservice.wsgi:application"]' in dockerfile


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".env", ".venv", "node_modules", "db.sqlite3", "media", ".git"} <= ignored


def test_nginx_example_matches_the_settings():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()

    def directive(name):
        return re.search(rf"^\s*{name}\s+([^;]+);", nginx, re.MULTILINE).group(1)

    size = directive("client_max_body_size")
    number, unit = re.fullmatch(r"(\d+)([km]?)", size).groups()
    assert int(number) * {"": 1, "k": 1024, "m": 1024**2}[unit] == settings.IMPORT_MAX_BYTES
    gunicorn = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert _seconds(directive("proxy_read_timeout")) > gunicorn["timeout"]
    assert directive("proxy_set_header Host") == "$host"
    assert directive("proxy_set_header X-Forwarded-Proto") == "$scheme"
    assert directive("proxy_set_header X-Forwarded-For") == "$proxy_add_x_forwarded_for"
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_gunicorn_config_logs_through_the_structured_formatter():
    gunicorn = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert gunicorn["worker_class"] == "gthread" and gunicorn["workers"] >= 1 and gunicorn["threads"] >= 1
    config = gunicorn["logconfig_dict"]
    for logger in ("gunicorn.access", "gunicorn.error"):
        handler = config["handlers"][config["loggers"][logger]["handlers"][0]]
        assert handler["stream"] == "ext://sys.stdout" and handler["formatter"] == "structured"
    module, _, name = gunicorn["logger_class"].rpartition(".")
    assert getattr(__import__(module, fromlist=[name]), name)


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
