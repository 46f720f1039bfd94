"""Users: created at their first sign-in through the identity provider or by an administrator;
their roles, unit and protected-identity permission changed; deactivated, never deleted.

Every change is written to the admin site's log (django.contrib.admin LogEntry), which the audit
trail shows next to the changes made in the admin site itself: who, when, and each value before
and after (in the language of the person who made the change).
"""

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from customers.models import Agency, AgencyContactAccess
from organisation.models import StaffMember, Unit

from . import claims as claim_map
from . import roles
from .models import ApiToken, SsoIdentity

logger = logging.getLogger(__name__)


class SignInRefused(Exception):
    """The provider vouched for someone this product will not let in; the reason goes to the log."""


# --- what a user may do, as the audit trail shows it ------------------------------------------------


@dataclass(frozen=True)
class Access:
    name: str
    email: str
    roles: tuple[str, ...]
    unit: str
    protected_identity: bool
    active: bool
    agencies: str = ""  # an agency contact's agencies' codes


def access_of(user) -> Access:
    names = set(user.groups.values_list("name", flat=True))
    staff = StaffMember.objects.filter(user=user).select_related("unit").first()
    return Access(
        name=user.get_full_name(),
        email=user.email,
        roles=tuple(role for role in roles.ROLES if roles.GROUP_NAMES[role] in names),
        unit=staff.unit.name if staff else "",
        agencies=", ".join(
            AgencyContactAccess.objects.filter(user=user)
            .order_by("agency__code")
            .values_list("agency__code", flat=True)
        ),
        protected_identity=roles.PROTECTED_IDENTITY_GROUP in names,
        active=user.is_active,
    )


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def describe_changes(before: Access | None, after: Access) -> str:
    """``Roles: Case handler → Unit manager; Unit: — → Payroll unit 1`` (only what differs)."""
    fields = [
        (_("Name"), "name", str),
        (_("E-mail"), "email", str),
        (_("Roles"), "roles", lambda keys: ", ".join(str(roles.ROLE_LABELS[key]) for key in keys)),
        (_("Unit"), "unit", str),
        (_("Agencies"), "agencies", str),
        (_("Protected identity"), "protected_identity", _yes_no),
        (_("Active"), "active", _yes_no),
    ]
    parts = []
    for label, attr, show in fields:
        new = getattr(after, attr)
        if before is None:
            if new:
                parts.append(f"{label}: {show(new)}")
        elif getattr(before, attr) != new:
            parts.append(f"{label}: {show(getattr(before, attr)) or '—'} → {show(new) or '—'}")
    return "; ".join(parts)


