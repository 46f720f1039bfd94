"""Writing workplaces: the register kept by the units, employees linked to a workplace, and the
reports of changes to Statistics Sweden.

- A workplace has Statistics Sweden's CFAR number (eight digits, unique), address and activity (SNI).
- An employee is linked from a day on; the latest link is where they work. A link to where the
  employee already works is refused, and so is a second link on the same day.
- A report takes every link not yet reported, in one transaction, so each change is sent once.
  The file lays the report's changes out as documented in the README (``report_rows``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from people.identity import can_see_protected, log_unmasked_view
from people.services import upsert_person

from .models import Workplace, WorkplaceAssignment, WorkplaceReport
from .selectors import current_assignments

REPORT_HEADER = [
    "cfar",
    "personnummer",
    "from_date",
    "previous_cfar",
    "agency_code",
    "workplace_name",
    "street_address",
    "postal_code",
    "city",
    "activity_code",
]


@transaction.atomic
def save_workplace(*, user, workplace: Workplace | None = None, **fields) -> Workplace:
    workplace = workplace or Workplace()
    for name, value in fields.items():
        setattr(workplace, name, value.strip() if isinstance(value, str) else value)
    workplace.full_clean()
    workplace._history_user = user
    workplace.save()
    return workplace


@transaction.atomic
def link_employee(*, user, workplace: Workplace, personnummer: str, since) -> WorkplaceAssignment:
    person = upsert_person(personnummer=personnummer)
    now = current_assignments().filter(person=person).first()
    if now and now.workplace_id == workplace.pk:
        raise ValidationError(_("The employee already works at this workplace."))
    if WorkplaceAssignment.objects.filter(person=person, since=since).exists():
        raise ValidationError({"since": _("The employee already has a workplace from that day.")})
    if now and since < now.since:
        raise ValidationError(
            {
                "since": _("The employee has a later workplace; give a day after %(day)s.")
                % {"day": now.since.isoformat()}
            }
        )
    assignment = WorkplaceAssignment(person=person, workplace=workplace, since=since, created_by=user)
    assignment._history_user = user
    assignment.save()
    return assignment


@transaction.atomic
def create_report(*, user) -> WorkplaceReport:
    changes = WorkplaceAssignment.objects.select_for_update().filter(report__isnull=True)
    if not changes.exists():
        raise ValidationError(_("There are no changes to report."))
    report = WorkplaceReport.objects.create(created_by=user)
    changes.update(report=report)
    return report


def report_rows(*, report: WorkplaceReport, user) -> tuple[list[list], int]:
    """The report's rows in the file's layout, and how many changes of protected people were left out
    for a user who may not see them (they are reported by someone who may)."""
    changes = list(
        report.changes.select_related("person", "workplace__agency").order_by("workplace__cfar", "person__personnummer")
    )
    allowed = can_see_protected(user)
    shown = [c for c in changes if allowed or not c.person.protected_identity]
    log_unmasked_view(user, [c.person for c in shown], f"workplace report {report.pk}")
    previous = {
        c.pk: WorkplaceAssignment.objects.filter(person=c.person, since__lt=c.since)
        .order_by("-since", "-id")
        .values_list("workplace__cfar", flat=True)
        .first()
        for c in shown
    }
    rows = [
        [
            c.workplace.cfar,
            c.person.personnummer,
            c.since.isoformat(),
            previous[c.pk] or "",
            c.workplace.agency.code,
            c.workplace.name,
            c.workplace.street_address,
            c.workplace.postal_code,
            c.workplace.city,
            c.workplace.activity_code,
        ]
        for c in shown
    ]
    return rows, len(changes) - len(shown)
