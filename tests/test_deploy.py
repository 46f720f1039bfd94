"""deploy/: backup rotation and the container health checks."""

import datetime as dt
import http.cookiejar
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import TEST_PASSWORD

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def _policy(names, nightly=30, monthly=12):
    """The README's promise, written out: the 30 newest, and the first of each of the 12 newest months."""
    names = sorted(names)
    firsts = {}
    for name in names:
        firsts.setdefault(name.split("-", 1)[1][:7], name)
    return set(names[-nightly:]) | set(sorted(firsts.values())[-monthly:])


def _rotate(directory, *args):
    return subprocess.run(
        ["bash", str(DEPLOY / "backup.sh"), "--rotate", *args],
        env={**os.environ, "BACKUP_DIR": str(directory)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()


@pytest.mark.skipif(not shutil.which("bash"), reason="needs bash")
def test_backup_rotation_keeps_30_nightly_and_12_monthly_and_nothing_for_ever(tmp_path):
    day, dumps = dt.date(2025, 1, 1), []
    while day <= dt.date(2026, 2, 4):
        if day.day != 13:  # a night without a backup now and then
            dumps.append(f"lonservice-{day:%Y-%m-%d}.dump.age")
        day += dt.timedelta(days=1)
    media = [f"media-2025-{month:02d}-02.tar.gz.age" for month in range(1, 13)] + ["media-2026-02-01.tar.gz.age"]
    for name in dumps + media:
        (tmp_path / name).write_text("x")
        (tmp_path / f"{name}.sha256").write_text("x")
    (tmp_path / "lonservice-2026-02-05.dump.age.part").write_text("x")  # a backup being written
    (tmp_path / "notes.txt").write_text("x")

    expired = set(dumps) - _policy(dumps) | set(media) - _policy(media)
    listed = _rotate(tmp_path, "--dry-run")
    assert sorted(listed) == sorted(f"would delete {name}" for name in expired)
    assert (tmp_path / dumps[0]).exists()  # a dry run deletes nothing

    _rotate(tmp_path)
    left = {p.name for p in tmp_path.iterdir()}
    kept = _policy(dumps) | _policy(media)
    assert left == kept | {f"{n}.sha256" for n in kept} | {"lonservice-2026-02-05.dump.age.part", "notes.txt"}
    kept_dumps = sorted(n for n in kept if n.startswith("lonservice-"))
    assert len(kept_dumps) == 30 + 11  # January 2026's first is also one of the 30 newest
    assert kept_dumps[0] == "lonservice-2025-03-01.dump.age"  # nothing older than 12 months
    assert _rotate(tmp_path, "--dry-run") == []  # running it again deletes nothing more


def test_beat_health_check_reads_the_schedule_files_age(tmp_path):
    check = runpy.run_path(str(DEPLOY / "healthcheck.py"))["beat"]
    schedule = tmp_path / "celerybeat-schedule"
    assert "no schedule file" in check(str(schedule), 600)
    (tmp_path / "celerybeat-schedule.db").write_text("x")  # the dbm's suffix
    assert check(str(schedule), 600) is None
    old = time.time() - 700
    os.utime(tmp_path / "celerybeat-schedule.db", (old, old))
    assert "not written for" in check(str(schedule), 600)


def test_web_health_check_asks_liveness_as_an_allowed_host(live_server, monkeypatch):
    check = runpy.run_path(str(DEPLOY / "healthcheck.py"))["web"]
    monkeypatch.setenv("ALLOWED_HOSTS", "localhost,.example.se")
    assert check(f"{live_server.url}/healthz/live") is None
    monkeypatch.setenv("ALLOWED_HOSTS", "lon.example.se")  # a host Django does not serve here: 400
    assert "400" in check(f"{live_server.url}/healthz/live")


def _recipe_environment():
    """README's first-run recipe's `export` lines, run by bash as a reader would paste them."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    block = readme.split("<!-- recipe:local-http -->", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    exports = "\n".join(line for line in block.splitlines() if line.startswith("export "))
    names = {name for line in exports.splitlines() for name in re.findall(r"(\w+)=", line)}
    out = subprocess.run(["bash", "-c", f"{exports}\nenv -0"], capture_output=True, text=True, check=True).stdout
    environment = dict(item.split("=", 1) for item in out.split("\0") if "=" in item)
    return {name: environment[name] for name in names}


def _settings_under(environment):
    names = ["DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_SSL_REDIRECT"]
    names += ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "DEBUG")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**base, **environment, "DJANGO_SETTINGS_MODULE": "lonservice.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def _log_in(base_url, headers):
    """Log in through the login form as a browser would: cookies kept (Secure ones only over https)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.addheaders = list(headers.items())
    page = opener.open(f"{base_url}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "handlaggare", "password": TEST_PASSWORD})
    request = urllib.request.Request(
        f"{base_url}/login/", data=form.encode(), headers={"Referer": f"{base_url}/login/", "Origin": base_url}
    )
    return opener.open(request)


@pytest.mark.django_db(transaction=True)
def test_first_run_recipe_logs_in_over_plain_http(live_server, settings):
    from tests.factories import UserFactory

    UserFactory(username="handlaggare")
    recipe = _settings_under(_recipe_environment())
    assert recipe["DEBUG"] is False  # the production settings, started as the recipe says
    for name, value in recipe.items():
        setattr(settings, name, value)
    base_url = live_server.url.replace("localhost", "127.0.0.1")
    response = _log_in(base_url, {})
    assert response.status == 200 and urllib.parse.urlsplit(response.url).path != "/login/"

    # Without the recipe's switches (what the README said before): the cookies are Secure, so a
    # browser on http never sends them back and the login is refused for want of its CSRF cookie.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    with pytest.raises(urllib.error.HTTPError) as refused:
        _log_in(base_url, {"X-Forwarded-Proto": "https"})
    assert refused.value.code == 403
