"""From the identity provider's claims to roles, unit and agencies, as the settings map them.

``OIDC_ROLE_GROUPS``, ``OIDC_UNIT_GROUPS`` and ``OIDC_AGENCY_GROUPS`` map a value of the claim
named by ``OIDC_ROLES_CLAIM``, ``OIDC_UNIT_CLAIM`` and ``OIDC_AGENCIES_CLAIM`` (all ``groups`` by
default) to role keys of accounts/roles.py, unit codes and agency codes. A value may map to one
target or a list of them; values the settings do not name are ignored.
"""

from django.conf import settings

from . import roles


class AmbiguousUnit(Exception):
    """The claims name more than one unit: a user works in one unit."""


def claim_values(claims: dict, name: str) -> list[str]:
    """A claim as a list of strings (a provider may send one group as a plain string)."""
    value = claims.get(name)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value if isinstance(item, str | int)]
    return []


def _mapped(claims: dict, claim: str, mapping: dict) -> list[str]:
    found: list[str] = []
    for value in claim_values(claims, claim):
        targets = mapping.get(value, [])
        for target in [targets] if isinstance(targets, str) else targets:
            if target not in found:
                found.append(target)
    return found


def role_keys(claims: dict) -> list[str]:
    """The roles the claims give, in the order of roles.ROLES (unknown keys are left out; see checks.py)."""
    mapped = set(_mapped(claims, settings.OIDC_ROLES_CLAIM, settings.OIDC_ROLE_GROUPS))
    return [role for role in roles.ROLES if role in mapped]


def unit_code(claims: dict) -> str | None:
    """The unit the claims give, None for none; more than one is refused (AmbiguousUnit)."""
    codes = _mapped(claims, settings.OIDC_UNIT_CLAIM, settings.OIDC_UNIT_GROUPS)
    if len(codes) > 1:
        raise AmbiguousUnit(", ".join(codes))
    return codes[0] if codes else None


def agency_codes(claims: dict) -> list[str]:
    """The agencies the claims give (for agency contacts), sorted."""
    return sorted(_mapped(claims, settings.OIDC_AGENCIES_CLAIM, settings.OIDC_AGENCY_GROUPS))


def maps_units() -> bool:
    """Whether the claims decide the unit (only when a unit mapping is configured)."""
    return bool(settings.OIDC_UNIT_GROUPS)
