from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _default_targets(sender, **kwargs):
    from .targets import ensure_default_targets

    ensure_default_targets()


# Labels of reporting's entries in lonservice/navigation.py, translated in this app's catalogue.
NAVIGATION_LABELS = [
    _("Invoices"),
    _("Monthly close"),
    _("Service dashboard"),
    _("Unit dashboard"),
    _("Volumes"),
    _("Productivity"),
    _("Tertial report"),
    _("Targets"),
    _("Invoicing"),
    _("Reports"),
]


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting and invoicing")

    def ready(self):
        post_migrate.connect(_default_targets, sender=self, dispatch_uid="reporting.default_targets")
