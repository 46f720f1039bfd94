"""Everything that changes staffing figures: FTE per month, absences, phone figures, survey results."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import parse_period
from customers.selectors import agencies_for
from organisation.models import StaffMember, Unit
from organisation.selectors import units_for

from .models import Absence, Category, CustomerSurvey, Enquiry, MonthlyFte, PhoneServiceMonth, Skill

MAX_FTE = Decimal("99999.99")


def _with_user(obj, user):
    obj._history_user = user
    return obj


@dataclass
class MonthChanges:
    """Rows a month's figures created, changed, removed and left as they were."""

    periods: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def add(self, other: "MonthChanges") -> None:
        self.periods += other.periods
        self.created += other.created
        self.updated += other.updated
        self.deleted += other.deleted
        self.unchanged += other.unchanged


def write_month(*, period: str, values: dict[tuple[int, str], Decimal], units: list[Unit] | None, user) -> MonthChanges:
    """Make the month's rows (for ``units``, or every unit) exactly ``values``, row by row so the
    history records every change with who made it."""
    summary = MonthChanges(periods=[period])
    existing = MonthlyFte.objects.filter(period=period)
    if units is not None:
        existing = existing.filter(unit__in=units)
    current = {(row.unit_id, row.category): row for row in existing.select_for_update()}
    for key, row in current.items():
        if key not in values:
            _with_user(row, user).delete()
            summary.deleted += 1
    for (unit_id, category), fte in values.items():
        row = current.get((unit_id, category))
        if row is None:
            _with_user(
                MonthlyFte(period=period, unit_id=unit_id, category=category, fte=fte, updated_by=user), user
            ).save()
            summary.created += 1
        elif row.fte != fte:
            row.fte = fte
            row.updated_by = user
            _with_user(row, user).save()
            summary.updated += 1
        else:
            summary.unchanged += 1
    return summary


@transaction.atomic
def set_month_fte(*, unit: Unit, period: str, values: dict[str, Decimal], user) -> MonthChanges:
    """Set one unit's FTE per category for a month (the unit manager's form); every category is stored."""
    parse_period(period)
    for category, fte in values.items():
        if category not in Category.values:
            raise ValidationError(_("Unknown staff category %(category)s.") % {"category": category})
        if fte is None or fte < 0 or fte > MAX_FTE:
            raise ValidationError(_("FTE must be a number between 0 and %(max)s.") % {"max": MAX_FTE})
    return write_month(
        period=period,
        values={(unit.pk, category): Decimal(fte) for category, fte in values.items()},
        units=[unit],
        user=user,
    )


# --- absences -----------------------------------------------------------------------------------


def _check_absence(*, staff_member: StaffMember, first_day: dt.date, last_day: dt.date, extent: int, exclude=None):
    if last_day < first_day:
        raise ValidationError(_("The last day cannot be before the first day."), code="order")
    if not 1 <= extent <= 100:
        raise ValidationError(_("The extent is a percentage from 1 to 100."), code="extent")
    overlapping = Absence.objects.filter(staff_member=staff_member, first_day__lte=last_day, last_day__gte=first_day)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    if sum(a.extent for a in overlapping) + extent > 100:
        raise ValidationError(
            _("%(name)s is already absent then; together the absences would exceed 100 %%.")
            % {"name": staff_member.name},
            code="overlap",
        )


@transaction.atomic
def register_absence(
    *, staff_member: StaffMember, kind: str, first_day: dt.date, last_day: dt.date, extent: int, user, note: str = ""
) -> Absence:
    StaffMember.objects.select_for_update().get(pk=staff_member.pk)  # one absence at a time per person
    _check_absence(staff_member=staff_member, first_day=first_day, last_day=last_day, extent=extent)
    absence = _with_user(
        Absence(
            staff_member=staff_member,
            kind=kind,
            first_day=first_day,
            last_day=last_day,
            extent=extent,
            note=note,
            registered_by=user,
        ),
        user,
    )
    absence.save()
    return absence


@transaction.atomic
def update_absence(
    *, absence: Absence, kind: str, first_day: dt.date, last_day: dt.date, extent: int, user, note: str = ""
) -> Absence:
    StaffMember.objects.select_for_update().get(pk=absence.staff_member_id)
    _check_absence(
        staff_member=absence.staff_member, first_day=first_day, last_day=last_day, extent=extent, exclude=absence
    )
    absence.kind, absence.first_day, absence.last_day, absence.extent, absence.note = (
        kind,
        first_day,
        last_day,
        extent,
        note,
    )
    _with_user(absence, user).save()
    return absence


@transaction.atomic
def delete_absence(*, absence: Absence, user) -> None:
    _with_user(absence, user).delete()


# --- phone service and customer survey ----------------------------------------------------------

PHONE_COLUMNS = ["period", "calls", "answered_25s", "first_contact_resolved", "emails", "emails_within_1d"]
PHONE_COUNTS = PHONE_COLUMNS[1:]


