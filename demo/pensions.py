"""Demo data for pensions: the pension team of 2012 (seed 000: 5 pension handlers, 4.5 FTE),
about 2,300 pension cases received in 2012 (1,950 old-age), decided, paid or closed, a few
signal lists, and 21 current cases (received, under investigation, waiting, decided) so that the
work queue has work due soon and overdue today.

Idempotent: cases are keyed by their number, signal lists by their name; nothing is rewritten
on a second run. Bulk inserts keep ``seed_demo`` fast.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from accounts import roles
from core.billing import open_billing_period
from core.periods import period_of
from core.workdays import add_working_days, is_working_day, next_working_day
from customers.models import Agency
from demo import calendar
from demo.users import upsert
from organisation.models import StaffMember, Team, Unit
from pensions.models import CaseKind, CaseNumberSeries, PensionCase, Provider, SignalItem, SignalList, StatusChange
from pensions.services import default_due_on
from people.identity import normalize_personnummer
from people.models import Person

# The seed year's cases, laid on the demo year (``demo.calendar``), have run their course up to today
# (in the seeds the last were decided late in March the year after); the queue's open work is the
# current cases below.
SEED_SNAPSHOT = dt.date(2013, 3, 29)
TZ = ZoneInfo("Europe/Stockholm")
S = PensionCase.Status

# The pension team (lon2, "Pensionsteam"): Per Pensionsson is the demo login `pension`.
HANDLERS = ["Per Pensionsson", "Birgitta Bergström", "Karin Lindqvist", "Maria Holm", "Anders Sjöberg"]
HANDLER_WEIGHTS = [24, 22, 22, 20, 12]  # Anders works 50 %

KIND_COUNTS = {CaseKind.OLD_AGE: 1950, CaseKind.SURVIVOR: 212, CaseKind.INSURANCE: 113, CaseKind.OTHER: 25}
MONTH_WEIGHTS = [1.2, 0.9, 1.0, 1.0, 1.05, 1.1, 0.6, 0.9, 1.05, 1.05, 1.1, 1.05]
GRANT_RATE = {CaseKind.OLD_AGE: 0.96, CaseKind.SURVIVOR: 0.93, CaseKind.INSURANCE: 0.7, CaseKind.OTHER: 0.8}

FIRST_NAMES = [
    "Anna",
    "Lars",
    "Karin",
    "Nils",
    "Eva",
    "Bengt",
    "Margareta",
    "Sven",
    "Birgitta",
    "Göran",
    "Ingrid",
    "Kjell",
    "Gunilla",
    "Rolf",
    "Elisabeth",
    "Bo",
    "Marianne",
    "Leif",
    "Kerstin",
    "Ulf",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
]


def _team(unit: Unit) -> Team | None:
    return Team.objects.filter(unit=unit, name="Pensionsteam").first() or unit.teams.order_by("name").last()


def load_handlers(users) -> list[StaffMember]:
    """The five pension handlers of the pension team in lon2 (the demo user `pension` is one of them)."""
    unit = Unit.objects.filter(code="lon2").first()
    if unit is None:
        return []
    team = _team(unit)
    handlers = []
    pension_user = users.get(roles.PENSION_HANDLER)
    values = {"unit": unit, "team": team, "category": StaffMember.Category.PENSION_HANDLER}
    for name in HANDLERS:
        if pension_user and pension_user.get_full_name() == name:
            handlers.append(upsert(StaffMember, lookup={"user": pension_user}, values={"name": name, **values}))
        else:
            handlers.append(upsert(StaffMember, lookup={"name": name}, values=values))
    return handlers


def _personnummer(n: int, born: dt.date) -> str:
    serial = 800 + n % 100
    for check in range(10):
        try:
            return normalize_personnummer(f"{born:%Y%m%d}-{serial:03d}{check}")
        except Exception:
            continue
    raise AssertionError("no check digit")


def _birth_date(rng: random.Random, kind: str) -> dt.date:
    shift = calendar.year() - calendar.SEED_YEAR  # the seed's people, as old in the demo year
    if kind == CaseKind.OLD_AGE:  # turning 65 in the demo year
        return dt.date(1947 + shift, 1, 1) + dt.timedelta(days=rng.randrange(365))
    if kind == CaseKind.SURVIVOR:
        return dt.date(1935 + shift, 1, 1) + dt.timedelta(days=rng.randrange(25 * 365))
    return dt.date(1958 + shift, 1, 1) + dt.timedelta(days=rng.randrange(30 * 365))


def _working_day_in(rng: random.Random, year: int, month: int) -> dt.date:
    while True:
        day = dt.date(year, month, rng.randint(1, 28))
        if is_working_day(day):
            return day


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 15), rng.randint(0, 59)), tzinfo=TZ)


def _plan_case(rng, kind, received, snapshot):
    """The case's story up to ``snapshot``: fields and the (status, date, note) steps it went through."""
    steps = [("", S.RECEIVED, received, "")]
    fields = {"status": S.RECEIVED}
    day = add_working_days(received, rng.randint(1, 4))
    if day > snapshot:
        return fields, steps
    steps.append((S.RECEIVED, S.INVESTIGATING, day, ""))
    fields["status"] = S.INVESTIGATING
    if rng.random() < 0.15:
        waiting_for = rng.choice([PensionCase.WaitingFor.AGENCY, PensionCase.WaitingFor.PERSON])
        note = {
            PensionCase.WaitingFor.AGENCY: "Anställningsuppgifter saknas från förvaltningen",
            PensionCase.WaitingFor.PERSON: "Ansökan saknar underskrift",
        }[waiting_for]
        steps.append((S.INVESTIGATING, S.WAITING, day, note))
        fields.update(status=S.WAITING, waiting_for=waiting_for)
        day = add_working_days(day, rng.randint(4, 15))
        if day > snapshot:
            return fields, steps
        steps.append((S.WAITING, S.INVESTIGATING, day, "Kompletteringen har kommit in"))
        fields.update(status=S.INVESTIGATING, waiting_for="")
    if rng.random() < 0.02:
        day = add_working_days(day, rng.randint(1, 5))
        if day > snapshot:
            return fields, steps
        steps.append((fields["status"], S.CLOSED, day, "Ansökan återtagen"))
        fields.update(status=S.CLOSED, closed_on=day)
        return fields, steps
    day = add_working_days(day, rng.randint(4, 16))
    if day > snapshot:
        return fields, steps
    granted = rng.random() < GRANT_RATE[kind]
    decision = PensionCase.Decision.GRANTED if granted else PensionCase.Decision.REJECTED
    steps.append((fields["status"], S.DECIDED, day, ""))
    fields.update(status=S.DECIDED, decision=decision, decided_on=day, billing_period=period_of(day))
    if granted:
        month = day.month % 12 + 1
        fields["benefit_start"] = dt.date(day.year + (day.month == 12), month, 1)
        paid = add_working_days(day, rng.randint(2, 8))
        if paid > snapshot:
            return fields, steps
        steps.append((S.DECIDED, S.PAID, paid, ""))
        fields.update(status=S.PAID, paid_on=paid)
        if rng.random() < 0.3:
            closed = add_working_days(paid, rng.randint(5, 20))
            if closed <= snapshot:
                steps.append((S.PAID, S.CLOSED, closed, ""))
                fields.update(status=S.CLOSED, closed_on=closed)
    else:
        closed = add_working_days(day, rng.randint(1, 5))
        if closed <= snapshot:
            steps.append((S.DECIDED, S.CLOSED, closed, ""))
            fields.update(status=S.CLOSED, closed_on=closed)
    return fields, steps


