import pytest

from accounts import oidc

from .provider import APP, configure, running_provider


@pytest.fixture(scope="session")
def oidc_server(tmp_path_factory):
    with running_provider(tmp_path_factory.mktemp("oidc"), APP) as server:
        yield server


@pytest.fixture
def idp(oidc_server, settings):
    """Single sign-on switched on against the provider, with no users there yet."""
    provider = configure(settings, oidc_server)
    yield provider
    provider.browser.close()
    oidc.forget_discovery()