def phone_problems(values: dict[str, int]) -> list[tuple[str, str]]:
    """(field, message) for figures that cannot all be true at once."""
    problems = []
    if values["answered_25s"] > values["calls"]:
        problems.append(("answered_25s", _("more calls answered within 25 seconds than calls offered")))
    if values["first_contact_resolved"] > values["calls"]:
        problems.append(("first_contact_resolved", _("more calls resolved at first contact than calls offered")))
    if values["emails_within_1d"] > values["emails"]:
        problems.append(("emails_within_1d", _("more e-mails answered in time than e-mails received")))
    return problems


def save_phone(period: str, values: dict[str, int], user) -> str:
    row = PhoneServiceMonth.objects.select_for_update().filter(period=period).first()
    if row is None:
        _with_user(PhoneServiceMonth(period=period, updated_by=user, **values), user).save()
        return "created"
    if all(getattr(row, name) == value for name, value in values.items()):
        return "unchanged"
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = user
    _with_user(row, user).save()
    return "updated"


@transaction.atomic
def save_phone_month(*, period: str, values: dict[str, int], user) -> PhoneServiceMonth:
    """Enter or correct a month's phone figures by hand."""
    parse_period(period)
    problems = phone_problems(values)
    if problems:
        raise ValidationError(dict(problems))
    save_phone(period, values, user)
    return PhoneServiceMonth.objects.get(period=period)


@transaction.atomic
def save_survey(
    *, year: int, satisfied_pct: Decimal, nki: Decimal, user, respondents: int | None = None, note: str = ""
) -> CustomerSurvey:
    """Enter or correct the year's customer survey result."""
    for value in (satisfied_pct, nki):
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError(_("Shares and the index are between 0 and 100."))
    survey = CustomerSurvey.objects.select_for_update().filter(year=year).first() or CustomerSurvey(year=year)
    survey.satisfied_pct, survey.nki, survey.respondents, survey.note = satisfied_pct, nki, respondents, note
    survey.updated_by = user
    _with_user(survey, user).save()
    return survey


# --- the phone service's enquiries ------------------------------------------------------------------


def register_enquiry(
    *, user, agency, asked_by: str, channel: str, topic: str, resolved_first_contact: bool = False, note: str = ""
) -> Enquiry:
    """An enquiry registered as it comes in (or just after): one of the user's agencies. A phone call
    resolved at once is answered now; an e-mail waits in the queue until it is answered."""
    if not user.has_perm("staffing.add_enquiry"):
        raise PermissionDenied
    if not agencies_for(user).filter(pk=agency.pk).exists():
        raise PermissionDenied
    now = timezone.now()
    resolved = bool(resolved_first_contact)
    enquiry = Enquiry(
        agency=agency,
        asked_by=(asked_by or "").strip(),
        channel=channel,
        topic=topic,
        resolved_first_contact=resolved,
        received_at=now,
        answered_at=now if resolved else None,
        answered_by=user if resolved else None,
        registered_by=user,
        note=(note or "").strip(),
    )
    if not enquiry.asked_by:
        raise ValidationError({"asked_by": _("Say who asked.")})
    enquiry._history_user = user
    enquiry.save()
    return enquiry


@transaction.atomic
def answer_enquiry(*, enquiry: Enquiry, user, note: str = "") -> Enquiry:
    """The enquiry is answered now (an e-mail's answer is measured against its 24 hours)."""
    if not user.has_perm("staffing.change_enquiry"):
        raise PermissionDenied
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.answered_at is not None:
        raise ValidationError(_("The enquiry is already answered."))
    enquiry.answered_at = timezone.now()
    enquiry.answered_by = user
    if note.strip():
        enquiry.note = (enquiry.note + "\n" + note.strip()).strip()[:500]
    enquiry._history_user = user
    enquiry.save(update_fields=["answered_at", "answered_by", "note"])
    return enquiry


@transaction.atomic
def set_skills(*, staff_member: StaffMember, case_types, agencies, user) -> None:
    """The unit manager says what one of the unit's staff can handle: these case types and these
    agencies (any unit's: a handler may know agencies they once served). Replaces the staff member's
    skills; each added or removed line is in the audit trail."""
    if not user.has_perm("staffing.change_skill"):
        raise PermissionDenied
    if not units_for(user).filter(pk=staff_member.unit_id).exists():
        raise ValidationError(_("%(name)s is not in your unit.") % {"name": staff_member.name})
    unknown = set(case_types) - set(Skill.CaseType.values)
    if unknown:
        raise ValidationError(_("Unknown case type: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    wanted_types, wanted_agencies = set(case_types), {a.pk for a in agencies}
    current = list(Skill.objects.select_for_update().filter(staff_member=staff_member).order_by("pk"))
    for skill in current:
        if (skill.case_type and skill.case_type not in wanted_types) or (
            skill.agency_id and skill.agency_id not in wanted_agencies
        ):
            skill._history_user = user
            skill.delete()
    have_types = {s.case_type for s in current if s.case_type}
    have_agencies = {s.agency_id for s in current if s.agency_id}
    for case_type in sorted(wanted_types - have_types):
        _with_user(Skill(staff_member=staff_member, case_type=case_type), user).save()
    for agency_id in sorted(wanted_agencies - have_agencies):
        _with_user(Skill(staff_member=staff_member, agency_id=agency_id), user).save()
