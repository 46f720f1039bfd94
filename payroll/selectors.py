"""Reads of payroll cases shared by pages, reports and the monthly close.

Object access is scoped here by the user's unit (``cases_for``), so a page that
forgets a filter cannot show another unit's cases. The report selectors take an
optional ``unit`` (a customers.Unit; None: every unit) and use the indexes of
PayrollCase: (billing_period, agency, channel), (period, agency, channel),
(status, handler) and (status, due_on).
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import period_end, period_start
from core.workdays import add_working_days
from customers.selectors import agencies_for
from organisation.selectors import VIEW_ALL_UNITS, active_loans, units_for
from people.identity import can_see_protected
from people.selectors import matching_personnummer, without_protected

from .clock import DUE_SOON_WORKING_DAYS
from .models import (
    AggregatedPeriod,
    CaseDocument,
    CaseNote,
    CaseReturn,
    ControlCheck,
    ControlSample,
    DocumentType,
    MonthlyVolume,
    PayrollCase,
    PayslipCount,
    PayslipImport,
    StatusChange,
)

Status = PayrollCase.Status
OPEN = PayrollCase.OPEN_STATUSES
ACTIVE = (Status.RECEIVED, Status.REGISTERED)  # open and not waiting for the agency


# --- scoping ------------------------------------------------------------------------------------------


def cases_for(user) -> QuerySet[PayrollCase]:
    """The cases ``user`` may see: those of their unit's agencies (every agency with view_all_units)."""
    if user.has_perm(VIEW_ALL_UNITS):
        return PayrollCase.objects.all()
    return PayrollCase.objects.filter(agency__in=agencies_for(user))


def case_for(user, pk) -> PayrollCase:
    """One case the user may see, with what its page shows; raises DoesNotExist otherwise."""
    return cases_for(user).select_related("agency", "person", "handler", "registered_by", "approved_by").get(pk=pk)


def known_name(user, person) -> str:
    """The employee's name as the user's own scope knows it: the latest name kept on a case the user
    may see ("" when none). Never the person record, which another unit may have filled in, and
    nothing for a protected person unless the user may see protected identities, so that for everyone
    else a protected number answers exactly as an unknown one does."""
    if person.protected_identity and not can_see_protected(user):
        return ""
    names = cases_for(user).filter(person=person).exclude(employee_name="").order_by("-pk")
    return names.values_list("employee_name", flat=True).first() or ""


_REFERENCE = re.compile(r"L\s*-?\s*(\d{1,12})", re.IGNORECASE)


def case_reference_id(text: str) -> int | None:
    """The case id a typed case number means (``L-123``, ``l123``, ``L 123``), else None."""
    match = _REFERENCE.fullmatch((text or "").strip())
    return int(match.group(1)) if match else None


def find_cases(user, text: str) -> QuerySet[PayrollCase]:
    """The cases of ``user``'s units that ``text`` finds: by case number, or by the employee's whole
    personal identity number (the one rule of people.selectors). A protected person's cases are found
    by their number only by users allowed to see them; by case number they are found, masked."""
    ref = case_reference_id(text)
    by_reference = Q(pk=ref) if ref is not None else Q(pk__in=[])
    by_person = matching_personnummer(text, field="person__personnummer")
    found = cases_for(user).filter(by_reference | by_person)
    return without_protected(found, user=user, unless=by_reference).order_by("-id")


def returns_for(user) -> QuerySet[CaseReturn]:
    return CaseReturn.objects.filter(case__in=cases_for(user))


def imports_for(user) -> QuerySet[PayslipImport]:
    """Imports the user may see: their own, their unit's, and the city-wide files that were
    imported (whose summary pages then show only the user's agencies); all with view_all_units.
    Another user's city-wide file that was rejected stays hidden: its errors may quote any unit's rows."""
    if user.has_perm(VIEW_ALL_UNITS):
        return PayslipImport.objects.all()
    return PayslipImport.objects.filter(
        Q(uploaded_by=user) | Q(unit__in=units_for(user)) | Q(unit__isnull=True, status=PayslipImport.Status.DONE)
    )


def import_summary_for(user, job: PayslipImport) -> list[dict]:
    """The job's rows per agency and channel, limited to the agencies the user sees."""
    if user.has_perm(VIEW_ALL_UNITS) or job.unit_id is not None:
        return job.summary
    codes = set(agencies_for(user).values_list("code", flat=True))
    return [row for row in job.summary if row["agency"] in codes]


def samples_for(user) -> QuerySet[ControlSample]:
    """Internal-control samples of the user's units; samples of every unit only with view_all_units."""
    if user.has_perm(VIEW_ALL_UNITS):
        return ControlSample.objects.all()
    return ControlSample.objects.filter(unit__in=units_for(user))


