from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "payroll"
    verbose_name = _("Payroll")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sqlite_count_triggers, sender=self)


def _sqlite_count_triggers(sender, using="default", **kwargs):
    """SQLite loses a table's triggers when a migration rebuilds it: make the count triggers again."""
    from django.db import connections

    from . import counts

    if connections[using].vendor == "sqlite":
        counts.ensure_triggers(using)
