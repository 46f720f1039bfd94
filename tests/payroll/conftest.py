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
