"""``Authorization: Bearer lon_…``: a system account's token (accounts.ApiToken)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.services import token_for_secret


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, secret = header.partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None
        secret = secret.strip()
        token = token_for_secret(secret) if secret else None
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, revoked or expired."))
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
