"""Reads of people shared by every page that finds someone by personal identity number.

The one search rule: a search finds a person by the **whole** personal identity number (or
coordination number), typed with or without century and with or without hyphen —
``19650315-1234``, ``196503151234``, ``650315-1234`` and ``6503151234`` find the same person —
and only when the number is valid (check digit included). Ten digits find the number in any
century. A part of a number finds nobody: a search must not list everyone born on a day.
For a user without the right to see protected identities, protected people are left out of
what a search by name or number finds, so the search cannot confirm that they have a case.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Case, F, Q, QuerySet, Value, When

from .identity import can_see_protected, normalize_personnummer
from .models import Person

CENTURIES = ("18", "19", "20")
_SEPARATORS = re.compile(r"[\s+-]")


def searched_numbers(text: str) -> list[str]:
    """The stored forms (``YYYYMMDD-NNNN``) a searched text may mean; empty when it is not a whole valid number."""
    raw = (text or "").strip()
    digits = _SEPARATORS.sub("", raw)
    if not digits.isdigit() or len(digits) not in (10, 12):
        return []
    try:
        normalize_personnummer(digits)  # the check digit
    except ValidationError:
        return []
    if len(digits) == 12:
        return [f"{digits[:8]}-{digits[8:]}"]
    return [f"{century}{digits[:6]}-{digits[6:]}" for century in CENTURIES]


def matching_personnummer(text: str, *, field: str = "personnummer") -> Q:
    """The rows whose ``field`` (a personal identity number) is the number searched for; none when
    ``text`` is not a whole valid number."""
    numbers = searched_numbers(text)
    return Q(**{f"{field}__in": numbers}) if numbers else Q(pk__in=[])


def without_protected(queryset: QuerySet, *, user, person: str = "person", unless: Q | None = None) -> QuerySet:
    """``queryset`` without the rows of protected people, unless ``user`` may see them. ``unless``
    keeps rows found by something that is no personal data (a case number); ``person=""`` when the
    queryset holds people themselves."""
    if can_see_protected(user):
        return queryset
    protected = Q(**{f"{person}__protected_identity" if person else "protected_identity": True})
    return queryset.exclude(protected if unless is None else protected & ~unless)


def order_by_personnummer(queryset: QuerySet, *, user, person: str = "person", descending: bool = False) -> QuerySet:
    """``queryset`` ordered by the people's personal identity numbers, without giving a protected
    number away: for a user who may not see protected identities, the masked rows sort as one
    group after the others (by id within it), so their place in the list says nothing about the
    number; for a user who may, by the number itself. The id breaks ties either way."""
    number = f"{person}__personnummer"
    tie = "-id" if descending else "id"
    if can_see_protected(user):
        return queryset.order_by(f"-{number}" if descending else number, tie)
    masked = Case(When(**{f"{person}__protected_identity": True}, then=Value(1)), default=Value(0))
    visible_number = Case(When(**{f"{person}__protected_identity": True}, then=Value("")), default=F(number))
    # The masked group stays last in both directions; within it the rows keep the id order.
    return queryset.order_by(masked.asc(), visible_number.desc() if descending else visible_number.asc(), tie)


def matching_name(text: str, *, field: str = "name") -> Q:
    """Rows whose ``field`` (a name) holds every word of ``text`` ("andersson anna" finds Anna
    Andersson); none for a text of fewer than two letters or one holding digits (a number is no name)."""
    words = (text or "").split()
    if not words or any(ch.isdigit() for ch in text) or sum(len(w) for w in words) < 2:
        return Q(pk__in=[])
    query = Q()
    for word in words[:5]:
        query &= Q(**{f"{field}__icontains": word})
    return query


def search_people(text: str, *, user, among: Q) -> QuerySet[Person]:
    """The people ``text`` finds by whole personal identity number or by name, of those ``among``
    selects (the people whose cases the user may see); protected people only for users allowed to
    see them, so neither the result nor its absence tells anyone else that they exist."""
    found = Person.objects.filter(among).filter(matching_personnummer(text) | matching_name(text))
    return without_protected(found, user=user, person="")
