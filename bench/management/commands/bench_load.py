"""``make load``: 50 concurrent users for 60 s against gunicorn on localhost (bench/load/run.py)."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "50 users for 60 s on the work queue, case list, dashboards and invoice PDFs; bench/results-load.md."

    def run_from_argv(self, argv):
        from bench.load import run

        sys.exit(run.main(argv[2:]))
