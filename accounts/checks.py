"""System check: the sign-in mapping names roles that exist (a typo would silently give no role)."""

from django.conf import settings
from django.core.checks import Error, register

from . import roles


@register()
def check_oidc_mapping(app_configs, **kwargs):
    errors = []
    for name in ("OIDC_ROLE_GROUPS", "OIDC_UNIT_GROUPS", "OIDC_AGENCY_GROUPS"):
        if not isinstance(getattr(settings, name), dict):
            errors.append(Error(f"{name} must be a JSON object: group name to target", id="accounts.E002"))
    if errors:
        return errors
    for group, targets in settings.OIDC_ROLE_GROUPS.items():
        for key in [targets] if isinstance(targets, str) else targets:
            if key not in roles.ROLES:
                errors.append(
                    Error(
                        f"OIDC_ROLE_GROUPS maps {group!r} to {key!r}, which is not a role",
                        hint=f"Use one of: {', '.join(roles.ROLES)}",
                        id="accounts.E001",
                    )
                )
    return errors
