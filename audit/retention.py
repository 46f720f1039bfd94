"""How long personal data is kept, and removing it afterwards (``manage.py purge_personal_data``).

Personal data of payroll and pension work — the employee's name and personal identity number
(people.Person), free-text notes about their cases, and the payslip files they came in — is
kept for ``settings.PERSONAL_DATA_RETENTION_YEARS`` full calendar years after the year the work
ended (with 7: work of 2012 is kept until the end of 2019 and removed from 1 January 2020),
then removed:

- a person whose every case, signal and unmasked view is older than that is anonymised: the
  number becomes ``ANON-<id>``, the name and address are emptied, and the same is done in their history rows;
  a person nothing refers to any more is deleted;
- the notes, reasons and return details of those people's cases are emptied (also in history);
- stored payslip files of imports finished before the limit are deleted, with their error lists;
- the documents attached to those people's cases are deleted (row and file), their notes emptied.

Cases themselves stay (each is one counted payslip or decision), so volumes, reports and the
issued invoices — which are copies, never recomputed — keep their counts and totals. Running it
again changes nothing; ``dry_run`` counts what would be removed and removes nothing.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from payroll.models import CaseDocument as PayrollDocument
from payroll.models import CaseNote as PayrollNote
from payroll.models import CaseReturn, ControlCheck, PayrollCase, PayslipImport
from payroll.models import StatusChange as PayrollStatusChange
from pensions.models import CaseDocument as PensionDocument
from pensions.models import CaseNote as PensionNote
from pensions.models import PensionCase, SignalItem
from pensions.models import StatusChange as PensionStatusChange
from people.models import Person, ProtectedIdentityAccess
from register.models import PersonSignal

log = logging.getLogger(__name__)

ANONYMOUS_PREFIX = "ANON-"


def anonymous_number(pk: int) -> str:
    return f"{ANONYMOUS_PREFIX}{pk:08d}"[:13]


def cutoff_for(*, today: dt.date, years: int) -> dt.date:
    """The first day still kept: 1 January of the year ``years`` before this one."""
    return dt.date(today.year - years, 1, 1)


@dataclass
class PurgeResult:
    cutoff: dt.date
    dry_run: bool
    people_anonymised: int = 0
    people_deleted: int = 0
    payroll_cases: int = 0
    pension_cases: int = 0
    signals: int = 0
    notes_cleared: int = 0
    history_rows_cleared: int = 0
    import_files_deleted: int = 0
    documents_deleted: int = 0
    details: dict = field(default_factory=dict)

    @property
    def changed_anything(self) -> bool:
        return any(
            (
                self.people_anonymised,
                self.people_deleted,
                self.notes_cleared,
                self.history_rows_cleared,
                self.import_files_deleted,
                self.documents_deleted,
            )
        )


# The address and death the person register (EPS) gave, emptied with the name.
NO_ADDRESS = {"care_of": "", "street_address": "", "postal_code": "", "city": "", "died_on": None}


def _recent_reference_rules(cutoff: dt.date) -> dict[type, Q]:
    """For each model that refers to a person: the rows that still need the person (recent or unfinished)."""
    cutoff_period = f"{cutoff.year:04d}-01"
    return {
        PayrollCase: Q(period__gte=cutoff_period) | Q(status__in=PayrollCase.OPEN_STATUSES),
        PensionCase: Q(status__in=PensionCase.UNFINISHED_STATUSES)
        | Q(received_on__gte=cutoff)
        | Q(decided_on__gte=cutoff)
        | Q(paid_on__gte=cutoff)
        | Q(closed_on__gte=cutoff),
        SignalItem: Q(status="open") | Q(event_date__gte=cutoff) | Q(handled_on__gte=cutoff),
        PersonSignal: Q(status="open") | Q(register_file__received_on__gte=cutoff) | Q(handled_on__gte=cutoff),
        ProtectedIdentityAccess: Q(accessed_at__gte=_start(cutoff)),
    }


def _references_to_people():
    """Every (model, field name) that points at a Person, history tables left out: found from the
    relations themselves, so a model added later that refers to people is never overlooked."""
    return [
        (relation.related_model, relation.field.name)
        for relation in Person._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and isinstance(relation.field, models.ForeignKey)
        and not relation.related_model.__name__.startswith("Historical")
    ]


def people_to_remove(*, cutoff: dt.date):
    """(people to anonymise, people to delete): not yet anonymised, needed by nothing recent."""
    rules = _recent_reference_rules(cutoff)
    candidates = Person.objects.exclude(personnummer__startswith=ANONYMOUS_PREFIX)
    any_reference = Q()
    for model, name in _references_to_people():
        rows = model.objects.filter(**{name: OuterRef("pk")})
        # A model without a rule (added later) keeps its people: better kept too long than lost.
        recent = rows.filter(rules[model]) if model in rules else rows
        candidates = candidates.filter(~Exists(recent))
        any_reference |= Q(Exists(rows))
    referenced = candidates.filter(any_reference)
    unreferenced = candidates.exclude(any_reference)
    # A person nothing refers to is deleted once their own record is older than the limit too.
    history = Person.history.model.objects.filter(id=OuterRef("pk"), history_date__gte=_start(cutoff))
    unreferenced = unreferenced.filter(~Exists(history))
    return referenced, unreferenced


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _clear(queryset, fields: list[str]) -> int:
    """Empty the text ``fields`` of the rows that have something in one of them."""
    filled = Q()
    for name in fields:
        filled |= ~Q(**{name: ""})
    return queryset.filter(filled).update(**dict.fromkeys(fields, ""))


def _clear_case_texts(person_ids: list[int], result: PurgeResult) -> None:
    payroll_cases = PayrollCase.objects.filter(person_id__in=person_ids)
    pension_cases = PensionCase.objects.filter(person_id__in=person_ids)
    signal_items = SignalItem.objects.filter(person_id__in=person_ids)
    result.payroll_cases = payroll_cases.count()
    result.pension_cases = pension_cases.count()
    result.signals = signal_items.count()
    case_ids = payroll_cases.values("pk")
    pension_ids = pension_cases.values("pk")
    texts = [
        (payroll_cases, ["note", "cancel_reason"]),
        (CaseReturn.objects.filter(case__in=case_ids), ["details"]),
        (PayrollStatusChange.objects.filter(case__in=case_ids), ["note"]),
        (ControlCheck.objects.filter(case__in=case_ids), ["note"]),
        (pension_cases, ["note"]),
        (PensionStatusChange.objects.filter(case__in=pension_ids), ["note"]),
        (signal_items, ["note"]),
        (PersonSignal.objects.filter(person_id__in=person_ids), ["old_value", "new_value", "note"]),
        (PayrollNote.objects.filter(case__in=case_ids), ["text"]),
        (PensionNote.objects.filter(case__in=pension_ids), ["text"]),
    ]
    for queryset, fields in texts:
        result.notes_cleared += _clear(queryset, fields)
    history = [
        (PayrollCase.history.model.objects.filter(person_id__in=person_ids), ["note", "cancel_reason"]),
        (ControlCheck.history.model.objects.filter(case_id__in=case_ids), ["note"]),
        (PensionCase.history.model.objects.filter(person_id__in=person_ids), ["note"]),
        (SignalItem.history.model.objects.filter(person_id__in=person_ids), ["note"]),
        (PersonSignal.history.model.objects.filter(person_id__in=person_ids), ["old_value", "new_value", "note"]),
    ]
    for queryset, fields in history:
        result.history_rows_cleared += _clear(queryset, fields)
    # The documents of those cases go altogether: a scan shows the person however it is named.
    for documents in (
        PayrollDocument.objects.filter(case__in=case_ids),
        PensionDocument.objects.filter(case__in=pension_ids),
    ):
        names = list(documents.values_list("file", flat=True))
        result.documents_deleted += len(names)
        documents.delete()
        _delete_files_on_commit(documents.model._meta.get_field("file").storage, names)


def _delete_old_import_files(cutoff: dt.date, result: PurgeResult) -> None:
    old = PayslipImport.objects.filter(created_at__lt=_start(cutoff)).filter(~Q(file="") | ~Q(errors=[]))
    names = [name for name in old.values_list("file", flat=True) if name]
    result.import_files_deleted = len(names)
    old.update(file="", errors=[])
    _delete_files_on_commit(PayslipImport._meta.get_field("file").storage, names)


def _delete_files_on_commit(storage, names: list[str]) -> None:
    def delete_files():
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                log.warning("could not delete %s", name, exc_info=True)

    transaction.on_commit(delete_files)  # only when the purge is committed, never on a dry run


def purge_personal_data(*, today: dt.date | None = None, years: int | None = None, dry_run: bool = False):
    """Anonymise or delete the personal data of work that ended before the retention limit (see module)."""
    years = settings.PERSONAL_DATA_RETENTION_YEARS if years is None else years
    if years < 1:
        raise ValueError("the retention period must be at least one year")
    cutoff = cutoff_for(today=today or timezone.localdate(), years=years)
    result = PurgeResult(cutoff=cutoff, dry_run=dry_run)
    with transaction.atomic():
        referenced, unreferenced = people_to_remove(cutoff=cutoff)
        anonymise_ids = list(referenced.values_list("pk", flat=True))
        delete_ids = list(unreferenced.values_list("pk", flat=True))
        _clear_case_texts(anonymise_ids, result)
        history = Person.history.model.objects.filter(id__in=anonymise_ids + delete_ids)
        result.history_rows_cleared += history.count()
        for pk in anonymise_ids + delete_ids:
            # queryset.update writes no new history row (it would copy the data once more)
            cleared = {"personnummer": anonymous_number(pk), "name": "", "protected_identity": False, **NO_ADDRESS}
            Person.objects.filter(pk=pk).update(**cleared)
            Person.history.model.objects.filter(id=pk).update(**cleared)
        Person.objects.filter(pk__in=delete_ids).delete()
        Person.history.model.objects.filter(id__in=delete_ids).delete()  # with the row the delete just wrote
        result.people_anonymised, result.people_deleted = len(anonymise_ids), len(delete_ids)
        _delete_old_import_files(cutoff, result)
        if dry_run:
            transaction.set_rollback(True)
    return result
