"""Demo data for payroll (seed 000, 2012, laid on the demo year: ``demo.calendar``): the year's
imported payslips at the real scale, and manual cases in every status in the demo case handler's
current work.

- 600,000 payslips a year (about 50,000 a month; the months before the current one are
  imported), 70 % machine-processed (Lisa Självservice, Lisa Tid), the rest manual, Agresso
  and a few urgent payouts, spread over the agencies that exist, each month written as one
  import through the import's bulk path (staging table and one INSERT … SELECT).
- About 53,000 employees, one with protected identity.
- For ``handlaggare`` (unit lon1): cases received, registered, returned with a cover
  letter, back from a return, completed, cancelled, late and overdue, and an urgent
  payout waiting for a second person's approval; one internal-control sample.

Idempotent: a month already imported, the manual cases and the sample are left alone.
"""

import datetime as dt
import hashlib
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts import roles
from core.periods import next_period, period_of, period_start
from core.workdays import add_working_days, is_working_day
from customers.models import Agency
from demo import calendar
from organisation.models import Unit
from payroll import clock
from payroll.models import Channel, ControlSample, DocumentType, MissingItem, PayrollCase, PayslipImport, StatusChange
from payroll.services import cases as case_services
from payroll.services import control as control_services
from payroll.services import desk as desk_services
from payroll.staging import write_generated_rows
from people.models import Person

PAYSLIPS_PER_YEAR = 600_000
# Summer substitutes and December's extra payments make the months differ a little.
MONTH_WEIGHTS = [0.98, 0.97, 0.99, 0.98, 1.00, 1.05, 1.07, 1.03, 0.99, 0.98, 0.97, 0.99]
# 70 % machine-processed (seed 000: ~420,000 of 600,000), 30 % by hand or other channels.
CHANNEL_SHARES = [
    (Channel.SELF_SERVICE, 0.52),
    (Channel.LISA_TID, 0.18),
    (Channel.MANUAL, 0.249),
    (Channel.AGRESSO, 0.05),
    (Channel.GIROVISION, 0.001),
]
PROTECTED_INDEX = 4711  # the demo employee with protected identity
FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sara", "Per", "Lena", "Mikael",
    "Emma", "Peter", "Kristina", "Jonas", "Elin", "Fredrik", "Ida", "Magnus", "Sofia", "Henrik", "Maja", "Ali",
    "Fatima", "Mohammed", "Amina", "Oskar", "Linnea", "Nils",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg", "Lindqvist", "Berg",
    "Axelsson", "Lundberg", "Mohammadi", "Hosseini", "Virtanen", "Nieminen",
]  # fmt: skip


def load(*, users) -> None:
    agencies = list(Agency.objects.order_by("code"))
    if not agencies:
        return
    plan = _volume_plan(agencies)
    _load_people(plan)
    for month in calendar.months():
        _load_month(calendar.period(month), plan)
    handler = users.get(roles.CASE_HANDLER)
    if handler is not None:
        _load_manual_cases(handler=handler, approver=users.get(roles.UNIT_MANAGER))
    if users.get(roles.UNIT_MANAGER) is not None:
        _load_control_sample(users[roles.UNIT_MANAGER])


# --- a year of imported payslips ------------------------------------------------------------------------


def _luhn(digits: str) -> int:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 - i % 2)
        total += n // 10 + n % 10
    return (10 - total % 10) % 10


def _personnummer(index: int) -> str:
    """A valid, unique personal identity number for the index-th demo employee."""
    born = dt.date(1947, 1, 1) + dt.timedelta(days=index % 18_000)
    serial = f"{200 + index // 18_000:03d}"
    check = _luhn(f"{born:%y%m%d}{serial}")
    return f"{born:%Y%m%d}-{serial}{check}"


def _volume_plan(agencies) -> dict:
    """Each agency's share of the volume, its channel mix and its range of employees."""
    weights = {}
    for agency in agencies:
        rng = random.Random(f"payroll-demo-{agency.code}")
        size = 1.6 if agency.kind == Agency.Kind.DISTRICT else 1.0
        weights[agency.pk] = size * rng.uniform(0.5, 1.5)
    total_weight = sum(weights.values())
    peak = PAYSLIPS_PER_YEAR / sum(MONTH_WEIGHTS) * max(MONTH_WEIGHTS)
    plan, first_person = {}, 0
    for agency in agencies:
        share = weights[agency.pk] / total_weight
        employees = int(peak * share) + 1
        plan[agency.pk] = {"code": agency.code, "share": share, "first": first_person, "employees": employees}
        first_person += employees
    plan["people"] = first_person
    return plan


def _month_counts(period: str, plan: dict) -> dict[int, list[tuple[str, int]]]:
    month = int(period[5:])
    month_total = round(PAYSLIPS_PER_YEAR * MONTH_WEIGHTS[month - 1] / sum(MONTH_WEIGHTS))
    counts = {}
    agency_ids = [key for key in plan if key != "people"]
    for agency_id in agency_ids:
        n = min(round(month_total * plan[agency_id]["share"]), plan[agency_id]["employees"])
        counts[agency_id] = _split(n)
    return counts


