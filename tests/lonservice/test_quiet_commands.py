"""A management command prints only what it has to say: no INFO line from the apps at start-up."""

import os
import subprocess
import sys

from django.conf import settings


def test_manage_py_starts_without_info_lines():
    env = {**os.environ, "LOG_LEVEL": "INFO", "LOG_FORMAT": "json", "DEBUG": "true"}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."
    assert done.stderr == ""
