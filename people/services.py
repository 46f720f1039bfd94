"""Writing people: the one rule every payroll and pension path follows when it meets a person.

- A person is found by the personal identity number, normalised (``YYYYMMDD-NNNN``); a new
  number becomes a new person with the name given.
- A known person's name is only filled in when it is empty, never overwritten: the first name
  on record stays until an administrator changes it.
- Protected identity can be set here, never removed: only an administrator, or the tax agency's
  person register (``register.services``, which also replaces names and addresses), removes it.

``upsert_person`` is the rule for one person, ``upsert_people`` for an import's many. The
payslip import's set-based SQL (``payroll.services.imports``) is the same rule in bulk for a file
that carries no names: new numbers become people, known people are left as they are.
"""

from collections.abc import Mapping

from django.db import transaction

from .identity import normalize_personnummer
from .models import Person


@transaction.atomic
def upsert_person(*, personnummer: str, name: str = "", protected_identity: bool | None = None) -> Person:
    """The person with this number, created or completed by the rule above (ValidationError for a
    number that is not valid)."""
    number = normalize_personnummer(personnummer)
    name = (name or "").strip()
    person, created = Person.objects.get_or_create(
        personnummer=number, defaults={"name": name, "protected_identity": bool(protected_identity)}
    )
    if created:
        return person
    changed = []
    if name and not person.name:
        person.name = name
        changed.append("name")
    if protected_identity and not person.protected_identity:
        person.protected_identity = True
        changed.append("protected_identity")
    if changed:
        person.save(update_fields=changed)
    return person


@transaction.atomic
def upsert_people(names: Mapping[str, str]) -> dict[str, Person]:
    """``upsert_person`` for many numbers at once (``{number: name}``, name may be empty), as
    ``{normalised number: Person}``: one read for the known, one save per new or completed person
    (so each person's history records it)."""
    wanted: dict[str, str] = {}
    for number, name in names.items():
        wanted.setdefault(normalize_personnummer(number), (name or "").strip())
    found = {person.personnummer: person for person in Person.objects.filter(personnummer__in=list(wanted))}
    for number, name in wanted.items():
        person = found.get(number)
        if person is None:
            found[number] = person = Person(personnummer=number, name=name)
            person.save()
        elif name and not person.name:
            person.name = name
            person.save(update_fields=["name"])
    return found
