"""gunicorn for Lönservice: ``gunicorn -c deploy/gunicorn.conf.py lonservice.wsgi:application``.

Every value can be changed from the environment; README (Production) says how to size them.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lonservice.observability.logs import logging_config  # noqa: E402

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threads let a worker wait on PostgreSQL for one request while it serves another; the processes
# use the cores (PDF rendering and Excel exports are CPU work held by Python's GIL).
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# The longest work done inside a request is an export (at most 100,000 cases to Excel) or a PDF;
# imports and the close run in the Celery worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "60"))
keepalive = 5
# A fresh process now and then keeps memory from creeping (WeasyPrint, openpyxl).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs: JSON on stdout, the access line through the same formatter (personal numbers redacted).
logger_class = "lonservice.observability.gunicorn.AccessLogger"
logconfig_dict = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"), fmt=os.environ.get("LOG_FORMAT", "json"))
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()


def on_starting(server):
    """Metrics of a previous run's workers must not be summed into this one's."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
