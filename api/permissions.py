"""What a token may do: its scope for the endpoint, and the account's permissions for that scope.

Each view names its ``required_scopes`` (one per method kind: ``read`` for GET/HEAD/OPTIONS, ``write``
otherwise). The objects are then read through the apps' unit-scoped selectors with the account as
the user, so a token sees what a person with the same roles and unit would see, never more.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts import roles


def scope_for(view, request) -> str | None:
    scopes = getattr(view, "required_scopes", {})
    kind = "read" if request.method in permissions.SAFE_METHODS else "write"
    return scopes.get(kind)


class HasScope(permissions.BasePermission):
    message = _("The token's scopes or its account's roles do not allow this.")

    def has_permission(self, request, view):
        token = request.auth
        if request.user is None or token is None or not hasattr(token, "scopes"):
            return False
        if request.method.upper() not in view.allowed_methods:
            return True  # a method the endpoint does not have: 405 follows
        scope = scope_for(view, request)
        if scope is None:
            return False
        return scope in token.scopes and scope in roles.allowed_scopes(request.user)