def _log(*, by, user, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(by.pk, [user], flag, message[:5000], single_object=True)


# --- the pieces of a user's access --------------------------------------------------------------------


def _set_roles(user, role_keys: list[str]) -> None:
    """The user's role groups become exactly ``role_keys``; other groups (Protected identity) stay."""
    role_groups = {group.name: group for group in Group.objects.filter(name__in=roles.GROUP_NAMES.values())}
    wanted = {roles.GROUP_NAMES[key] for key in role_keys}
    user.groups.remove(*[group for name, group in role_groups.items() if name not in wanted])
    user.groups.add(*[role_groups[name] for name in wanted])
    # The admin site is for administrators (a superuser keeps it whatever their groups).
    user.is_staff = user.is_superuser or roles.ADMINISTRATOR in role_keys


def _set_protected_identity(user, allowed: bool) -> None:
    group = Group.objects.get(name=roles.PROTECTED_IDENTITY_GROUP)
    if allowed:
        user.groups.add(group)
    else:
        user.groups.remove(group)


_CATEGORY_BY_ROLE = {
    roles.CASE_HANDLER: StaffMember.Category.PAYROLL_ADMIN,
    roles.PENSION_HANDLER: StaffMember.Category.PENSION_HANDLER,
    roles.UNIT_MANAGER: StaffMember.Category.MANAGER,
    roles.HEAD_OF_SERVICE: StaffMember.Category.HEAD_OF_SERVICE,
}


def _set_unit(user, unit: Unit | None, role_keys: list[str]) -> None:
    """A user's unit is their staff record's (customers.StaffMember, kept with its history and
    absences). No unit: the record is no longer the user's; a new unit: the record moves."""
    staff = StaffMember.objects.filter(user=user).first()
    if unit is None:
        if staff is not None:
            staff.user = None
            staff.save(update_fields=["user"])
    elif staff is None:
        category = next((_CATEGORY_BY_ROLE[key] for key in role_keys if key in _CATEGORY_BY_ROLE), None)
        StaffMember.objects.create(
            user=user,
            name=user.get_full_name() or user.get_username(),
            unit=unit,
            category=category or StaffMember.Category.OTHER,
        )
    elif staff.unit_id != unit.pk:
        staff.unit = unit
        staff.save(update_fields=["unit"])


def set_agencies(user, agency_codes: list[str]) -> None:
    """Agency contacts' agencies, from the agencies claim (claims.agency_codes): at every sign-in
    ``user``'s agencies become exactly those the claims name, as the role groups do. A user who is
    not an agency contact keeps no agency (a contact who lost the role loses them too). A code no
    agency has is logged and skipped."""
    wanted: set[int] = set()
    if agency_codes and roles.AGENCY_CONTACT in roles.roles_of(user):
        found = dict(Agency.objects.filter(code__in=agency_codes).values_list("code", "pk"))
        for code in sorted(set(agency_codes) - set(found)):
            logger.error("the agencies claim names the agency %r, which does not exist", code)
        wanted = set(found.values())
    current = set(AgencyContactAccess.objects.filter(user=user).values_list("agency_id", flat=True))
    if current - wanted:
        AgencyContactAccess.objects.filter(user=user, agency_id__in=current - wanted).delete()
    AgencyContactAccess.objects.bulk_create([AgencyContactAccess(user=user, agency_id=pk) for pk in wanted - current])


# --- sign-in through the identity provider ----------------------------------------------------------


def _first_sign_in(*, issuer: str, subject: str, username: str):
    """The user for a provider account seen for the first time: one an administrator made for
    single sign-on (same user name, no password), or a new one. A local user with a password is
    never taken over by whoever the provider names the same."""
    user_model = get_user_model()
    existing = user_model.objects.select_for_update().filter(username=username).first()
    if existing is None:
        user = user_model.objects.create_user(username=username)  # no password: sign-in through the provider only
        created = True
    elif existing.has_usable_password() or SsoIdentity.objects.filter(user=existing).exists():
        raise SignInRefused(f"the user name {username!r} belongs to a local user or another provider account")
    else:
        user, created = existing, False
    SsoIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    return user, created


def sign_in_from_claims(*, issuer: str, claims: dict):
    """The user the provider's claims describe, created at the first sign-in and brought in line
    with the claims at every sign-in: name and e-mail, the role groups (replaced: a user removed
    from a provider group loses the role), the unit when OIDC_UNIT_GROUPS is set, and agencies.
    The protected-identity permission is never taken from the provider: an administrator gives
    it, person by person. A deactivated user is refused (SignInRefused)."""
    subject = str(claims.get("sub") or "")
    username = str(claims.get(settings.OIDC_USERNAME_CLAIM) or "")[:150]
    if not subject or not username:
        raise SignInRefused(f"the claims lack sub or {settings.OIDC_USERNAME_CLAIM}")
    try:
        unit_code = claim_map.unit_code(claims)
    except claim_map.AmbiguousUnit as exc:
        raise SignInRefused(f"{username}: the claims name more than one unit ({exc})") from exc
    unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
    if unit_code and unit is None:
        logger.error("OIDC_UNIT_GROUPS names the unit %r, which does not exist", unit_code)
    role_keys = claim_map.role_keys(claims)
    with transaction.atomic():
        identity = (
            SsoIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is not None:
            user, created, linked = identity.user, False, False
        else:
            user, created = _first_sign_in(issuer=issuer, subject=subject, username=username)
            linked = not created
        if not user.is_active:
            raise SignInRefused(f"{user.get_username()} is deactivated")
        before = None if created else access_of(user)
        for field, claim, length in (("first_name", "given_name", 150), ("last_name", "family_name", 150)):
            if claim in claims:
                setattr(user, field, str(claims[claim] or "")[:length])
        if "email" in claims:
            user.email = str(claims["email"] or "")[:254]
        _set_roles(user, role_keys)
        user.save()
        if claim_map.maps_units():
            _set_unit(user, unit, role_keys)
        set_agencies(user, claim_map.agency_codes(claims))
        changes = describe_changes(before, access_of(user))
        if created:
            message = _("Created at the first sign-in through the identity provider. %(changes)s")
            _log(by=user, user=user, flag=ADDITION, message=message % {"changes": changes})
        elif linked:
            message = _("First sign-in through the identity provider. %(changes)s")
            _log(by=user, user=user, flag=CHANGE, message=message % {"changes": changes})
        elif changes:
            message = _("Changed at sign-in through the identity provider: %(changes)s")
            _log(by=user, user=user, flag=CHANGE, message=message % {"changes": changes})
    return user


# --- the users page ---------------------------------------------------------------------------------


@transaction.atomic
def create_user(
    *,
    by,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role_keys: list[str],
    unit: Unit | None,
    protected_identity: bool,
):
    """A new user without a password: they sign in through the identity provider (linked at their
    first sign-in by the user name) or set a password from a link (set_password_path)."""
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("A user with that user name already exists."), code="duplicate")
    user = user_model.objects.create_user(username=username, email=email, first_name=first_name, last_name=last_name)
    _set_roles(user, role_keys)
    user.save()
    _set_protected_identity(user, protected_identity)
    _set_unit(user, unit, role_keys)
    _log(by=by, user=user, flag=ADDITION, message=describe_changes(None, access_of(user)))
    return user


@transaction.atomic
def change_user(
    *,
    by,
    user,
    first_name: str,
    last_name: str,
    email: str,
    role_keys: list[str],
    unit: Unit | None,
    protected_identity: bool,
):
    """Name, e-mail, roles, unit and the protected-identity permission as given (logged when changed).
    For a user who signs in through the provider, roles (and the unit, when mapped) are set again
    from the claims at the next sign-in."""
    if user == by and roles.ADMINISTRATOR not in role_keys and not user.is_superuser:
        raise ValidationError(_("You cannot take away your own administrator role."), code="own_role")
    before = access_of(user)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    _set_roles(user, role_keys)
    user.save()
    _set_protected_identity(user, protected_identity)
    _set_unit(user, unit, role_keys)
    changes = describe_changes(before, access_of(user))
    if changes:
        _log(by=by, user=user, flag=CHANGE, message=changes)
    return user


@transaction.atomic
def set_active(*, by, user, active: bool):
    """Deactivate (the user can no longer sign in, and their open sessions end) or activate again.
    Users are never deleted: their name stays on everything they did."""
    if user == by and not active:
        raise ValidationError(_("You cannot deactivate yourself."), code="self")
    if user.is_active == active:
        return user
    before = access_of(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    _log(by=by, user=user, flag=CHANGE, message=describe_changes(before, access_of(user)))
    return user


def set_password_path(*, by, user) -> str:
    """A set-password link's path for ``user`` (Django's reset token: valid PASSWORD_RESET_TIMEOUT
    seconds, once, and void when the password changes); logged, never stored."""
    if not user.is_active:
        raise ValidationError(_("The user is deactivated."), code="inactive")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    _log(by=by, user=user, flag=CHANGE, message=_("A set-password link was made."))
    return reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token})


