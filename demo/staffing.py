"""Demo data for staffing: the 2012 organisation of seed 000 month by month, laid on the demo year
(``demo.calendar``: its months before the current one; nothing dated after today).

67 people, 64.45 FTE: 56 payroll administrators (53.95 FTE) in six teams of the two units,
5 pension handlers (4.5 FTE, created by the pensions demo), 2 unit managers, 2 deputies, a
development secretary (a developer) and the head of service; and, from the 2025 plan (seed 001),
the four assistants who register documents and take certificates and the post off the handlers
(4 FTE): 71 people, 68.45 FTE in the staff categories of 2025. The FTE of 2012 vary by month (summer leave
lower) and average exactly 53.95 and 4.50 (64.45 in all); sick leave is entered as absences; phone figures for
each month; the customer survey of 2011 and 2012.

Idempotent: rows are looked up before they are written; bulk inserts keep ``seed_demo`` fast.
"""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from accounts import roles
from core.workdays import add_working_days, next_working_day
from customers.models import Agency
from demo import calendar
from demo.users import upsert
from organisation.models import StaffMember, Team, Unit, UnitLoan
from staffing.models import Absence, CustomerSurvey, Enquiry, MonthlyFte, PhoneServiceMonth

C = StaffMember.Category
D = Decimal

# Payroll-admin FTE of the whole service per month: 53.95 ± the month's variation (sum of deltas 0).
PAYROLL_DELTAS = ["0.65", "0.85", "1.05", "0.75", "0.55", "-0.45", "-6.20", "-2.40", "1.15", "1.35", "1.45", "1.25"]
PENSION_FTE = ["4.5", "4.6", "4.7", "4.6", "4.6", "4.3", "3.5", "4.2", "4.7", "4.8", "4.7", "4.8"]
# Managers: lon1 holds a unit manager and a deputy (and the head of service); lon2 a unit manager and a deputy.
MANAGER_FTE = {"lon1": "2", "lon2": "2"}
HEAD_FTE = "1"
DEVELOPER_FTE = "1"  # the development secretary
# Seed 001: "Vid ingången av året är 4 assistenter anställda", two in each unit.
ASSISTANTS = [
    ("Alva Assistent", "lon1"),
    ("Bo Assistent", "lon1"),
    ("Cecilia Assistent", "lon2"),
    ("Dan Assistent", "lon2"),
]
ASSISTANT_FTE = {"lon1": "2", "lon2": "2"}

FIRST = [
    "Anna", "Maria", "Karin", "Sara", "Lena", "Emma", "Kristina", "Elin", "Ida", "Linda", "Malin", "Jenny",
    "Sofia", "Helena", "Camilla", "Johanna", "Annika", "Therese", "Jessica", "Petra", "Susanne", "Åsa",
    "Monica", "Ulrika", "Erik", "Johan", "Mikael", "Anders", "Peter", "Fredrik", "Daniel", "Jonas",
]  # fmt: skip
LAST = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson",
]  # fmt: skip

MANAGEMENT = [
    # name, unit, category (the unit managers and the head of service are demo logins)
    ("Gunnar Gustafsson", "lon2", C.MANAGER),
    ("Sofia Ek", "lon1", C.MANAGER),
    ("Johan Berg", "lon2", C.MANAGER),
    ("Ulla Utvecklare", "lon1", C.DEVELOPER),
    *[(name, code, C.ASSISTANT) for name, code in ASSISTANTS],
]


def _payroll_names() -> list[str]:
    names, i = [], 0
    while len(names) < 56:
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 5 + i // len(FIRST)) % len(LAST)]}"
        if name not in names:
            names.append(name)
        i += 1
    return names


def load_staff(users) -> None:
    """The 2012 roster: 28 payroll administrators per unit in three teams each, and management."""
    units = {u.code: u for u in Unit.objects.filter(code__in=["lon1", "lon2"])}
    if len(units) < 2:
        return
    teams = {
        code: list(Team.objects.filter(unit=unit).exclude(name="Pensionsteam").order_by("name"))
        for code, unit in units.items()
    }
    case_handler = users.get(roles.CASE_HANDLER)
    names = _payroll_names()
    if case_handler is not None:
        # The demo case handler is one of the 56 (lon1, the first team).
        names[0] = case_handler.get_full_name()
    for i, name in enumerate(names):
        code = "lon1" if i < 28 else "lon2"
        team = teams[code][i % 3] if teams[code] else None
        values = {"unit": units[code], "team": team, "category": C.PAYROLL_ADMIN}
        if case_handler is not None and name == case_handler.get_full_name():
            upsert(StaffMember, lookup={"user": case_handler}, values={"name": name, **values})
        else:
            upsert(StaffMember, lookup={"name": name}, values=values)
    head = users.get(roles.HEAD_OF_SERVICE)
    if head is not None:
        values = {"name": head.get_full_name(), "unit": units["lon1"], "category": C.HEAD_OF_SERVICE}
        upsert(StaffMember, lookup={"user": head}, values=values)
    for name, code, category in MANAGEMENT:
        upsert(StaffMember, lookup={"name": name}, values={"unit": units[code], "category": category})