def checks_for(user) -> QuerySet[ControlCheck]:
    return ControlCheck.objects.filter(sample__in=samples_for(user))


# --- the work queue -----------------------------------------------------------------------------------

BUCKETS = ("mine", "team", "due_soon", "overdue", "returned", "approval")


def _due_soon_limit(today: dt.date) -> dt.date:
    return add_working_days(today, DUE_SOON_WORKING_DAYS)


def bucket_filter(bucket: str, *, user, today: dt.date) -> Q:
    """The condition of a work-queue bucket (all of them: open cases only)."""
    return {
        "mine": Q(status__in=OPEN, handler=user),
        "team": Q(status__in=OPEN) & team_filter(user),
        "due_soon": Q(status__in=ACTIVE, due_on__gte=today, due_on__lte=_due_soon_limit(today)),
        "overdue": Q(status__in=ACTIVE, due_on__lt=today),
        "returned": Q(status=Status.RETURNED),
        "approval": Q(status__in=ACTIVE, channel="girovision", approved_by__isnull=True),
    }[bucket]


def team_filter(user) -> Q:
    """The team tab: cases of the agencies the user's team serves (and of agencies no team serves);
    a user without a team sees the whole unit's."""
    staff = getattr(user, "staff_member", None)
    if staff is None or staff.team_id is None:
        return Q()
    return Q(agency__team_id=staff.team_id) | Q(agency__team__isnull=True)


def queue_cases(cases: QuerySet, *, bucket: str, user, today: dt.date | None = None) -> QuerySet[PayrollCase]:
    today = today or timezone.localdate()
    return (
        cases.filter(bucket_filter(bucket, user=user, today=today))
        .select_related("agency", "person", "handler")
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )


def queue_counts(cases: QuerySet, *, user, today: dt.date | None = None) -> dict[str, int]:
    """How many open cases each bucket holds, in one query over the open cases."""
    today = today or timezone.localdate()
    aggregates = {name: Count("id", filter=bucket_filter(name, user=user, today=today)) for name in BUCKETS}
    return cases.filter(status__in=OPEN).aggregate(**aggregates)


def late_count(cases: QuerySet, *, period: str) -> int:
    """Late documents (not cancelled) among ``cases`` for pay period ``period``."""
    return cases.filter(period=period, is_late=True).exclude(status=Status.CANCELLED).count()


# --- for reports (reporting app) ----------------------------------------------------------------------


def _scoped(unit) -> QuerySet[PayrollCase]:
    cases = PayrollCase.objects.all()
    return cases.filter(agency__unit=unit) if unit is not None else cases


