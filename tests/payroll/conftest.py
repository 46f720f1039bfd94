import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Assertions below read the English source texts; one test checks the Swedish pages."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _eager_celery(request, settings):
    """Tasks run inline here, as without a broker (CI has Redis); the Redis test uses a real worker."""
    if "redis" in request.keywords:
        yield
        return
    from lonservice.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER = before
