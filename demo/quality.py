"""Demo data for document quality and deviations, and the skills matrix (issues 19 and 24).

- **Deviations**: the centre's own errors in the demo year's closed months, in both payroll units:
  one or two corrected payments a month (wrong amount, wrong deduction, not made, paid twice), a
  few late payments and registrations that affected no payment; the older ones closed with their
  corrective action, the latest still open. About 50,000 payslips a month (seed 000) put the error
  rate at 0.2–0.4 corrected payments per 10,000.
- **Skills matrix**: the demo case handler knows the new-hire, change, termination and addition
  documents and unit 1's agencies; a few of unit 1's payroll administrators also know unit 2's
  agencies, so the loan page shows whom to lend.

Document quality itself (returns, right the first time) is read from the payroll demo's cases.
Idempotent: nothing is added when deviations (skills) exist.
"""

from django.db import transaction

from accounts import roles
from customers.models import Agency
from demo import calendar
from organisation.models import StaffMember
from payroll.models import Deviation
from staffing.models import Skill

K, C = Deviation.Kind, Deviation.Cause
# month's deviations: (kind, cause, what happened, correction, corrective action); one list a month in turn.
PLAN = [
    [
        (K.WRONG_PAYMENT, C.REGISTRATION, "Fel timlön registrerad för timanställd.", "Mellanskillnaden betald."),
        (
            K.LATE_PAYMENT,
            C.HANDLED_LATE,
            "Underlaget för nyanställning låg kvar efter den 8:e.",
            "Utbetalt via Girovision.",
        ),
    ],
    [
        (
            K.WRONG_DEDUCTION,
            C.ROUTINE_NOT_FOLLOWED,
            "Jämkningsbeslut från Skatteverket inte registrerat.",
            "Skatten återbetald.",
        ),
    ],
    [
        (K.DOUBLE_PAYMENT, C.REGISTRATION, "Ersättning registrerad två gånger.", "Återkrav skickat via förvaltningen."),
        (
            K.MISSED_PAYMENT,
            C.ROUTINE_UNCLEAR,
            "OB-tillägg uteblev efter ändring av schema.",
            "Tillägget betalt nästa lönekörning.",
        ),
    ],
    [
        (K.WRONG_PAYMENT, C.KNOWLEDGE, "Fel semesterlönetillägg vid avslut.", "Mellanskillnaden betald."),
        (K.WRONG_REGISTRATION, C.REGISTRATION, "Fel kostnadsställe på tillägg.", "Omkonterat."),
    ],
]
ACTION = "Genomgång av rutinen på enhetsmötet; checklista uppdaterad."
HANDLER_TYPES = ["new_hire", "change", "termination", "additions_deductions"]


def load(*, users) -> None:
    _load_deviations(users)
    _load_skills(users)


def _load_deviations(users) -> None:
    handler, manager = users.get(roles.CASE_HANDLER), users.get(roles.UNIT_MANAGER)
    months = calendar.months()
    if handler is None or manager is None or not months or Deviation.objects.exists():
        return
    agencies = list(Agency.objects.filter(unit__code__in=["lon1", "lon2"]).order_by("code"))
    if not agencies:
        return
    rows = []
    for i, month in enumerate(months):
        for j, (kind, cause, text, correction) in enumerate(PLAN[i % len(PLAN)]):
            day = calendar.day(month, 10 + 7 * j)
            if not calendar.is_past(day):
                continue
            latest = month == months[-1]
            corrected = calendar.day(month, 12 + 7 * j)
            corrected = corrected if calendar.is_past(corrected) and not latest else None
            rows.append(
                Deviation(
                    agency=agencies[(i * 3 + j) % len(agencies)],
                    occurred_on=day,
                    kind=kind,
                    cause=cause,
                    description=text,
                    correction=correction if corrected else "",
                    corrected_on=corrected,
                    corrective_action=ACTION if corrected and month < months[-1] - 1 else "",
                    status=(
                        Deviation.Status.OPEN
                        if corrected is None
                        else Deviation.Status.CLOSED
                        if month < months[-1] - 1
                        else Deviation.Status.CORRECTED
                    ),
                    registered_by=handler if j == 0 else manager,
                )
            )
    with transaction.atomic():
        for deviation in rows:
            deviation._history_user = deviation.registered_by
            deviation.save()


def _load_skills(users) -> None:
    if Skill.objects.exists():
        return
    own = list(Agency.objects.filter(unit__code="lon1").order_by("code"))
    other = list(Agency.objects.filter(unit__code="lon2").order_by("code"))
    if not own:
        return
    skills = []
    handler = getattr(users.get(roles.CASE_HANDLER), "staff_member", None)
    if handler is not None:
        skills += [Skill(staff_member=handler, case_type=t) for t in HANDLER_TYPES]
        skills += [Skill(staff_member=handler, agency=a) for a in own]
    colleagues = StaffMember.objects.filter(
        unit__code="lon1", category=StaffMember.Category.PAYROLL_ADMIN, user__isnull=True, active=True
    ).order_by("name")
    for n, member in enumerate(colleagues[:6]):
        skills += [Skill(staff_member=member, case_type=t) for t in HANDLER_TYPES[: 2 + n % 3]]
        if n % 2 == 0 and other:
            skills += [Skill(staff_member=member, agency=a) for a in other[n % len(other) :][:3]]
        if n == 1:
            skills.append(Skill(staff_member=member, case_type="urgent_payout"))
    Skill.objects.bulk_create(skills)
