from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from .roles import sync_roles

    sync_roles()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        # Once the last app with models has migrated, every permission exists (post_migrate is
        # sent only to apps with models).
        last_app = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
        post_migrate.connect(_sync_roles, sender=last_app, dispatch_uid="accounts.sync_roles")
        from . import checks  # noqa: F401  (registers the check of the sign-in mapping)
