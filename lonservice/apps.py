from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from .roles import sync_roles

    sync_roles()


class LonserviceConfig(AppConfig):
    name = "lonservice"
    verbose_name = "Lönservice"

    def ready(self):
        # Once the last app has migrated, every permission exists.
        last_app = list(apps.get_app_configs())[-1]
        post_migrate.connect(_sync_roles, sender=last_app, dispatch_uid="lonservice.sync_roles")
