"""Swedish personal identity numbers and protected identity.

One place for validation, normalisation and masking, shared by payroll and
pension cases, lists, exports and PDFs.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer

MASK = "******-****"
MASKED_NAME = _("Protected identity")
VIEW_PROTECTED_PERMISSION = "people.view_protected_identity"


# The canonical form the payroll system writes (and this module returns): checked here without the
# library, ~4 × faster on a 500,000-row import; any other form, or a number this check does not
# accept, goes through the library, so the outcome and its error are the library's.
CANONICAL = re.compile(r"([12][0-9]{3})(0[1-9]|1[0-2])([0-9]{2})-([0-9]{4})")


def _canonical(raw: str) -> bool:
    match = CANONICAL.fullmatch(raw)
    if match is None:
        return False
    year, month, day, serial = match.groups()
    if serial.startswith("000"):  # no birth number 000 (the library's rule)
        return False
    number = int(day)
    if number > 60:
        number -= 60  # a coordination number
    try:
        dt.date(int(year), int(month), number)
    except ValueError:
        return False
    digits = year[2:] + month + day + serial
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 - i % 2)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def normalize_personnummer(value: str) -> str:
    """Return the number as ``YYYYMMDD-NNNN`` (coordination numbers included), or raise ValidationError."""
    raw = (value or "").strip()
    if _canonical(raw):
        return raw
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


def display_name(person, user, *, name: str | None = None) -> str:
    """The person's name as ``user`` may see it; ``name`` is the name a case keeps of its own (shown
    instead of the one on record, masked all the same)."""
    if person.protected_identity and not can_see_protected(user):
        return str(MASKED_NAME)
    return person.name if name is None else name


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


# Where an unmasked view happened, as log_unmasked_view's callers write it (stable English text,
# kept in the log), and how the log page says it in the reader's language.
_FORMATS = {"csv": "CSV", "xlsx": "Excel"}
_CONTEXTS = [
    (r"payroll work queue", _("Payroll work queue")),
    (r"payroll case list", _("Payroll case list")),
    (r"payroll work distribution", _("Work distribution")),
    (r"payroll case export \((?P<format>\w+)\)", _("Payroll cases downloaded (%(format)s)")),
    (r"payroll cover letter (?P<ref>\S+)", _("Cover letter of payroll case %(ref)s")),
    (r"payroll document (?P<ref>\S+)", _("Document of payroll case %(ref)s")),
    (r"pensions: document (?P<ref>\S+)", _("Document of pension case %(ref)s")),
    (r"payroll case registered (?P<ref>\S+)", _("Payroll case %(ref)s registered for a protected number")),
    (r"payroll case (?P<ref>\S+)", _("Payroll case %(ref)s")),
    (r"internal control sample", _("Internal control sample")),
    (r"pensions: work queue", _("Pension work queue")),
    (r"pensions: case list", _("Pension case list")),
    (r"pensions: case export \((?P<format>\w+)\)", _("Pension cases downloaded (%(format)s)")),
    (r"pensions: case (?P<ref>\S+)", _("Pension case %(ref)s")),
    (r"pensions: signal list (?P<ref>\S+)", _("Signal list %(ref)s")),
    (r"person register: signals", _("Person register signals")),
    (r"certificate list", _("Certificates")),
    (r"honour awards export", _("Honour awards downloaded")),
    (r"workplace report (?P<ref>\S+)", _("Report %(ref)s to Statistics Sweden")),
    (r"workplace (?P<ref>\S+)", _("Workplace %(ref)s")),
    (r"honour awards?", _("Honour awards")),
    (r"certificate (?P<ref>\S+)", _("Certificate %(ref)s")),
    (r"search", _("Top bar search")),
    (r"admin: person", _("Admin site: the person")),
    (r"admin: person history", _("Admin site: the person's history")),
]


def context_label(context: str) -> str:
    """The log's "where" in the reader's words: "pensions: case export (csv)" is "Pension cases downloaded (CSV)"."""
    for pattern, label in _CONTEXTS:
        match = re.fullmatch(pattern, context or "")
        if match:
            values = match.groupdict()
            if "format" in values:
                values["format"] = _FORMATS.get(values["format"], values["format"].upper())
            return gettext(str(label)) % values if values else str(label)
    return context


def require_sight_of(user, person, context: str) -> None:
    """A page or file that shows who ``person`` is: refused (403) to users who may not see a protected
    identity, and logged for those who may. Nothing for a person without protected identity."""
    from django.core.exceptions import PermissionDenied

    if not person.protected_identity:
        return
    if not can_see_protected(user):
        raise PermissionDenied
    log_unmasked_view(user, [person], context)
