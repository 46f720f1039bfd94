from django.apps import AppConfig


class LonserviceConfig(AppConfig):
    """The project shell: settings, URLs, the Celery app, navigation. Its migrations only record
    where the audit trail's permission lived before it moved to the audit app."""

    name = "lonservice"
    verbose_name = "Lönservice"
