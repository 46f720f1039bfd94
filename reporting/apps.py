from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _default_targets(sender, **kwargs):
    from .targets import ensure_default_targets

    ensure_default_targets()


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting and invoicing")

    def ready(self):
        post_migrate.connect(_default_targets, sender=self, dispatch_uid="reporting.default_targets")
