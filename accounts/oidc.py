"""Sign-in through the city's identity provider with OpenID Connect (mozilla-django-oidc).

The provider is found by its issuer URL alone: its endpoints come from its discovery document
(``/.well-known/openid-configuration``), read at the first sign-in and kept for the process.
The library does the protocol (state, nonce, PKCE, the code for tokens, the ID token's signature
against the provider's keys, userinfo); this module adds what it leaves to its users: the
issuer and audience of the ID token, the userinfo's subject against the ID token's, and the
user, found by (issuer, subject) and set up from the claims by ``accounts.services``.

Sign-in through the provider never passes through django.contrib.auth.authenticate, so the
password throttle (django-axes) counts password log-ins only: a city behind one address would
otherwise lock everyone out of single sign-on after five failed sign-ins.
"""

import functools
import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from . import services

logger = logging.getLogger(__name__)

# The library's endpoint settings, read from the provider's discovery document instead.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class ProviderUnavailable(Exception):
    """The identity provider cannot be reached or does not describe itself as it should."""


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


@functools.lru_cache(maxsize=4)
def _discover(issuer: str) -> dict:
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"{url}: {exc}") from exc
    if document.get("issuer") != issuer:  # OpenID Connect Discovery 1.0, section 4.3
        raise ProviderUnavailable(f"{url} names the issuer {document.get('issuer')!r}, not {issuer!r}")
    missing = [key for key in _DISCOVERED.values() if not document.get(key)]
    if missing:
        raise ProviderUnavailable(f"{url} lacks {', '.join(missing)}")
    return document


def discovery() -> dict:
    """The provider's discovery document (fetched once per process and issuer; failures are not kept)."""
    return _discover(settings.OIDC_ISSUER)


def forget_discovery() -> None:
    _discover.cache_clear()


def setting(attr, *default):
    """The library's settings, with the provider's endpoints from discovery."""
    if attr in _DISCOVERED:
        return discovery()[_DISCOVERED[attr]]
    return import_from_settings(attr, *default)


class SsoBackend(OIDCAuthenticationBackend):
    """The library's code flow, checking what it does not and handing the claims to accounts.services."""

    get_settings = staticmethod(setting)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" not in kwargs:  # a signed userinfo response, not the ID token
            return payload
        if payload.get("iss") != settings.OIDC_ISSUER:
            raise SuspiciousOperation(f"ID token from issuer {payload.get('iss')!r}")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation(f"ID token for audience {audience!r}")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not payload.get("sub") or userinfo.get("sub") != payload["sub"]:  # OpenID Connect Core 1.0, 5.3.2
            raise SuspiciousOperation("userinfo names another subject than the ID token")
        # Some providers put the groups in the ID token only (Entra ID), others in userinfo only.
        claims = {**payload, **userinfo}
        try:
            return services.sign_in_from_claims(issuer=settings.OIDC_ISSUER, claims=claims)
        except services.SignInRefused as exc:
            logger.warning("sign-in through the identity provider refused: %s", exc)
            return None


def provider_logout_url(request, *, return_to: str) -> str | None:
    """Where to send the browser to end its session at the provider too (RP-initiated logout 1.0).

    None when the user did not sign in through the provider, provider logout is switched off
    (OIDC_PROVIDER_LOGOUT), or the provider has no end_session_endpoint. Read before logging out:
    the ID token (the hint) is in the session."""
    id_token = request.session.get("oidc_id_token")
    if not (enabled() and settings.OIDC_PROVIDER_LOGOUT and id_token):
        return None
    try:
        endpoint = discovery().get("end_session_endpoint")
    except ProviderUnavailable as exc:
        logger.warning("provider logout skipped: %s", exc)
        return None
    if not endpoint:
        return None
    query = urlencode(
        {"id_token_hint": id_token, "post_logout_redirect_uri": return_to, "client_id": settings.OIDC_RP_CLIENT_ID}
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
