from urllib.parse import urlsplit

from django.conf import settings

from . import oidc


class ProviderLogoutFormActionMiddleware:
    """Lets the logout form's redirect reach the identity provider under the Content-Security-Policy.

    Logging out posts the top bar's form here, and the answer redirects to the provider's logout
    page; browsers check CSP ``form-action`` against every redirect of a form's submission, so the
    provider's origin joins ``'self'`` while provider logout is on. Listed after CSPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if oidc.enabled() and settings.OIDC_PROVIDER_LOGOUT:
            issuer = urlsplit(settings.OIDC_ISSUER)
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = (*update.get("form-action", ()), f"{issuer.scheme}://{issuer.netloc}")
            response._csp_update = update
        return response
