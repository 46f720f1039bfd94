"""Container health checks (Dockerfile, docker-compose.yml): ``python deploy/healthcheck.py web|worker|beat``.

web: /healthz/live answers (liveness only: a database outage is for readiness, not for a restart).
worker: the worker on this host answers a Celery ping.
beat: beat has written its schedule file lately (it does at least every few minutes while it sends
the heartbeat task every HEARTBEAT_SECONDS).
Exit 0 when healthy, 1 otherwise, with the reason on stdout.
"""

import glob
import os
import socket
import subprocess
import sys
import time
import urllib.request

BEAT_SCHEDULE = os.environ.get("BEAT_SCHEDULE", "/data/beat/celerybeat-schedule")
BEAT_MAX_AGE = int(os.environ.get("BEAT_HEALTH_MAX_AGE", "600"))


def web(url: str = "http://127.0.0.1:8000/healthz/live") -> str | None:
    # Django answers only the host names it serves: ask as the first of them.
    host = next((h.lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h and h != "*"), "localhost")
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return None if response.status == 200 else f"/healthz/live answered {response.status}"
    except Exception as exc:
        return f"/healthz/live: {exc}"


def worker() -> str | None:
    node = f"celery@{socket.gethostname()}"
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "lonservice", "inspect", "ping", "-d", node, "--timeout", "5"],
        capture_output=True,
        text=True,
    )
    return None if result.returncode == 0 else f"{node} did not answer a ping: {result.stdout}{result.stderr}"


def beat(path: str = BEAT_SCHEDULE, max_age: int = BEAT_MAX_AGE) -> str | None:
    # The dbm behind beat's shelve may add a suffix (.db, .dat).
    files = glob.glob(glob.escape(path) + "*")
    if not files:
        return f"no schedule file at {path}"
    age = time.time() - max(os.path.getmtime(f) for f in files)
    return None if age <= max_age else f"schedule file not written for {age:.0f} s (limit {max_age} s)"


if __name__ == "__main__":
    checks = {"web": web, "worker": worker, "beat": beat}
    if len(sys.argv) != 2 or sys.argv[1] not in checks:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(checks)}")
    problem = checks[sys.argv[1]]()
    print(problem or "ok")
    sys.exit(1 if problem else 0)
