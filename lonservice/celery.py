import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lonservice.settings")

app = Celery("lonservice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _structured_logging(**kwargs):
    """Workers and beat log like the web (JSON on stdout) instead of Celery's own format."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def _add_structured_logging_step():
    from django_structlog.celery.signals import bind_extra_task_metadata
    from django_structlog.celery.steps import DjangoStructLogInitStep

    from lonservice.observability.logs import bind_job_id

    app.steps["worker"].add(DjangoStructLogInitStep)
    bind_extra_task_metadata.connect(bind_job_id, dispatch_uid="lonservice.bind_job_id")


_add_structured_logging_step()