def _fte_rows(units) -> list[MonthlyFte]:
    rows = []
    half = D("0.01")
    for m in [month - 1 for month in calendar.months()]:
        period = calendar.period(m + 1)
        total = D("53.95") + D(PAYROLL_DELTAS[m])
        lon1 = (total / 2).quantize(half, rounding=ROUND_HALF_UP)
        figures = {
            ("lon1", C.PAYROLL_ADMIN): lon1,
            ("lon2", C.PAYROLL_ADMIN): total - lon1,
            ("lon2", C.PENSION_HANDLER): D(PENSION_FTE[m]),
            ("lon1", C.MANAGER): D(MANAGER_FTE["lon1"]),
            ("lon2", C.MANAGER): D(MANAGER_FTE["lon2"]),
            ("lon1", C.HEAD_OF_SERVICE): D(HEAD_FTE),
            ("lon1", C.DEVELOPER): D(DEVELOPER_FTE),
            ("lon1", C.ASSISTANT): D(ASSISTANT_FTE["lon1"]),
            ("lon2", C.ASSISTANT): D(ASSISTANT_FTE["lon2"]),
        }
        for (code, category), fte in figures.items():
            rows.append(MonthlyFte(period=period, unit=units[code], category=category, fte=fte))
    return rows


def load_fte() -> None:
    units = {u.code: u for u in Unit.objects.filter(code__in=["lon1", "lon2"])}
    if len(units) < 2:
        return
    existing = set(
        MonthlyFte.objects.filter(period__startswith=f"{calendar.year()}-").values_list("period", "unit_id", "category")
    )
    MonthlyFte.objects.bulk_create([r for r in _fte_rows(units) if (r.period, r.unit.pk, r.category) not in existing])


def _absence_plan(staff: list[StaffMember]) -> list[Absence]:
    """Short sick spells through the year (more in winter), a few long ones at part time."""
    year = calendar.year()
    rng = random.Random(calendar.SEED_YEAR)
    winter = {1: 0.5, 2: 0.55, 3: 0.45, 4: 0.36, 5: 0.3, 6: 0.24, 7: 0.15, 8: 0.2, 9: 0.3, 10: 0.4, 11: 0.45, 12: 0.45}
    plan = []
    long_term = [s for s in staff if s.category == C.PAYROLL_ADMIN][5::9]  # seven people
    for n, member in enumerate(long_term):
        start = dt.date(year, 1 + (n * 3) % 10, 1)
        if not calendar.is_past(start):
            continue
        plan.append(
            Absence(
                staff_member=member,
                kind=Absence.Kind.SICK,
                first_day=start,
                last_day=start + dt.timedelta(days=75),
                extent=50,
                note="Deltidssjukskrivning",
            )
        )
    for member in staff:
        busy_until = dt.date(year, 1, 1)
        for month in range(1, 13):
            if rng.random() >= winter[month]:
                continue
            first = next_working_day(max(busy_until, dt.date(year, month, rng.randint(1, 26))))
            if first.year != year or first.month != month or not calendar.is_past(first):
                continue
            last = add_working_days(first, rng.randint(0, 4))
            plan.append(Absence(staff_member=member, kind=Absence.Kind.SICK, first_day=first, last_day=last))
            busy_until = last + dt.timedelta(days=1)
    return plan


def load_absences() -> None:
    staff = list(StaffMember.objects.filter(unit__code__in=["lon1", "lon2"]).order_by("name"))
    if not staff:
        return
    existing = set(
        Absence.objects.filter(first_day__year=calendar.year()).values_list("staff_member_id", "first_day", "kind")
    )
    accepted = []
    for absence in _absence_plan(staff):
        overlapping = any(
            a.staff_member.pk == absence.staff_member.pk
            and a.first_day <= absence.last_day
            and absence.first_day <= a.last_day
            for a in accepted
        )
        if not overlapping:
            accepted.append(absence)
    new = [a for a in accepted if (a.staff_member.pk, a.first_day, a.kind) not in existing]
    Absence.objects.bulk_create(new)


# calls offered, answered within 25 s (%), resolved at first contact (%), e-mails, answered within a day (%)
PHONE = [
    (5620, 82.1, 78.4, 2480, 94.2),
    (5110, 85.6, 80.3, 2250, 96.0),
    (5380, 86.9, 81.2, 2330, 97.1),
    (4950, 87.4, 81.9, 2190, 97.6),
    (5040, 86.2, 80.8, 2240, 96.9),
    (4870, 84.3, 79.7, 2120, 95.8),
    (3120, 79.8, 77.5, 1460, 92.4),
    (4690, 83.5, 79.1, 2050, 95.1),
    (5290, 86.8, 81.5, 2310, 97.3),
    (5330, 87.9, 82.4, 2360, 97.8),
    (5180, 88.3, 82.9, 2290, 98.1),
    (4410, 86.4, 81.7, 1980, 97.0),
]


