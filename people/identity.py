"""Swedish personal identity numbers and protected identity.

One place for validation, normalisation and masking, shared by payroll and
pension cases, lists, exports and PDFs.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer

MASK = "******-****"
MASKED_NAME = _("Protected identity")
VIEW_PROTECTED_PERMISSION = "people.view_protected_identity"


def normalize_personnummer(value: str) -> str:
    """Return the number as ``YYYYMMDD-NNNN`` (coordination numbers included), or raise ValidationError."""
    raw = (value or "").strip()
    try:
        number = personnummer.parse(raw)
    except (personnummer.PersonnummerException, ValueError, TypeError) as exc:
        raise ValidationError(
            _("%(value)s is not a valid Swedish personal identity number."),
            code="invalid_personnummer",
            params={"value": raw[:40]},
        ) from exc
    return number.format(long_format=True)[:8] + "-" + number.format(long_format=True)[-4:]


def validate_personnummer(value: str) -> None:
    normalize_personnummer(value)


def can_see_protected(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(VIEW_PROTECTED_PERMISSION))


def display_personnummer(person, user) -> str:
    if person.protected_identity and not can_see_protected(user):
        return MASK
    return person.personnummer


def display_name(person, user) -> str:
    if person.protected_identity and not can_see_protected(user):
        return str(MASKED_NAME)
    return person.name


def log_unmasked_view(user, people, context: str) -> None:
    """Record that ``user`` was shown these people's protected identities unmasked.

    Call it wherever a page, export or PDF shows protected people to a user who
    may see them; people without protected identity are ignored.
    """
    from people.models import ProtectedIdentityAccess

    if not can_see_protected(user):
        return
    ProtectedIdentityAccess.objects.bulk_create(
        [
            ProtectedIdentityAccess(user=user, person=person, context=context[:200])
            for person in people
            if person.protected_identity
        ]
    )