def _split(n: int) -> list[tuple[str, int]]:
    """``n`` payslips over the channels by their shares (largest remainder, so the total is exact)."""
    raw = [(channel, n * share) for channel, share in CHANNEL_SHARES]
    counts = {channel: int(value) for channel, value in raw}
    by_remainder = sorted(raw, key=lambda item: item[1] - int(item[1]), reverse=True)
    for channel, _value in by_remainder[: n - sum(counts.values())]:
        counts[channel] += 1
    return [(channel, counts[channel]) for channel, _share in CHANNEL_SHARES]


def _load_people(plan: dict) -> None:
    """The demo employees, named, one with protected identity (upserted: existing ones stay)."""
    if Person.objects.filter(personnummer=_personnummer(plan["people"] - 1)).exists():
        return
    people, protected = [], PROTECTED_INDEX % plan["people"]
    for index in range(plan["people"]):
        name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index // 7) % len(LAST_NAMES)]}"
        people.append(Person(personnummer=_personnummer(index), name=name, protected_identity=index == protected))
    Person.objects.bulk_create(people, batch_size=5000, ignore_conflicts=True)


def _load_month(period: str, plan: dict) -> None:
    file_name = f"LISA-lonespecifikationer-{period}.csv"
    if PayslipImport.objects.filter(origin=PayslipImport.Origin.DEMO, file_name=file_name).exists():
        return
    counts = _month_counts(period, plan)
    imported_at = timezone.make_aware(dt.datetime.combine(period_start(next_period(period)), dt.time(6, 30)))
    with transaction.atomic():
        job = PayslipImport.objects.create(
            file_name=file_name,
            sha256=hashlib.sha256(f"payroll-demo:{period}".encode()).hexdigest(),
            origin=PayslipImport.Origin.DEMO,
            status=PayslipImport.Status.RUNNING,
        )

        def rows():
            prefix = period[2:4] + period[5:7]
            for agency_id, per_channel in counts.items():
                first = plan[agency_id]["first"]
                i = 0
                for channel, n in per_channel:
                    for _ in range(n):
                        yield (agency_id, period, f"{prefix}{i:06d}", _personnummer(first + i), channel.value)
                        i += 1

        rows_written = write_generated_rows(job=job, rows=rows())
        PayslipImport.objects.filter(pk=job.pk).update(
            created_at=imported_at, started_at=imported_at, finished_at=imported_at, rows_read=rows_written
        )


# --- the case handler's current work -----------------------------------------------------------------------

MANUAL_CASES = [
    # key, document, channel, working days ago received, late?, what happens
    ("DEMO-01", DocumentType.NEW_HIRE, Channel.MANUAL, 0, False, "received"),
    ("DEMO-02", DocumentType.CHANGE, Channel.MANUAL, 1, False, "received"),
    ("DEMO-03", DocumentType.ADDITIONS_DEDUCTIONS, Channel.MANUAL, 2, False, "registered"),
    ("DEMO-04", DocumentType.TERMINATION, Channel.MANUAL, 3, True, "returned"),
    ("DEMO-05", DocumentType.CHANGE, Channel.AGRESSO, 6, True, "back_from_return"),
    ("DEMO-06", DocumentType.TAX_AGENCY, Channel.MANUAL, 5, False, "completed"),
    ("DEMO-07", DocumentType.NEW_HIRE, Channel.MANUAL, 4, False, "cancelled"),
    ("DEMO-08", DocumentType.ADDITIONS_DEDUCTIONS, Channel.GIROVISION, 1, False, "urgent"),
    ("DEMO-09", DocumentType.ENFORCEMENT, Channel.MANUAL, 9, True, "registered"),
    ("DEMO-10", DocumentType.SOCIAL_INSURANCE, Channel.MANUAL, 4, True, "received"),
    ("DEMO-11", DocumentType.CHANGE, Channel.MANUAL, 2, False, "protected"),
    ("DEMO-12", DocumentType.ADDITIONS_DEDUCTIONS, Channel.GIROVISION, 7, False, "urgent_completed"),
]


def _period_for(received_on: dt.date, *, late: bool) -> str:
    """On time: the period whose deadline is next; late: the period whose deadline has passed."""
    if late:
        deadline = clock.period_deadline(period_of(received_on))
        month_start = received_on if received_on > deadline else received_on.replace(day=1) - dt.timedelta(days=1)
        return period_of(month_start)
    return period_of(clock.next_deadline_after(received_on))


def _working_days_ago(today: dt.date, n: int) -> dt.date:
    day = today if is_working_day(today) else add_working_days(today, -1)
    return add_working_days(day, -n) if n else day


