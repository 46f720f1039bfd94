"""Reads of customers shared by every app. Object access is scoped here, by the user's unit,
so that a forgotten filter in a view cannot show another unit's agencies."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import ExtractMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.periods import tertial_periods
from organisation.models import Target, Unit
from organisation.selectors import VIEW_ALL_UNITS, units_for
from organisation.targets import target_for

from .models import (
    AddonAgreement,
    AddonHours,
    Agency,
    AgencyContact,
    AgencyContactAccess,
    AgencyNotice,
    Complaint,
    CustomerLogEntry,
    CustomerMessage,
    ServiceAgreement,
)


def agencies_for(user) -> QuerySet[Agency]:
    """The agencies ``user`` may see: all with view_all_units, else their unit's and, for an agency
    contact, the agencies they are linked to (AgencyContactAccess) and no other."""
    if user.has_perm(VIEW_ALL_UNITS):
        return Agency.objects.all()
    linked = AgencyContactAccess.objects.filter(user_id=user.pk).values("agency_id") if user.pk else []
    return Agency.objects.filter(Q(unit__in=units_for(user)) | Q(pk__in=linked))


def contact_agencies(user) -> QuerySet[Agency]:
    """The agencies an agency contact is linked to (the portal's scope): empty for anyone else,
    all of them for an administrator (who may look at the portal for any agency)."""
    if user.has_perm(VIEW_ALL_UNITS):
        return Agency.objects.all()
    return Agency.objects.filter(contact_accesses__user_id=user.pk) if user.pk else Agency.objects.none()


# --- scoped lookups for the pages ------------------------------------------------------------


def agency_for(user, pk) -> Agency:
    """One agency the user may see, or 404 (another unit's agency does not exist for them)."""
    return get_object_or_404(agencies_for(user).select_related("unit"), pk=pk)


def contact_for(user, pk) -> AgencyContact:
    return get_object_or_404(AgencyContact.objects.select_related("agency"), pk=pk, agency__in=agencies_for(user))


def agreement_for(user, pk) -> ServiceAgreement:
    return get_object_or_404(ServiceAgreement.objects.select_related("agency"), pk=pk, agency__in=agencies_for(user))


def addon_agreement_for(user, pk) -> AddonAgreement:
    return get_object_or_404(AddonAgreement.objects.select_related("agency"), pk=pk, agency__in=agencies_for(user))


def addon_hours_for(user, pk) -> AddonHours:
    return get_object_or_404(
        AddonHours.objects.select_related("agreement__agency"), pk=pk, agreement__agency__in=agencies_for(user)
    )


def log_entry_for(user, pk) -> CustomerLogEntry:
    return get_object_or_404(
        CustomerLogEntry.objects.select_related("agency", "author"), pk=pk, agency__in=agencies_for(user)
    )


def complaint_for(user, pk) -> Complaint:
    return get_object_or_404(
        Complaint.objects.select_related("agency__unit", "handler", "registered_by", "sender"),
        pk=pk,
        agency__in=agencies_for(user),
    )


def active_q(day: dt.date | None = None) -> Q:
    """Agencies that are customers on ``day`` (today by default)."""
    day = day or timezone.localdate()
    return (Q(active_from__isnull=True) | Q(active_from__lte=day)) & (Q(active_to__isnull=True) | Q(active_to__gte=day))


def active_during_q(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    """Agencies that were customers on at least one day between ``first`` and ``last``."""
    return (Q(**{f"{prefix}active_from__isnull": True}) | Q(**{f"{prefix}active_from__lte": last})) & (
        Q(**{f"{prefix}active_to__isnull": True}) | Q(**{f"{prefix}active_to__gte": first})
    )


def agency_list(user) -> QuerySet[Agency]:
    """The agencies list: the user's agencies with their unit and primary contact."""
    primary = AgencyContact.objects.filter(agency=OuterRef("pk"), is_primary=True)
    return (
        agencies_for(user)
        .select_related("unit")
        .annotate(
            primary_contact=Subquery(primary.values("name")[:1]),
            primary_contact_email=Subquery(primary.values("email")[:1]),
            primary_contact_phone=Subquery(primary.values("phone")[:1]),
        )
        .order_by("code")
    )


def log_entries_for(user) -> QuerySet[CustomerLogEntry]:
    return CustomerLogEntry.objects.filter(agency__in=agencies_for(user)).select_related("agency", "author")


def complaints_for(user) -> QuerySet[Complaint]:
    return Complaint.objects.filter(agency__in=agencies_for(user)).select_related("agency__unit", "handler")


def handlers_for(user):
    """People who can be named as a complaint's handler: staff of the user's units and their managers."""
    from django.contrib.auth import get_user_model

    units = units_for(user)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(staff_member__unit__in=units) | Q(managed_units__in=units) | Q(pk=user.pk))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- scoping helper for summaries ------------------------------------------------------------


def _scoped_agencies(unit=None, agencies: QuerySet[Agency] | None = None) -> QuerySet[Agency]:
    """Agencies of ``unit`` (a Unit, its id, or several units) within ``agencies`` (all by default)."""
    queryset = agencies if agencies is not None else Agency.objects.all()
    if unit is None:
        return queryset
    if isinstance(unit, Unit | int):
        return queryset.filter(unit=unit)
    if isinstance(unit, QuerySet | Iterable):
        return queryset.filter(unit__in=unit)
    raise TypeError("unit must be a Unit, an id or several units")


# --- customer meetings -----------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyMeetings:
    agency: Agency
    meetings: int
    last_meeting: dt.date | None
    target: int | None = None  # the board's meetings per agency a year (None: no target set)

    @property
    def below_target(self) -> bool:
        return self.target is not None and self.meetings < self.target

    @property
    def missing(self) -> int:
        return max(self.target - self.meetings, 0) if self.target is not None else 0


@dataclass(frozen=True)
class MeetingsSummary:
    year: int
    total: int
    per_agency: list[AgencyMeetings]
    per_tertial: list[int] = field(default_factory=list)  # meetings in tertial 1, 2, 3
    target: int | None = None  # the board's meetings a year for the whole service
    per_agency_target: int | None = None

    @property
    def below_target(self) -> list[AgencyMeetings]:
        """Agencies with fewer meetings in the year than the target per agency."""
        return [row for row in self.per_agency if row.below_target]

    @property
    def agencies_target(self) -> int | None:
        """The target per agency for every agency in the selection."""
        return None if self.per_agency_target is None else self.per_agency_target * len(self.per_agency)

    @property
    def target_met(self) -> bool | None:
        return None if self.target is None else self.total >= self.target

    @property
    def percent_of_target(self) -> int:
        return min(round(100 * self.total / self.target), 100) if self.target else 100


def _count_target(indicator: str, year: int) -> int | None:
    """A target counted in meetings, as a whole number (a fraction set by hand is rounded up)."""
    value = target_for(indicator, year)
    return None if value is None else int(value.to_integral_value(rounding=ROUND_CEILING))


def customer_meetings(*, year: int, unit=None, agencies: QuerySet[Agency] | None = None) -> MeetingsSummary:
    """Customer meetings held in ``year``: the total against the board's target a year (60 in 2012)
    and per agency against the target per agency (two). Agencies that were customers at some time
    in the year are listed, fewest meetings first; ``unit`` narrows to one unit, ``agencies`` to
    what a user may see."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    scope = _scoped_agencies(unit, agencies)
    meetings = CustomerLogEntry.objects.filter(
        kind=CustomerLogEntry.Kind.MEETING, date__range=(first, last), agency__in=scope
    )
    rows = (
        scope.filter(active_during_q(first, last) | Q(pk__in=meetings.values("agency_id")))
        .select_related("unit")
        .annotate(
            n=Count(
                "log_entries",
                filter=Q(log_entries__kind=CustomerLogEntry.Kind.MEETING, log_entries__date__range=(first, last)),
            )
        )
    )
    last_dates = dict(meetings.values("agency_id").annotate(last=Max("date")).values_list("agency_id", "last"))
    per_agency_target = _count_target(Target.Indicator.CUSTOMER_MEETINGS_PER_AGENCY, year)
    per_agency = sorted(
        (
            AgencyMeetings(agency=a, meetings=a.n, last_meeting=last_dates.get(a.pk), target=per_agency_target)
            for a in rows
        ),
        key=lambda r: (r.meetings, r.agency.code),
    )
    per_tertial = []
    for tertial in (1, 2, 3):
        months = [int(p[5:]) for p in tertial_periods(year, tertial)]
        per_tertial.append(meetings.filter(date__month__in=months).count())
    return MeetingsSummary(
        year=year,
        total=meetings.count(),
        per_agency=per_agency,
        per_tertial=per_tertial,
        target=_count_target(Target.Indicator.CUSTOMER_MEETINGS, year),
        per_agency_target=per_agency_target,
    )


def meeting_years() -> list[int]:
    """Years that have customer meetings, newest first."""
    years = CustomerLogEntry.objects.filter(kind=CustomerLogEntry.Kind.MEETING).dates("date", "year", order="DESC")
    return [d.year for d in years]


# --- feedback and complaints -----------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintMonth:
    period: str
    received: int
    resolved: int
    complaints: int  # of the received, those that are complaints (not feedback)


@dataclass(frozen=True)
class ComplaintsSummary:
    year: int
    tertial: int | None
    months: list[ComplaintMonth]
    tertials: list[ComplaintMonth]  # the year's three tertials, "2012-T1".. (always the whole year)
    by_category: list[tuple[str, str, int]]  # (code, label, received)
    by_status: list[tuple[str, str, int]]
    received: int
    resolved: int
    still_open: int  # of those received in the selection, not resolved yet
    average_days_to_resolve: Decimal | None

    @property
    def complaints(self) -> int:
        return sum(m.complaints for m in self.months)

    @property
    def feedback(self) -> int:
        return self.received - self.complaints


def _year_month_counts(complaints: QuerySet[Complaint], year: int) -> dict[int, ComplaintMonth]:
    """The year's twelve months counted with two grouped queries (received, resolved), not one
    COUNT per month: the unit dashboard asks for this on every request."""
    received = {
        row["month"]: row
        for row in complaints.filter(received_on__year=year)
        .annotate(month=ExtractMonth("received_on"))
        .values("month")
        .annotate(n=Count("id"), complaints=Count("id", filter=Q(kind=Complaint.Kind.COMPLAINT)))
        .order_by()
    }
    resolved = dict(
        complaints.filter(resolved_on__year=year)
        .annotate(month=ExtractMonth("resolved_on"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("month", "n")
    )
    return {
        month: ComplaintMonth(
            period=f"{year:04d}-{month:02d}",
            received=received.get(month, {}).get("n", 0),
            resolved=resolved.get(month, 0),
            complaints=received.get(month, {}).get("complaints", 0),
        )
        for month in range(1, 13)
    }


def complaints_summary(
    *, year: int, tertial: int | None = None, unit=None, agencies: QuerySet[Agency] | None = None
) -> ComplaintsSummary:
    """Feedback and complaints received and resolved per month of ``year`` (or of one tertial),
    with the year's tertials, the categories and how many are still open. For the monthly unit
    meetings and the tertial report."""
    if tertial not in (None, 1, 2, 3):
        raise ValueError("tertial must be 1, 2 or 3")
    periods = tertial_periods(year, tertial) if tertial else [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    first = dt.date(year, int(periods[0][5:]), 1)
    last_month = int(periods[-1][5:])
    last = dt.date(year + last_month // 12, last_month % 12 + 1, 1) - dt.timedelta(days=1)
    scoped = Complaint.objects.filter(agency__in=_scoped_agencies(unit, agencies))
    by_month = _year_month_counts(scoped, year)
    months = [by_month[int(p[5:])] for p in periods]
    tertials = []
    for t in (1, 2, 3):
        t_rows = [by_month[int(p[5:])] for p in tertial_periods(year, t)]
        tertials.append(
            ComplaintMonth(
                period=f"{year}-T{t}",
                received=sum(r.received for r in t_rows),
                resolved=sum(r.resolved for r in t_rows),
                complaints=sum(r.complaints for r in t_rows),
            )
        )
    received = scoped.filter(received_on__range=(first, last))
    counts = dict(received.values_list("category").annotate(n=Count("id")).order_by())
    by_category = [(code, str(label), counts.get(code, 0)) for code, label in Complaint.Category.choices]
    status_counts = dict(received.values_list("status").annotate(n=Count("id")).order_by())
    by_status = [(code, str(label), status_counts.get(code, 0)) for code, label in Complaint.Status.choices]
    resolved_in_range = list(scoped.filter(resolved_on__range=(first, last)).values_list("received_on", "resolved_on"))
    average = None
    if resolved_in_range:
        days = sum((done - came).days for came, done in resolved_in_range)
        average = (Decimal(days) / len(resolved_in_range)).quantize(Decimal("0.1"))
    # The selection's months cover exactly first..last, so its totals need no further queries.
    received_total = sum(m.received for m in months)
    return ComplaintsSummary(
        year=year,
        tertial=tertial,
        months=months,
        tertials=tertials,
        by_category=by_category,
        by_status=by_status,
        received=received_total,
        resolved=len(resolved_in_range),
        still_open=received_total - status_counts.get(Complaint.Status.RESOLVED, 0),
        average_days_to_resolve=average,
    )


def complaint_years() -> list[int]:
    return [d.year for d in Complaint.objects.dates("received_on", "year", order="DESC")]


# --- add-on hours for the monthly close ------------------------------------------------------


def billable_addon_hours(*, period: str) -> dict[int, dict[str, Decimal]]:
    """Add-on hours to invoice in ``period``: ``{agency_id: {item_code: hours}}``.

    Hours registered after their own period was invoiced carry a later billing period
    (see services.register_addon_hours) and are returned for that one.
    """
    rows = (
        AddonHours.objects.filter(billing_period=period)
        .values("agreement__agency_id", "agreement__item_code")
        .annotate(total=Sum("hours"))
        .order_by("agreement__agency_id", "agreement__item_code")
    )
    result: dict[int, dict[str, Decimal]] = {}
    for row in rows:
        result.setdefault(row["agreement__agency_id"], {})[row["agreement__item_code"]] = row["total"]
    return result


def find_agencies(user, text: str) -> QuerySet[Agency]:
    """The top bar's search: the user's agencies whose code or name holds ``text``, exact codes first."""
    text = (text or "").strip()
    if len(text) < 2:
        return Agency.objects.none()
    return (
        agencies_for(user)
        .filter(Q(code__icontains=text) | Q(name__icontains=text))
        .annotate(exact=Case(When(code__iexact=text, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .select_related("unit")
        .order_by("exact", "code")
    )


# --- e-mails to agencies ---------------------------------------------------------------------


def notices_of(agency: Agency) -> QuerySet[AgencyNotice]:
    """Every e-mail sent to ``agency`` (or about it, to its handler), newest first."""
    return agency.notices.select_related("created_by").order_by("-created_at", "-id")


def notice_for(user, pk) -> AgencyNotice:
    return get_object_or_404(AgencyNotice.objects.select_related("agency"), pk=pk, agency__in=agencies_for(user))


def customer_messages_for(user) -> QuerySet[CustomerMessage]:
    """Customer messages to any of the agencies ``user`` may see, newest first."""
    return (
        CustomerMessage.objects.filter(agencies__in=agencies_for(user))
        .distinct()
        .select_related("author")
        .prefetch_related("agencies")
        .order_by("-created_at", "-id")
    )