# --- API tokens of system accounts ------------------------------------------------------------------

TOKEN_PREFIX = "lon_"
_LAST_USED_EVERY = dt.timedelta(minutes=1)


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, by, user, name: str, scopes: list[str], expires_on: dt.date | None = None):
    """A new token for ``user``: returns (the token, its secret). The secret is shown once and never
    stored; a scope the user's permissions do not allow is refused."""
    if not user.is_active:
        raise ValidationError(_("The user is deactivated."), code="inactive")
    unknown = [scope for scope in scopes if scope not in roles.API_SCOPES]
    if unknown or not scopes:
        raise ValidationError(_("Choose at least one scope."), code="scopes")
    refused = [scope for scope in scopes if scope not in roles.allowed_scopes(user)]
    if refused:
        raise ValidationError(
            _("The user's roles do not allow these scopes: %(scopes)s.") % {"scopes": ", ".join(refused)},
            code="scopes",
        )
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError(_("The date cannot be in the past."), code="expires_on")
    prefix = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=prefix,
        key_hash=_token_hash(secret),
        scopes=[scope for scope in roles.API_SCOPES if scope in scopes],
        created_by=by,
        expires_on=expires_on,
    )
    message = _("API token %(name)s (%(prefix)s…) was made with the scopes %(scopes)s.") % {
        "name": token.name,
        "prefix": prefix,
        "scopes": ", ".join(token.scopes),
    }
    _log(by=by, user=user, flag=CHANGE, message=message)
    return token, secret


@transaction.atomic
def revoke_api_token(*, by, token: ApiToken) -> ApiToken:
    """The token stops working at once; it stays listed, revoked, with who revoked it."""
    if token.is_revoked:
        return token
    token.revoked_at, token.revoked_by = timezone.now(), by
    token.save(update_fields=["revoked_at", "revoked_by"])
    message = _("API token %(name)s (%(prefix)s…) was revoked.") % {"name": token.name, "prefix": token.prefix}
    _log(by=by, user=token.user, flag=CHANGE, message=message)
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The valid token whose secret this is (not revoked, not expired, its account active), or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    prefix = secret[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _token_hash(secret)):
        return None
    if token.is_revoked or not token.user.is_active:
        return None
    if token.expires_on is not None and token.expires_on < timezone.localdate():
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