def _stamp(case: PayrollCase, day: dt.date, hour: int = 9) -> None:
    """Date the latest status change like the work it records (the services stamp 'now')."""
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15)))
    last = case.status_changes.order_by("-id").first()
    if last:
        StatusChange.objects.filter(pk=last.pk).update(changed_at=when)


def _load_manual_cases(*, handler, approver) -> None:
    unit = getattr(getattr(handler, "staff_member", None), "unit", None)
    agencies = list(Agency.objects.filter(unit=unit).order_by("code")[:4]) if unit else []
    if not agencies or PayrollCase.objects.filter(payslip_id__startswith="DEMO-", agency__in=agencies).exists():
        return
    today = calendar.present()
    protected = Person.objects.filter(protected_identity=True).first()
    with transaction.atomic():
        for n, (key, document, channel, days_ago, late, story) in enumerate(MANUAL_CASES):
            agency = agencies[n % len(agencies)]
            received_on = _working_days_ago(today, days_ago)
            person_number = protected.personnummer if story == "protected" and protected else _personnummer(n * 997)
            case = case_services.register_case(
                user=handler,
                agency=agency,
                period=_period_for(received_on, late=late),
                personnummer=person_number,
                name="",
                document_type=document,
                received_on=received_on,
                channel=channel,
                payslip_id=key,
            )
            _stamp(case, received_on, 8)
            _play(story, case=case, handler=handler, approver=approver, received_on=received_on, today=today)


def _demo_pdf(text: str) -> bytes:
    """A one-page PDF saying ``text``: the demo's stand-in for a scanned document."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _attach_scan(case, handler, document) -> None:
    label = dict(DocumentType.choices).get(document, document)
    upload = SimpleUploadedFile(f"underlag-{case.payslip_id}.pdf", _demo_pdf(f"Underlag: {label}"))
    desk_services.attach_document(case=case, user=handler, upload=upload)


def _play(story: str, *, case, handler, approver, received_on, today) -> None:
    def next_day(day, n=1):
        return min(add_working_days(day, n), today)

    if story in ("received", "returned", "back_from_return"):
        _attach_scan(case, handler, case.document_type)
    if story == "returned":
        desk_services.add_note(
            case=case, user=handler, text="Ringde kontaktpersonen: ny blankett kommer med internposten."
        )

    if story in ("registered", "protected", "completed", "urgent", "urgent_completed", "back_from_return"):
        case = case_services.mark_registered(case=case, user=handler)
        _stamp(case, next_day(received_on), 10)
    if story == "returned":
        case_services.return_case(
            case=case,
            user=handler,
            missing=[MissingItem.SIGNATURE, MissingItem.EMPLOYMENT_DATES],
            details="Slutdatum saknas och blanketten är inte attesterad av behörig chef.",
            returned_on=next_day(received_on),
        )
        _stamp(case, next_day(received_on), 11)
    if story == "back_from_return":
        returned_on = next_day(received_on)
        case_services.return_case(
            case=case,
            user=handler,
            missing=[MissingItem.ACCOUNTING],
            details="Ange ansvar och verksamhet för konteringen.",
            returned_on=returned_on,
        )
        _stamp(case, returned_on, 11)
        arrived_on = next_day(returned_on, 3)
        case = case_services.record_document_arrived(case=case, user=handler, arrived_on=arrived_on)
        _stamp(case, arrived_on, 13)
    if story in ("urgent_completed",) and approver is not None:
        case = case_services.approve_urgent_payout(case=case, user=approver)
        _stamp(case, next_day(received_on), 14)
    if story in ("completed", "urgent_completed") and not case.needs_approval:
        done_on = next_day(received_on, 2)
        case = case_services.complete_case(case=case, user=handler, completed_on=done_on)
        _stamp(case, done_on, 15)
    if story == "cancelled":
        case = case_services.cancel_case(
            case=case, user=handler, reason="Underlaget hade redan registrerats i ärende från Lisa Självservice."
        )
        _stamp(case, today, 9)


def _load_control_sample(manager) -> None:
    """March's sample (or the last closed month's, early in the year) of unit 1, partly checked."""
    unit = Unit.objects.filter(code="lon1").first()
    closed = calendar.months()
    if unit is None or not closed:
        return
    month = 3 if 3 in closed else closed[-1]
    period, year = calendar.period(month), calendar.year()
    if ControlSample.objects.filter(period=period, unit=unit, seed=year).exists():
        return
    if not PayrollCase.objects.filter(period=period, agency__unit=unit).exists():
        return
    sample = control_services.draw_control_sample(
        user=manager,
        period=period,
        size=20,
        seed=year,
        unit=unit,
        note=f"Internkontrollplan {year}, stickprov {period}",
    )
    checks = list(sample.checks.order_by("case_id")[:6])
    for check in checks[:5]:
        control_services.record_check(check=check, user=manager, outcome="correct")
    control_services.record_check(
        check=checks[5],
        user=manager,
        outcome="incorrect",
        note="OB-tillägg utbetalt med fel timantal; rättas nästa månad.",
    )