def volumes_by_channel(*, periods, unit=None) -> dict[str, dict[int, dict[str, int]]]:
    """Payslips (completed cases) per pay period, agency id and channel.

    ``{"2012-03": {agency_id: {"self_service": 31000, "manual": 9000, ...}}}`` for each
    of ``periods`` that has any (one GROUP BY on the (period, agency, channel) index).
    Counted by pay period, not billing period (see ``payroll.billing`` for invoicing).
    ``unit`` limits it to that unit's agencies. Machine-processed channels are
    ``payroll.models.MACHINE_CHANNELS``.
    """
    rows = (
        _scoped(unit)
        .filter(period__in=list(periods), status=Status.COMPLETED)
        .values("period", "agency_id", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[str, dict[int, dict[str, int]]] = {}
    for row in rows:
        result.setdefault(row["period"], {}).setdefault(row["agency_id"], {})[row["channel"]] = row["n"]
    return result


def queue_summary(*, unit=None, today: dt.date | None = None) -> dict[str, int]:
    """Open manual work right now: ``{"open", "overdue", "due_soon", "returned", "approval"}`` counts.

    ``overdue``: received or registered and past its due date (lead time used up);
    ``due_soon``: due within two working days; ``returned``: waiting for the agency's
    completed document (the clock stopped); ``approval``: urgent payouts waiting for
    a second person's approval.
    """
    today = today or timezone.localdate()
    return (
        _scoped(unit)
        .filter(status__in=OPEN)
        .aggregate(
            open=Count("id"),
            overdue=Count("id", filter=Q(status__in=ACTIVE, due_on__lt=today)),
            due_soon=Count("id", filter=Q(status__in=ACTIVE, due_on__gte=today, due_on__lte=_due_soon_limit(today))),
            returned=Count("id", filter=Q(status=Status.RETURNED)),
            approval=Count("id", filter=Q(status__in=ACTIVE, channel="girovision", approved_by__isnull=True)),
        )
    )


def late_documents(*, period: str, unit=None) -> dict[int, int]:
    """Late documents per agency id for pay period ``period``: cases (not cancelled) whose
    document — or completed document after a return — arrived after the period's deadline
    (the 8th, moved to the next working day)."""
    rows = (
        _scoped(unit)
        .filter(period=period, is_late=True)
        .exclude(status=Status.CANCELLED)
        .values("agency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["agency_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class LeadTime:
    completed: int  # cases registered from documents and completed
    within: int  # completed within the service agreement's lead time
    average_days: Decimal  # working days used on average (the clock stopped while returned)

    @property
    def share_within(self) -> Decimal:
        """Per cent completed within the lead time, to one decimal."""
        if not self.completed:
            return Decimal("0.0")
        return (Decimal(100 * self.within) / self.completed).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def lead_times(*, period: str, unit=None) -> dict[int, LeadTime]:
    """Lead times per agency id of the cases of pay period ``period`` completed so far,
    in Swedish working days as measured by ``payroll.clock`` (imported cases have none)."""
    rows = (
        _scoped(unit)
        .filter(period=period, status=Status.COMPLETED, working_days_used__isnull=False)
        .values("agency_id")
        .annotate(
            completed=Count("id"),
            within=Count("id", filter=Q(working_days_used__lte=F("lead_time_days"))),
            average=Avg("working_days_used"),
        )
        .order_by()
    )
    return {
        row["agency_id"]: LeadTime(
            completed=row["completed"],
            within=row["within"],
            average_days=Decimal(str(row["average"] or 0)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        )
        for row in rows
    }


# --- monthly volumes (dashboards and reports) -----------------------------------------------------

MACHINE_CHANNELS = ("self_service", "lisa_tid")


def payslip_counts(*, periods: list[str], unit_ids=None, group_by=("period", "agency_id", "unit_id", "channel")):
    """Completed payroll cases summed by ``group_by`` from the live counts (``PayslipCount``, kept by
    the case table's triggers: payroll.counts), with each agency's unit as it is now."""
    rows = PayslipCount.objects.filter(period__in=list(periods), payslips__gt=0)
    if unit_ids is not None:
        rows = rows.filter(agency__unit_id__in=list(unit_ids))
    rows = rows.annotate(unit_id=F("agency__unit_id")).values(*group_by).annotate(n=Sum("payslips")).order_by()
    return [{f: row[f] for f in group_by} | {"payslips": row["n"]} for row in rows]


def volume_rows(*, periods: list[str], unit_ids=None, group_by=("period", "channel")) -> list[dict]:
    """Payslips summed by ``group_by`` (any of period, agency_id, unit_id, channel).

    Months refreshed by the close come from the MonthlyVolume aggregate (one GROUP BY);
    the others (the running month) from the live PayslipCount rows (one GROUP BY of a few
    thousand rows a month, kept by the case table's triggers: payroll.counts)."""
    periods = list(periods)
    aggregated = set(AggregatedPeriod.objects.filter(period__in=periods).values_list("period", flat=True))
    merged: dict[tuple, int] = defaultdict(int)
    if aggregated:
        qs = MonthlyVolume.objects.filter(period__in=aggregated)
        if unit_ids is not None:
            qs = qs.filter(unit_id__in=unit_ids)
        for row in qs.values(*group_by).annotate(n=Sum("payslips")).order_by():
            merged[tuple(row[f] for f in group_by)] += row["n"]
    live = [p for p in periods if p not in aggregated]
    if live:
        for row in payslip_counts(periods=live, unit_ids=unit_ids, group_by=group_by):
            merged[tuple(row[f] for f in group_by)] += row["payslips"]
    return [dict(zip(group_by, key, strict=True)) | {"payslips": n} for key, n in merged.items()]


def payslips_by_unit(*, periods: list[str]) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for row in volume_rows(periods=periods, group_by=("unit_id",)):
        totals[row["unit_id"]] += row["payslips"]
    return dict(totals)


# --- work distribution --------------------------------------------------------------------------------


def eligible_handlers(user):
    """The case handlers the user may give their units' cases to: active staff of those units and staff
    lent to them today, who handle payroll cases."""
    units = units_for(user)
    lent = active_loans().filter(to_unit__in=units).values("staff_member")
    candidates = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(staff_member__unit__in=units, staff_member__active=True) | Q(staff_member__in=lent))
        .select_related("staff_member__unit")
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return [u for u in candidates if u.has_perm("payroll.change_payrollcase")]


@dataclass
class Workload:
    handler: object  # a user, or None for the unassigned cases
    open: int
    due_soon: int
    overdue: int
    returned: int
    lent: bool = False  # lent to the user's unit
    former: bool = False  # no longer works with the unit's cases


def workload(user, *, today: dt.date | None = None) -> list[Workload]:
    """Each eligible handler's open cases among the user's units' (due soon, overdue, returned), and the
    unassigned ones last: one GROUP BY over the open cases."""
    today = today or timezone.localdate()
    counts = {
        row["handler_id"]: row
        for row in cases_for(user)
        .filter(status__in=OPEN)
        .values("handler_id")
        .annotate(
            open=Count("id"),
            due_soon=Count("id", filter=bucket_filter("due_soon", user=user, today=today)),
            overdue=Count("id", filter=bucket_filter("overdue", user=user, today=today)),
            returned=Count("id", filter=Q(status=Status.RETURNED)),
        )
        .order_by()
    }
    own_units = set(units_for(user).values_list("pk", flat=True))
    rows = []
    for handler in eligible_handlers(user):
        row = counts.pop(handler.pk, {})
        rows.append(
            Workload(
                handler,
                row.get("open", 0),
                row.get("due_soon", 0),
                row.get("overdue", 0),
                row.get("returned", 0),
                lent=handler.staff_member.unit_id not in own_units,
            )
        )
    unassigned = counts.pop(None, {})
    # Cases still held by someone who is no longer the unit's (a loan that ended, a move): to reassign.
    for former in get_user_model().objects.filter(pk__in=list(counts)).order_by("username"):
        row = counts[former.pk]
        rows.append(
            Workload(former, row["open"], row["due_soon"], row["overdue"], row["returned"], lent=False, former=True)
        )
    rows.append(
        Workload(
            None,
            unassigned.get("open", 0),
            unassigned.get("due_soon", 0),
            unassigned.get("overdue", 0),
            unassigned.get("returned", 0),
        )
    )
    return rows


# --- one case's timeline ------------------------------------------------------------------------------


@dataclass
class TimelineEvent:
    at: dt.datetime
    kind: str  # registered, status, assigned, approved, returned, arrived, note, document
    who: object  # a user or None
    text: str = ""
    detail: str = ""
    anchor: str = ""


def case_timeline(case: PayrollCase) -> list[TimelineEvent]:
    """Everything that happened to ``case``, oldest first, with who and when: read from the audit
    trail — the case's history rows (created, handler and approval changes), its status changes,
    returns and completed documents, notes and documents."""
    events: list[TimelineEvent] = []
    previous = None
    for row in case.history.select_related("history_user").order_by("history_date", "history_id"):
        if previous is None:
            if row.history_type == "+":
                events.append(TimelineEvent(row.history_date, "registered", row.history_user, _("Case created")))
        else:
            if row.handler_id != previous.handler_id:
                handler = row.handler
                name = (handler.get_full_name() or handler.get_username()) if handler else ""
                text = _("Assigned to %(name)s") % {"name": name} if handler else _("Handler removed")
                events.append(TimelineEvent(row.history_date, "assigned", row.history_user, text))
        previous = row
    for change in StatusChange.objects.filter(case=case).select_related("changed_by"):
        if change.to_status == Status.RETURNED:
            continue  # the return's own event says what was missing
        if change.from_status == change.to_status:
            events.append(TimelineEvent(change.changed_at, "approved", change.changed_by, change.note))
            continue
        text = (
            f"{change.get_from_status_display()} → {change.get_to_status_display()}"
            if change.from_status
            else change.get_to_status_display()
        )
        events.append(TimelineEvent(change.changed_at, "status", change.changed_by, text, change.note))
    for case_return in case.returns.select_related("returned_by", "arrival_recorded_by"):
        events.append(
            TimelineEvent(
                case_return.created_at,
                "returned",
                case_return.returned_by,
                _("Returned to the agency: %(missing)s") % {"missing": ", ".join(case_return.missing_labels)},
                case_return.details,
                f"return-{case_return.pk}",
            )
        )
    for note in CaseNote.objects.filter(case=case).select_related("author"):
        events.append(TimelineEvent(note.created_at, "note", note.author, _("Note"), note.text, f"note-{note.pk}"))
    for document in CaseDocument.objects.filter(case=case).select_related("uploaded_by"):
        events.append(
            TimelineEvent(
                document.uploaded_at, "document", document.uploaded_by, _("Document attached"), "", "documents"
            )
        )
    return sorted(events, key=lambda event: event.at)


# --- the board's reports: documents received, returns and internal control ---------------------------


def documents_by_month_and_type(*, periods: list[str], unit=None) -> dict[str, dict[str, int]]:
    """Documents (underlag) registered as cases, per pay period and document type: the cases a handler
    registered from a received document (imported payslips have no document type). Every period and
    every type is present (0 when none)."""
    counts = {p: dict.fromkeys(DocumentType.values, 0) for p in periods}
    rows = (
        _scoped(unit)
        .filter(period__in=list(periods))
        .exclude(document_type="")
        .values("period", "document_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["period"]][row["document_type"]] = row["n"]
    return counts


def returns_in(*, periods: list[str], unit=None) -> dict[str, int]:
    """Documents returned to the agencies, per month they were returned in."""
    counts = dict.fromkeys(periods, 0)
    qs = CaseReturn.objects.all() if unit is None else CaseReturn.objects.filter(case__agency__unit=unit)
    for period in periods:
        year, month = int(period[:4]), int(period[5:])
        counts[period] = qs.filter(returned_on__year=year, returned_on__month=month).count()
    return counts


@dataclass(frozen=True)
class ControlOutcome:
    samples: int  # samples drawn of the periods
    sampled: int  # cases drawn
    checked: int  # cases checked (correct or incorrect)
    incorrect: int  # incorrect payments found

    @property
    def error_rate(self) -> Decimal | None:
        """Per cent of the checked cases that were incorrect payments, to one decimal; None before any check."""
        if not self.checked:
            return None
        return (Decimal(100 * self.incorrect) / self.checked).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def control_outcome(*, periods: list[str], unit=None) -> ControlOutcome:
    """The internal-control samples (stickprov) of the pay periods and what their checks found."""
    samples = ControlSample.objects.filter(period__in=list(periods))
    if unit is not None:
        samples = samples.filter(unit=unit)
    checks = ControlCheck.objects.filter(sample__in=samples).values("outcome").annotate(n=Count("id")).order_by()
    by_outcome = {row["outcome"]: row["n"] for row in checks}
    Outcome = ControlCheck.Outcome
    return ControlOutcome(
        samples=samples.count(),
        sampled=sum(by_outcome.values()),
        checked=by_outcome.get(Outcome.CORRECT, 0) + by_outcome.get(Outcome.INCORRECT, 0),
        incorrect=by_outcome.get(Outcome.INCORRECT, 0),
    )


# --- per-handler figures (staff statistics) -----------------------------------------------------------


@dataclass
class HandlerFigures:
    """One handler's cases registered, completed and returned, month by month (pension's
    ``handler_followup`` in shape: one row per handler, by name)."""

    handler_id: int
    handler: str
    months: dict[str, dict[str, int]]

    @property
    def total(self) -> dict[str, int]:
        return {key: sum(m[key] for m in self.months.values()) for key in HANDLER_FIGURES}


HANDLER_FIGURES = ("registered", "completed", "returned")


def _per_month(qs, user_field: str, day_field: str) -> list[tuple[int, str, int]]:
    rows = (
        qs.annotate(y=ExtractYear(day_field), m=ExtractMonth(day_field))
        .values(user_field, "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(row[user_field], f"{row['y']:04d}-{row['m']:02d}", row["n"]) for row in rows]


def handler_figures(*, cases: QuerySet[PayrollCase], periods: list[str]) -> list[HandlerFigures]:
    """Per handler and month of ``periods`` (by the day it was done): the cases they registered by hand
    and completed (from the status changes, by who made them) and returned to the agency (by who
    returned them), of ``cases`` (already scoped to the user's units)."""
    first, last = period_start(periods[0]), period_end(periods[-1])
    changes = StatusChange.objects.filter(case__in=cases, changed_at__date__gte=first, changed_at__date__lte=last)
    found: dict[int, dict[str, dict[str, int]]] = defaultdict(
        lambda: {p: dict.fromkeys(HANDLER_FIGURES, 0) for p in periods}
    )
    sources = [
        ("registered", _per_month(changes.filter(from_status=""), "changed_by_id", "changed_at")),
        ("completed", _per_month(changes.filter(to_status=Status.COMPLETED), "changed_by_id", "changed_at")),
        (
            "returned",
            _per_month(
                CaseReturn.objects.filter(case__in=cases, returned_on__gte=first, returned_on__lte=last),
                "returned_by_id",
                "returned_on",
            ),
        ),
    ]
    for key, rows in sources:
        for user_id, period, n in rows:
            if user_id is not None and period in periods:
                found[user_id][period][key] += n
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=found)}
    rows = [
        HandlerFigures(pk, users[pk].get_full_name() or users[pk].get_username(), months)
        for pk, months in found.items()
    ]
    return sorted(rows, key=lambda r: r.handler)
