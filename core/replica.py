"""Reports read from a PostgreSQL read replica when one is configured (``REPORTS_DATABASE_URL``).

The report pages and dashboards run inside ``reports_reads()``; while it is active, the router
sends their reads to the ``reports`` database, and everything else (every write, every other
page, the close, the import) stays on ``default``. Without the setting nothing changes. Reports
are about closed months and the dashboards' aggregates, so a replica a few seconds behind is fine.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPORTS = "reports"
_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def reports_reads():
    """Reads inside go to the reports replica, when there is one."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reads_reports(view):
    """A report view whose reads go to the reports replica (``reports_reads``)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with reports_reads():
            response = view(*args, **kwargs)
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()  # a lazy template reads while it renders
            return response

    return wrapped


class ReportsReplicaRouter:
    """``DATABASE_ROUTERS``: reads inside ``reports_reads()`` go to the replica; writes and
    migrations always to ``default`` (the replica copies the primary)."""

    def db_for_read(self, model, **hints):
        if _reading_reports.get() and REPORTS in settings.DATABASES:
            return REPORTS
        return None

    def db_for_write(self, model, **hints):
        return None  # every write goes where it would without the router: never to the replica

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is migrated by replication, never by us; other databases (a scratch one in the
        # migration tests) as Django would without the router.
        return False if db == REPORTS else None
