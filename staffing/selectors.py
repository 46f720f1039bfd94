"""Reads of staffing figures shared by the staffing pages and the reporting app.

Periods are ``YYYY-MM`` strings; categories are ``StaffMember.Category`` values
(``payroll_admin``, ``pension_handler``, ``manager``, ``other``). FTE figures are ``Decimal``
with two decimals; shares and rates are ``Decimal`` **percentages** (0–100) with one decimal,
or ``None`` when there is nothing to divide by.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from core.periods import period_end, period_of, period_start
from core.workdays import is_working_day
from customers.selectors import agencies_for
from organisation.models import StaffMember, Unit
from organisation.selectors import VIEW_ALL_UNITS, units_for

from .models import Absence, CustomerSurvey, Enquiry, MonthlyFte, PhoneServiceMonth, Skill, SurveyScore

FTE_PLACES = Decimal("0.01")
PCT_PLACES = Decimal("0.1")
ZERO = Decimal("0.00")


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PCT_PLACES, rounding=ROUND_HALF_UP)


# --- access -------------------------------------------------------------------------------------


def staff_for(user) -> QuerySet[StaffMember]:
    qs = StaffMember.objects.select_related("unit", "team")
    if user.has_perm(VIEW_ALL_UNITS):
        return qs
    return qs.filter(unit__in=units_for(user))


def absences_for(user) -> QuerySet[Absence]:
    qs = Absence.objects.select_related("staff_member", "staff_member__unit")
    if user.has_perm(VIEW_ALL_UNITS):
        return qs
    return qs.filter(staff_member__unit__in=units_for(user))


# --- FTE ----------------------------------------------------------------------------------------


def month_fte(*, periods, units=None) -> dict[tuple[str, int, str], Decimal]:
    """The entered FTE by (period, unit id, category)."""
    qs = MonthlyFte.objects.filter(period__in=list(periods))
    if units is not None:
        qs = qs.filter(unit__in=units)
    return {(r.period, r.unit_id, r.category): r.fte for r in qs}


def fte_per_month(*, periods, categories, unit=None) -> dict[str, Decimal]:
    """The FTE of ``categories`` in each month that has any FTE entered (for ``unit``, or for any
    unit), summed over units. A month with nothing entered is left out rather than counted as
    zero, so a tertial in progress is not understated. One query."""
    qs = MonthlyFte.objects.filter(period__in=list(periods))
    if unit is not None:
        qs = qs.filter(unit=unit)
    rows = qs.values("period").annotate(total=Sum("fte", filter=Q(category__in=list(categories)))).order_by()
    return {row["period"]: row["total"] or ZERO for row in rows}


def average_fte(*, periods, categories, unit=None) -> Decimal:
    """Average over the months of ``fte_per_month`` (months with nothing entered left out);
    ``Decimal("0.00")`` when no month is entered."""
    months = fte_per_month(periods=periods, categories=categories, unit=unit)
    if not months:
        return ZERO
    return (sum(months.values(), ZERO) / len(months)).quantize(FTE_PLACES, rounding=ROUND_HALF_UP)


def fte_by_unit(*, periods, categories) -> dict[Unit, Decimal]:
    """``average_fte`` for each unit that has FTE entered in the periods, ordered by unit name."""
    periods = list(periods)
    result = {}
    for unit in Unit.objects.filter(monthly_fte__period__in=periods).distinct().order_by("name"):
        result[unit] = average_fte(periods=periods, categories=categories, unit=unit)
    return result


# --- absences and sick leave --------------------------------------------------------------------


@lru_cache(maxsize=512)
def working_days_in(period: str) -> int:
    day, last = period_start(period), period_end(period)
    count = 0
    while day <= last:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count


def _working_days(first: dt.date, last: dt.date) -> int:
    count, day = 0, first
    while day <= last:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count


def absence_fte(*, periods, units=None, first_days: int | None = None) -> dict[tuple[str, int, str], Decimal]:
    """Absence in FTE by (period, unit id, absence kind): working days absent × extent ÷ the
    month's working days. An absence counts for the unit its staff member belongs to. With
    ``first_days``, only the first so many calendar days of each absence count (short-term sick
    leave is days 1–14)."""
    periods = sorted(set(periods))
    if not periods:
        return {}
    qs = Absence.objects.filter(first_day__lte=period_end(periods[-1]), last_day__gte=period_start(periods[0]))
    if units is not None:
        qs = qs.filter(staff_member__unit__in=units)
    wanted = set(periods)
    result: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    for absence in qs.select_related("staff_member"):
        last_day = absence.last_day
        if first_days is not None:
            last_day = min(last_day, absence.first_day + dt.timedelta(days=first_days - 1))
        period = period_of(max(absence.first_day, period_start(periods[0])))
        while period_start(period) <= last_day and period <= periods[-1]:
            if period in wanted:
                first = max(absence.first_day, period_start(period))
                last = min(last_day, period_end(period))
                days = _working_days(first, last)
                if days:
                    key = (period, absence.staff_member.unit_id, absence.kind)
                    result[key] += Decimal(days) * absence.extent / 100 / working_days_in(period)
            period = period_of(period_end(period) + dt.timedelta(days=1))
    return dict(result)


def sick_leave_parts(*, periods, unit=None, first_days: int | None = None) -> tuple[Decimal, Decimal]:
    """(sick-leave FTE, scheduled FTE) summed over the periods; see ``sick_leave_rate``. With
    ``first_days`` the sick leave counted is the first so many days of each absence (scheduled time
    stays all of it)."""
    units = [unit] if unit is not None else None
    absent = absence_fte(periods=periods, units=units)
    worked = MonthlyFte.objects.filter(period__in=list(periods))
    if unit is not None:
        worked = worked.filter(unit=unit)
    worked_total = worked.aggregate(total=Sum("fte"))["total"] or ZERO
    counted = absent if first_days is None else absence_fte(periods=periods, units=units, first_days=first_days)
    sick = sum((v for (_p, _u, kind), v in counted.items() if kind == Absence.Kind.SICK), Decimal(0))
    all_absence = sum(absent.values(), Decimal(0))
    return sick, worked_total + all_absence


def sick_leave_rate(*, periods, unit=None) -> Decimal | None:
    """Sick leave as a percentage of scheduled working time in the periods (one unit, or all).

    Scheduled time is the FTE worked (as entered, already reduced by leave) plus every absence
    entered (sick leave, parental leave, vacation, other leave), all in FTE-months; sick leave is
    the entered sick absences. ``None`` when no FTE or absence is entered for the periods.
    """
    sick, scheduled = sick_leave_parts(periods=periods, unit=unit)
    return _pct(sick, scheduled)


SHORT_TERM_DAYS = 14  # short-term sick leave: days 1–14 of an absence (seed 001)


def short_sick_leave_rate(*, periods, unit=None) -> Decimal | None:
    """Short-term sick leave (the first 14 days of each sick absence) as a percentage of the same
    scheduled working time as ``sick_leave_rate``."""
    sick, scheduled = sick_leave_parts(periods=periods, unit=unit, first_days=SHORT_TERM_DAYS)
    return _pct(sick, scheduled)


def sick_leave_by_month(*, periods, units) -> dict[tuple[str, int], Decimal | None]:
    """``sick_leave_rate`` for each (period, unit id)."""
    absent = absence_fte(periods=periods, units=units)
    worked: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for row in MonthlyFte.objects.filter(period__in=list(periods), unit__in=units).values("period", "unit_id", "fte"):
        worked[(row["period"], row["unit_id"])] += row["fte"]
    sick: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    scheduled: dict[tuple[str, int], Decimal] = defaultdict(Decimal, worked)
    for (period, unit_id, kind), value in absent.items():
        scheduled[(period, unit_id)] += value
        if kind == Absence.Kind.SICK:
            sick[(period, unit_id)] += value
    return {key: _pct(sick[key], scheduled[key]) for key in scheduled}


# --- phone service and customer survey ----------------------------------------------------------


def phone_service(*, periods) -> dict:
    """The phone service's figures summed over the periods, with shares as percentages.

    Returns ``{"months", "calls", "answered_25s", "answered_25s_pct", "first_contact_resolved",
    "first_contact_pct", "emails", "emails_within_1d", "emails_within_1d_pct"}``; ``months`` is the
    number of periods with figures entered, and shares are ``None`` when there is nothing to divide.
    First-contact resolution is counted against calls offered.
    """
    totals = PhoneServiceMonth.objects.filter(period__in=list(periods)).aggregate(
        calls=Sum("calls"),
        answered_25s=Sum("answered_25s"),
        first_contact_resolved=Sum("first_contact_resolved"),
        emails=Sum("emails"),
        emails_within_1d=Sum("emails_within_1d"),
    )
    totals = {k: v or 0 for k, v in totals.items()}
    figures = {
        "months": PhoneServiceMonth.objects.filter(period__in=list(periods)).count(),
        **totals,
        "answered_25s_pct": _pct(totals["answered_25s"], totals["calls"]),
        "first_contact_pct": _pct(totals["first_contact_resolved"], totals["calls"]),
        "emails_within_1d_pct": _pct(totals["emails_within_1d"], totals["emails"]),
        "measured": False,
    }
    measured = enquiry_figures(periods=periods)
    if measured["enquiries"]:
        # Registered enquiries replace the typed-in shares; the switchboard's call figures stay.
        figures.update(
            first_contact_pct=measured["first_contact_pct"],
            emails_within_1d_pct=measured["emails_within_1d_pct"],
            measured=True,
        )
    return figures


def _received_in(periods) -> Q:
    query = Q(pk__in=[])
    for period in periods:
        start = timezone.make_aware(dt.datetime.combine(period_start(period), dt.time.min))
        end = timezone.make_aware(dt.datetime.combine(period_end(period) + dt.timedelta(days=1), dt.time.min))
        query |= Q(received_at__gte=start, received_at__lt=end)
    return query


def enquiry_figures(*, periods) -> dict:
    """Measured from the enquiries received in ``periods`` (Stockholm months): the share of phone
    enquiries resolved at the first contact, and the share of e-mails answered within 24 hours (an
    e-mail still unanswered past its 24 hours counts as late; one still within them is not counted yet)."""
    enquiries = Enquiry.objects.filter(_received_in(list(periods)))
    now = timezone.now()
    phone = enquiries.filter(channel=Enquiry.Channel.PHONE)
    emails = enquiries.filter(channel=Enquiry.Channel.EMAIL)
    due = dt.timedelta(hours=Enquiry.ANSWER_WITHIN_HOURS)
    in_time = emails.filter(answered_at__isnull=False, answered_at__lte=F("received_at") + due).count()
    decided = emails.filter(Q(answered_at__isnull=False) | Q(received_at__lt=now - due)).count()
    phone_total = phone.count()
    return {
        "enquiries": enquiries.count(),
        "phone": phone_total,
        "phone_resolved": phone.filter(resolved_first_contact=True).count(),
        "first_contact_pct": _pct(phone.filter(resolved_first_contact=True).count(), phone_total),
        "emails": decided,
        "emails_in_time": in_time,
        "emails_within_1d_pct": _pct(in_time, decided),
    }


def enquiries_for(user) -> QuerySet[Enquiry]:
    """Enquiries about the agencies the user may see."""
    return Enquiry.objects.filter(agency__in=agencies_for(user)).select_related(
        "agency", "registered_by", "answered_by"
    )


def email_queue(user) -> QuerySet[Enquiry]:
    """E-mails not yet answered, the oldest (closest to or past its 24 hours) first."""
    return enquiries_for(user).filter(channel=Enquiry.Channel.EMAIL, answered_at__isnull=True).order_by("received_at")


def customer_satisfaction(*, year: int) -> dict | None:
    """The year's survey result ``{"year", "satisfied_pct", "nki", "respondents"}``, or ``None``."""
    survey = CustomerSurvey.objects.filter(year=year).first()
    if survey is None:
        return None
    return {
        "year": survey.year,
        "satisfied_pct": survey.satisfied_pct,
        "nki": survey.nki,
        "respondents": survey.respondents,
    }


