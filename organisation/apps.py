from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _default_targets(sender, **kwargs):
    from .targets import ensure_default_targets

    ensure_default_targets()


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        post_migrate.connect(_default_targets, sender=self, dispatch_uid="organisation.default_targets")
