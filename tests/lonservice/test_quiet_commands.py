"""A management command prints only what it has to say: no INFO line from the apps at start-up."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-test-key-that-is-long-enough-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DATABASE_URL": "sqlite:////tmp/lonservice-quiet-test.sqlite3",
    "CELERY_BROKER_URL": "redis://127.0.0.1:9/0",  # not reached by check
}


@pytest.mark.parametrize("mode", ["development", "production"])
def test_manage_py_starts_without_info_lines(mode):
    env = {**os.environ, "LOG_LEVEL": "INFO", "LOG_FORMAT": "json", "DEBUG": "true"}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "TEST_DATABASE_NAME"):
        env.pop(name, None)
    if mode == "production":
        env.update(PRODUCTION)
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."
    assert done.stderr == ""