def _case_plans(rng, agencies, handlers, *, year, count_by_kind, snapshot, months, prefix, start=1):
    """Plans (number, kind, received, agency, person number, name, protected, handler, fields, steps)."""
    plans = []
    weights = [MONTH_WEIGHTS[m - 1] for m in months]
    sequence = start
    for kind, count in count_by_kind.items():
        for n in range(count):
            month = rng.choices(months, weights=weights)[0]
            received = _working_day_in(rng, year, month)
            if received > snapshot:
                received = next_working_day(snapshot - dt.timedelta(days=3))
            born = _birth_date(rng, kind)
            handler = rng.choices(handlers, weights=HANDLER_WEIGHTS[: len(handlers)])[0] if handlers else None
            fields, steps = _plan_case(rng, kind, received, snapshot)
            if fields["status"] == S.RECEIVED and rng.random() < 0.5:
                handler = None  # not yet taken
            plans.append(
                {
                    "kind": kind,
                    "received": received,
                    "agency": rng.choice(agencies),
                    "personnummer": _personnummer(sequence * 7 + n, born),
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "protected": rng.random() < 0.012,
                    "handler": handler,
                    "fields": fields,
                    "steps": steps,
                }
            )
            sequence += 1
    plans.sort(key=lambda p: (p["received"], p["personnummer"]))
    for i, plan in enumerate(plans, start=start):
        plan["number"] = f"PE-{prefix}-{i:05d}"
    return plans


