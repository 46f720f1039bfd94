from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied

from . import oidc, roles


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


class AgencyContactFenceMiddleware:
    """Keeps agency contacts in the agencies' portal: any other page answers them 403, so a page of
    the centre's own work that forgets a permission check still shows a contact nothing. Signing in
    and out, the start page, the language and the password remain theirs."""

    OPEN_TO_CONTACTS = frozenset(
        {
            "home",
            "login",
            "logout",
            "password_change",
            "password_change_done",
            "set_language",
            "healthz",
            "healthz_live",
            "healthz_ready",
            "version",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not roles.is_agency_contact_only(user):
            return None
        match = request.resolver_match
        if match is not None and ("portal" in match.namespaces or match.url_name in self.OPEN_TO_CONTACTS):
            return None
        raise PermissionDenied