def survey_scores(*, year: int) -> list[dict]:
    """The year's NKI per service area (``agency`` None: the area as a whole) and per agency, areas in
    their order and agencies by code: ``{"area", "area_label", "agency", "nki", "respondents"}``."""
    order = {code: i for i, code in enumerate(SurveyScore.Area.values)}
    rows = SurveyScore.objects.filter(survey__year=year).select_related("agency")
    return [
        {
            "area": row.area,
            "area_label": str(row.get_area_display()),
            "agency": row.agency,
            "nki": row.nki,
            "respondents": row.respondents,
        }
        for row in sorted(rows, key=lambda r: (order[r.area], r.agency is not None, r.agency.code if r.agency else ""))
    ]


# --- the skills matrix --------------------------------------------------------------------------------


@dataclass
class SkillRow:
    staff_member: StaffMember
    case_types: set[str]
    agencies: list

    def knows(self, case_type: str) -> bool:
        return case_type in self.case_types

    def agencies_of(self, unit_id: int) -> list:
        return [a for a in self.agencies if a.unit_id == unit_id]


def skills_matrix(staff: QuerySet[StaffMember]) -> list[SkillRow]:
    """Who can handle what: each active staff member of ``staff`` with their case types and agencies."""
    members = list(staff.filter(active=True).select_related("unit").order_by("unit__name", "name"))
    types: dict[int, set[str]] = defaultdict(set)
    agencies: dict[int, list] = defaultdict(list)
    for skill in Skill.objects.filter(staff_member__in=members).select_related("agency").order_by("agency__code"):
        if skill.agency_id:
            agencies[skill.staff_member_id].append(skill.agency)
        else:
            types[skill.staff_member_id].add(skill.case_type)
    return [SkillRow(m, types[m.pk], agencies[m.pk]) for m in members]