def _create_cases(plans, unit, users_by_staff) -> int:
    """Create the planned cases that do not exist yet, with their people and status history."""
    existing = set(PensionCase.objects.filter(number__in=[p["number"] for p in plans]).values_list("number", flat=True))
    plans = [p for p in plans if p["number"] not in existing]
    if not plans:
        return 0
    people = {p.personnummer: p for p in Person.objects.filter(personnummer__in={p["personnummer"] for p in plans})}
    Person.objects.bulk_create(
        [
            Person(personnummer=p["personnummer"], name=p["name"], protected_identity=p["protected"])
            for p in {p["personnummer"]: p for p in plans if p["personnummer"] not in people}.values()
        ]
    )
    people = {p.personnummer: p for p in Person.objects.filter(personnummer__in={p["personnummer"] for p in plans})}
    billing = {}
    cases = []
    for plan in plans:
        fields = dict(plan["fields"])
        if fields.get("billing_period"):
            period = fields["billing_period"]
            billing.setdefault(period, open_billing_period(period))
            fields["billing_period"] = billing[period]
        cases.append(
            PensionCase(
                number=plan["number"],
                kind=plan["kind"],
                agency=plan["agency"],
                person=people[plan["personnummer"]],
                unit=unit,
                handler=plan["handler"],
                received_on=plan["received"],
                due_on=default_due_on(plan["kind"], plan["received"]),
                created_by=users_by_staff.get(plan["handler"].pk) if plan["handler"] else None,
                **fields,
            )
        )
    PensionCase.objects.bulk_create(cases, batch_size=500)
    ids = dict(PensionCase.objects.filter(number__in=[p["number"] for p in plans]).values_list("number", "id"))
    rng = random.Random(len(plans))
    changes = []
    for plan in plans:
        by = users_by_staff.get(plan["handler"].pk) if plan["handler"] else None
        for from_status, to_status, day, note in plan["steps"]:
            changes.append(
                StatusChange(
                    case_id=ids[plan["number"]],
                    from_status=from_status,
                    to_status=to_status,
                    at=_at(day, rng),
                    by=by,
                    note=note,
                )
            )
    StatusChange.objects.bulk_create(changes, batch_size=1000)
    return len(plans)


def _bump_series(year: int, number: int) -> None:
    series, _created = CaseNumberSeries.objects.get_or_create(year=year)
    if series.last_number < number:
        series.last_number = number
        series.save(update_fields=["last_number"])


SIGNAL_LISTS = [
    # provider, name, received, deadline, signal, count, share of the signals still open
    (
        Provider.KPA,
        "KPA: pensionsavgångar januari–mars 2012",
        dt.date(2012, 1, 10),
        dt.date(2012, 2, 10),
        SignalItem.Signal.RETIREMENT,
        36,
        0.0,
    ),
    (
        Provider.AFA,
        "AFA: sjukanmälningar AGS-KL mars 2012",
        dt.date(2012, 3, 5),
        dt.date(2012, 4, 5),
        SignalItem.Signal.SICKNESS,
        24,
        0.0,
    ),
    (
        Provider.KPA,
        "KPA: avlidna, efterlevandeskydd kvartal 2",
        dt.date(2012, 5, 14),
        dt.date(2012, 6, 15),
        SignalItem.Signal.DEATH,
        18,
        0.0,
    ),
    (
        Provider.KPA,
        "KPA: pensionsavgångar hösten 2012",
        dt.date(2012, 8, 20),
        dt.date(2012, 9, 28),
        SignalItem.Signal.RETIREMENT,
        40,
        0.0,
    ),
    (
        Provider.AFA,
        "AFA: arbetsskador 2012",
        dt.date(2012, 10, 8),
        dt.date(2012, 11, 9),
        SignalItem.Signal.INJURY,
        15,
        0.0,
    ),
    (
        Provider.KPA,
        "KPA: pensionsavgångar våren 2013",
        dt.date(2012, 12, 3),
        dt.date(2013, 1, 15),
        SignalItem.Signal.RETIREMENT,
        30,
        0.0,
    ),
]
CURRENT_SIGNAL_LIST = "KPA: pensionsavgångar, aktuell lista"