def load_phone() -> None:
    existing = set(PhoneServiceMonth.objects.values_list("period", flat=True))
    rows = []
    for m, (calls, within, first, emails, in_time) in enumerate(PHONE, start=1):
        period = calendar.period(m)
        if period in existing or not calendar.is_closed_month(m):
            continue
        rows.append(
            PhoneServiceMonth(
                period=period,
                calls=calls,
                answered_25s=round(calls * within / 100),
                first_contact_resolved=round(calls * first / 100),
                emails=emails,
                emails_within_1d=round(emails * in_time / 100),
            )
        )
    PhoneServiceMonth.objects.bulk_create(rows)


def load_surveys() -> None:
    # Seed 000: the 2011 NKI for efficiency was 75, and 2012 was expected to exceed it (the demo
    # year and the year before).
    upsert(
        CustomerSurvey,
        lookup={"year": calendar.year() - 1},
        values={"satisfied_pct": D("86.0"), "nki": D("75.0"), "respondents": 164, "note": "NKI effektivitet 75"},
    )
    upsert(
        CustomerSurvey,
        lookup={"year": calendar.year()},
        values={"satisfied_pct": D("88.0"), "nki": D("77.0"), "respondents": 171, "note": "NKI effektivitet 77"},
    )


def load_desk(users) -> None:
    """The case desk: each unit's agencies served by its three payroll teams in turn (by code), and one
    lon1 payroll administrator lent to lon2 for the weeks around today (decided by lon1's manager)."""
    for unit in Unit.objects.filter(code__in=["lon1", "lon2"]):
        teams = list(Team.objects.filter(unit=unit).exclude(name="Pensionsteam").order_by("name"))
        if not teams:
            continue
        for i, agency in enumerate(Agency.objects.filter(unit=unit, team__isnull=True).order_by("code")):
            Agency.objects.filter(pk=agency.pk).update(team=teams[i % len(teams)])
    manager, lon2 = users.get(roles.UNIT_MANAGER), Unit.objects.filter(code="lon2").first()
    lent = StaffMember.objects.filter(unit__code="lon1", category=C.PAYROLL_ADMIN, user__isnull=True).order_by("name")
    lent = lent.first()
    if manager is None or lon2 is None or lent is None or UnitLoan.objects.exists():
        return
    today = dt.date.today()
    UnitLoan.objects.create(
        staff_member=lent,
        to_unit=lon2,
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=21),
        reason="Hjälp med lon2:s ärendetopp efter sommaren",
        decided_by=manager,
    )


def load_enquiries(users) -> None:
    """The phone service's last two weeks: 60 calls (50 resolved at the first contact) and 15 e-mails
    (12 answered within the day, one late, two still waiting, one of them past its 24 hours)."""
    handler = users.get(roles.CASE_HANDLER)
    agencies = list(Agency.objects.filter(unit__code="lon1").order_by("code")[:6])
    if handler is None or not agencies or Enquiry.objects.exists():
        return
    rng = random.Random(2012)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    topics = [t for t, _label in Enquiry.Topic.choices]
    callers = ["Eva Lind", "Per Olsson", "Karin Berg", "Ali Hosseini", "Maria Nilsson", "Johan Ek"]
    rows = []
    for i in range(60):
        received = now - dt.timedelta(hours=rng.randint(1, 14 * 24))
        rows.append(
            Enquiry(
                agency=agencies[i % len(agencies)],
                asked_by=callers[i % len(callers)],
                channel="phone",
                topic=rng.choice(topics),
                resolved_first_contact=i % 6 != 0,
                received_at=received,
                answered_at=received,
                answered_by=handler,
                registered_by=handler,
            )
        )
    for i in range(15):
        received = now - dt.timedelta(hours=30 + i * 20) if i < 13 else now - dt.timedelta(hours=30 if i == 13 else 3)
        answered = None if i >= 13 else received + dt.timedelta(hours=30 if i == 12 else 4 + i % 6)
        rows.append(
            Enquiry(
                agency=agencies[i % len(agencies)],
                asked_by=callers[i % len(callers)],
                channel="email",
                topic=rng.choice(topics),
                received_at=received,
                answered_at=answered,
                answered_by=handler if answered else None,
                registered_by=handler,
            )
        )
    Enquiry.objects.bulk_create(rows)


def load(*, users) -> None:
    load_staff(users)
    load_desk(users)
    load_enquiries(users)
    load_fte()
    load_absences()
    load_phone()
    load_surveys()
