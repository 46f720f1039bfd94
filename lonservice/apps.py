from django.apps import AppConfig


class LonserviceConfig(AppConfig):
    """The project shell: settings, URLs, the Celery app, navigation, and what operations sees
    (``observability/``). Its migrations record where the audit trail's permission lived before it
    moved to the audit app, and hold beat's heartbeat."""

    name = "lonservice"
    verbose_name = "Lönservice"

    def ready(self):
        from django_structlog.signals import bind_extra_request_metadata

        from .observability.logs import bind_client_ip

        bind_extra_request_metadata.connect(bind_client_ip, dispatch_uid="lonservice.bind_client_ip")