def _load_signal_list(rng, spec, *, unit, agencies, handlers, user, snapshot, cases_pool):
    provider, name, received, deadline, signal, count, open_share = spec
    if SignalList.objects.filter(name=name).exists():
        return
    signal_list = SignalList.objects.create(
        provider=provider,
        name=name,
        unit=unit,
        received_on=received,
        deadline=deadline,
        source_filename=f"{provider}-{received:%Y%m%d}.csv",
        imported_by=user,
    )
    kind = SignalItem.CASE_KIND[signal]
    linked = set(SignalItem.objects.exclude(case=None).values_list("case_id", flat=True))
    pool = [c for c in cases_pool if c.kind == kind and received <= c.received_on <= deadline and c.pk not in linked]
    rng.shuffle(pool)
    items, people = [], []
    for row in range(2, count + 2):
        roll = rng.random()
        due_on = min(deadline, add_working_days(received, rng.randint(10, 25)))
        item = SignalItem(signal_list=signal_list, row=row, signal=signal, due_on=max(due_on, received))
        if roll < open_share:
            item.status = SignalItem.Status.OPEN
        elif roll < open_share + (1 - open_share) * 0.45 and pool:
            case = pool.pop()
            item.status, item.case, item.handled_on = SignalItem.Status.CASE, case, case.received_on
            item.handled_by, item.agency, item.person = case.handler, case.agency, case.person
            item.event_date = case.received_on + dt.timedelta(days=60)
        else:
            item.status = SignalItem.Status.HANDLED
            item.handled_on = min(snapshot, add_working_days(received, rng.randint(2, 15)))
            item.handled_by = rng.choice(handlers) if handlers else None
            item.note = "Redan känd, ingen åtgärd"
        if item.person_id is None:
            born = _birth_date(rng, kind)
            number = _personnummer(90000 + signal_list.pk * 100 + row, born)
            people.append((item, number))
            item.agency = rng.choice(agencies)
            item.event_date = received + dt.timedelta(days=rng.randint(10, 120))
        items.append(item)
    known = {p.personnummer: p for p in Person.objects.filter(personnummer__in=[n for _i, n in people])}
    new = {
        n: Person(personnummer=n, name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
        for _i, n in people
        if n not in known
    }
    Person.objects.bulk_create(new.values())
    known.update({p.personnummer: p for p in Person.objects.filter(personnummer__in=list(new))})
    for item, number in people:
        item.person = known[number]
    SignalItem.objects.bulk_create(items)


CURRENT_KINDS = [CaseKind.OLD_AGE] * 5 + [CaseKind.SURVIVOR, CaseKind.OLD_AGE, CaseKind.INSURANCE]
# Where each current case stands today: (status, handled by someone, working days since it was received).
CURRENT_STATES = [
    (S.RECEIVED, False, 1),
    (S.RECEIVED, True, 2),
    (S.INVESTIGATING, True, 5),
    (S.INVESTIGATING, True, 9),
    (S.WAITING, True, 12),
    (S.INVESTIGATING, True, 17),
    (S.RECEIVED, False, 16),
    (S.INVESTIGATING, True, 19),
    (S.WAITING, True, 24),
    (S.INVESTIGATING, True, 23),
    (S.DECIDED, True, 14),
    (S.INVESTIGATING, True, 3),
    (S.RECEIVED, True, 4),
    (S.INVESTIGATING, True, 7),
    (S.RECEIVED, False, 21),
    (S.INVESTIGATING, True, 11),
    (S.DECIDED, True, 20),
    (S.INVESTIGATING, True, 26),
    (S.WAITING, True, 8),
    (S.INVESTIGATING, True, 13),
    (S.RECEIVED, True, 6),
]


def _current_story(kind, received, status, today):
    steps = [("", S.RECEIVED, received, "")]
    fields = {"status": S.RECEIVED}
    if status == S.RECEIVED:
        return fields, steps
    started = min(today, add_working_days(received, 1))
    steps.append((S.RECEIVED, S.INVESTIGATING, started, ""))
    fields["status"] = S.INVESTIGATING
    if status == S.WAITING:
        steps.append((S.INVESTIGATING, S.WAITING, min(today, add_working_days(started, 2)), "Intyg saknas"))
        fields.update(status=S.WAITING, waiting_for=PensionCase.WaitingFor.PERSON)
    elif status == S.DECIDED:
        decided = min(today, add_working_days(started, 5))
        steps.append((S.INVESTIGATING, S.DECIDED, decided, ""))
        month = decided.month % 12 + 1
        fields.update(
            status=S.DECIDED,
            decision=PensionCase.Decision.GRANTED,
            decided_on=decided,
            benefit_start=dt.date(decided.year + (decided.month == 12), month, 1),
            billing_period=period_of(decided),
        )
    return fields, steps


def _current_plans(today: dt.date, agencies, handlers, *, first_number: int = 1) -> list[dict]:
    """21 cases received over the last six weeks, some due soon, some overdue, some waiting."""
    rng = random.Random(today.year)
    plans = []
    for i, (status, assigned, age) in enumerate(CURRENT_STATES):
        kind = CURRENT_KINDS[i % len(CURRENT_KINDS)]
        received = add_working_days(today, -age)
        fields, steps = _current_story(kind, received, status, today)
        plans.append(
            {
                "kind": kind,
                "received": received,
                "agency": agencies[(i * 7) % len(agencies)],
                "personnummer": _personnummer(70000 + i, _birth_date(rng, kind)),
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "protected": i == 3,
                "handler": handlers[i % 2 if i % 3 else 0] if handlers and assigned else None,
                "fields": fields,
                "steps": steps,
            }
        )
    plans.sort(key=lambda p: (p["received"], p["personnummer"]))
    for n, plan in enumerate(plans, start=first_number):
        plan["number"] = f"PE-{today.year}-{n:05d}"
    return plans


def load(*, users) -> None:
    handlers = load_handlers(users)
    unit = Unit.objects.filter(code="lon2").first()
    agencies = list(Agency.objects.order_by("code"))
    if unit is None or not agencies:
        return  # the customers demo creates the agencies; without them there is nothing to handle
    users_by_staff = {h.pk: h.user for h in handlers if h.user_id}
    year, today, months = calendar.year(), calendar.present(), calendar.months()
    snapshot = min(calendar.shifted(SEED_SNAPSHOT), today)
    rng = random.Random(calendar.SEED_YEAR)
    plans = []
    if months:  # the seed year's cases of the months before this one, in proportion to those months
        share = sum(MONTH_WEIGHTS[m - 1] for m in months) / sum(MONTH_WEIGHTS)
        plans = _case_plans(
            rng,
            agencies,
            handlers,
            year=year,
            count_by_kind={kind: round(count * share) for kind, count in KIND_COUNTS.items()},
            snapshot=snapshot,
            months=months,
            prefix=str(year),
        )
        _create_cases(plans, unit, users_by_staff)
        _bump_series(year, len(plans))

    # A few current cases, so that the work queue has work due soon, overdue and waiting today.
    first = len(plans) + 1 if today.year == year else 1
    current = _current_plans(today, agencies, handlers, first_number=first)
    _create_cases(current, unit, users_by_staff)
    _bump_series(today.year, first - 1 + len(current))

    pension_user = users.get(roles.PENSION_HANDLER)
    pool = list(PensionCase.objects.select_related("handler", "agency", "person"))
    for provider, name, received, deadline, signal, count, open_share in SIGNAL_LISTS:
        received, deadline = calendar.shifted(received), calendar.shifted(deadline)
        if not calendar.is_past(received):
            continue
        name = name.replace("2013", str(year + 1)).replace("2012", str(year))
        _load_signal_list(
            rng,
            (provider, name, received, deadline, signal, count, open_share),
            unit=unit,
            agencies=agencies,
            handlers=handlers,
            user=pension_user,
            snapshot=snapshot,
            cases_pool=pool,
        )
    # A list that arrived last week: most signals still open, a few already past their own deadline.
    current = (
        Provider.KPA,
        CURRENT_SIGNAL_LIST,
        add_working_days(today, -12),
        add_working_days(today, 10),
        SignalItem.Signal.RETIREMENT,
        25,
        0.7,
    )
    _load_signal_list(
        random.Random(today.toordinal()),
        current,
        unit=unit,
        agencies=agencies,
        handlers=handlers,
        user=pension_user,
        snapshot=today,
        cases_pool=pool,
    )
