"""Reads of pension work shared by pages, reports and the monthly close.

A case belongs to the unit that handles it (``PensionCase.unit``); ``unit=`` arguments and the
access scoping below mean that unit. Periods are ``YYYY-MM`` strings.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from core.periods import period_end, period_start
from core.workdays import add_working_days
from organisation.selectors import VIEW_ALL_UNITS, units_for
from people.selectors import matching_personnummer, without_protected
from pricing.models import PENSION_CASE

from .models import CaseKind, PensionCase, SignalItem, SignalList

Status = PensionCase.Status

# Due soon: undecided cases due within this many working days from today.
DUE_SOON_WORKING_DAYS = 5


def _dates_in(field: str, periods) -> Q:
    """``field`` falls in one of the periods (each contiguous run becomes one range)."""
    q = Q(pk__in=[])
    for period in sorted(set(periods)):
        q |= Q(**{f"{field}__gte": period_start(period), f"{field}__lte": period_end(period)})
    return q


# --- access -------------------------------------------------------------------------------------


def cases_for(user) -> QuerySet[PensionCase]:
    """The pension cases ``user`` may see: their unit's, or every unit's with view_all_units."""
    qs = PensionCase.objects.select_related("agency", "person", "unit", "handler")
    if user.has_perm(VIEW_ALL_UNITS):
        return qs
    return qs.filter(unit__in=units_for(user))


def signal_lists_for(user) -> QuerySet[SignalList]:
    qs = SignalList.objects.select_related("unit")
    if user.has_perm(VIEW_ALL_UNITS):
        return qs
    return qs.filter(unit__in=units_for(user))


def signal_items_for(user) -> QuerySet[SignalItem]:
    qs = SignalItem.objects.select_related("signal_list", "agency", "person", "handled_by", "case")
    if user.has_perm(VIEW_ALL_UNITS):
        return qs
    return qs.filter(signal_list__unit__in=units_for(user))


def search_cases(qs: QuerySet[PensionCase], text: str, user) -> QuerySet[PensionCase]:
    """Search by case number, name, or personal identity number (the one rule of people.selectors).
    People with protected identity are found (other than by case number) only by users allowed to
    see them, so a search by name or number cannot confirm that a protected person has a case."""
    text = (text or "").strip()
    if not text:
        return qs
    by_number = Q(number__icontains=text)
    by_person = Q(person__name__icontains=text) | matching_personnummer(text, field="person__personnummer")
    qs = qs.filter(by_number | by_person)
    return without_protected(qs, user=user, unless=by_number)


def find_cases(user, text: str) -> QuerySet[PensionCase]:
    """The top bar's search: cases of the user's units by case number (``PE-2012-00001``, or a part
    of at least five characters such as ``2012-00001``) or by the person's whole personal identity
    number; a protected person's cases by their number only for users allowed to see them."""
    text = (text or "").strip()
    by_number = Q(number__iexact=text) | (Q(number__icontains=text) if len(text) >= 5 else Q(pk__in=[]))
    if not any(ch.isdigit() for ch in text):
        by_number = Q(pk__in=[])
    by_person = matching_personnummer(text, field="person__personnummer")
    found = cases_for(user).filter(by_number | by_person)
    return without_protected(found, user=user, unless=by_number).order_by("-received_on", "-id")


# --- the work queue -----------------------------------------------------------------------------

QUEUE_TABS = ["mine", "team", "unassigned", "due_soon", "overdue", "waiting"]


def team_cases(user, qs: QuerySet[PensionCase]) -> QuerySet[PensionCase]:
    """The team's unfinished cases: handled by members of the user's team or not yet assigned in
    their unit; a user without a team sees their unit's."""
    staff = getattr(user, "staff_member", None)
    qs = qs.filter(status__in=PensionCase.UNFINISHED_STATUSES)
    if staff is not None and staff.team_id:
        return qs.filter(Q(handler__team_id=staff.team_id) | Q(handler__isnull=True, unit_id=staff.unit_id))
    return qs


def queue_tabs(user, *, today: dt.date | None = None) -> dict[str, QuerySet[PensionCase]]:
    """Each tab of the pension handlers' work queue as a query over the cases the user may see."""
    today = today or timezone.localdate()
    visible = cases_for(user)
    unfinished = visible.filter(status__in=PensionCase.UNFINISHED_STATUSES)
    undecided = visible.filter(status__in=PensionCase.OPEN_STATUSES)
    staff = getattr(user, "staff_member", None)
    return {
        "mine": unfinished.filter(handler=staff) if staff else unfinished.none(),
        "team": team_cases(user, visible),
        "unassigned": undecided.filter(handler__isnull=True),
        "due_soon": undecided.filter(due_on__gte=today, due_on__lte=add_working_days(today, DUE_SOON_WORKING_DAYS)),
        "overdue": undecided.filter(due_on__lt=today),
        "waiting": visible.filter(status=Status.WAITING),
    }


def queue_counts(tabs: dict[str, QuerySet]) -> dict[str, int]:
    return {name: qs.count() for name, qs in tabs.items()}


# --- figures for reports and the monthly close ----------------------------------------------------


def pension_retirements(*, periods, unit=None) -> int:
    """Pension retirements (pensionsavgångar): old-age cases decided as granted, counted by decision
    date in the periods; the 510-per-pension-handler-FTE-a-year indicator divides these."""
    qs = PensionCase.objects.filter(
        _dates_in("decided_on", periods), kind=CaseKind.OLD_AGE, decision=PensionCase.Decision.GRANTED
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.count()


def _handled_q(periods) -> Q:
    """Handled in the periods: decided then, or closed then without a decision."""
    return _dates_in("decided_on", periods) | (Q(decision="") & _dates_in("closed_on", periods))


def volumes(*, periods, unit=None) -> dict:
    """Cases and signals received and handled in the periods, in total and per case kind.

    Returns ``{"cases_received", "cases_handled", "cases_decided", "signals_received",
    "signals_handled", "by_kind": {kind: {"received", "handled"}}}`` (every kind present, ints).
    A case is handled when decided (or closed without a decision); a signal when marked handled
    or turned into a case. Signals are received with their list.
    """
    cases = PensionCase.objects.all()
    items = SignalItem.objects.all()
    if unit is not None:
        cases = cases.filter(unit=unit)
        items = items.filter(signal_list__unit=unit)
    by_kind = {kind: {"received": 0, "handled": 0} for kind in CaseKind.values}
    for row in cases.filter(_dates_in("received_on", periods)).values("kind").annotate(n=Count("id")).order_by():
        by_kind[row["kind"]]["received"] = row["n"]
    for row in cases.filter(_handled_q(periods)).values("kind").annotate(n=Count("id")).order_by():
        by_kind[row["kind"]]["handled"] = row["n"]
    return {
        "cases_received": sum(k["received"] for k in by_kind.values()),
        "cases_handled": sum(k["handled"] for k in by_kind.values()),
        "cases_decided": cases.filter(_dates_in("decided_on", periods)).exclude(decision="").count(),
        "signals_received": items.filter(_dates_in("signal_list__received_on", periods)).count(),
        "signals_handled": items.filter(_dates_in("handled_on", periods))
        .exclude(status=SignalItem.Status.OPEN)
        .count(),
        "by_kind": by_kind,
    }


def billable_counts(*, billing_period: str) -> dict[int, dict[str, int]]:
    """Invoiceable pension work per agency id and price-list item code in ``billing_period``.

    Every decided case (granted or rejected) is one ``pension_case`` item, invoiced in the
    period recorded at the decision: the decision's month, or the next open billing period when
    that month was already closed (``core.billing.open_billing_period``), as payroll does.
    """
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        PensionCase.objects.filter(billing_period=billing_period)
        .exclude(decision="")
        .values("agency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["agency_id"]][PENSION_CASE] = row["n"]
    return dict(counts)


# --- weekly follow-up ---------------------------------------------------------------------------


def iso_week_range(year: int, week: int | None = None) -> tuple[dt.date, dt.date]:
    """Monday–Sunday of an ISO week, or of the whole ISO year when ``week`` is None."""
    if week is None:
        first = dt.date.fromisocalendar(year, 1, 1)
        return first, dt.date.fromisocalendar(year + 1, 1, 1) - dt.timedelta(days=1)
    monday = dt.date.fromisocalendar(year, week, 1)
    return monday, monday + dt.timedelta(days=6)


def weeks_in_year(year: int) -> int:
    return dt.date(year, 12, 28).isocalendar().week


def _by_week(qs, field: str) -> dict[dt.date, int]:
    rows = qs.annotate(week=TruncWeek(field)).values("week").annotate(n=Count("id")).order_by()
    result = {}
    for row in rows:
        week = row["week"]
        if isinstance(week, dt.datetime):
            week = week.date()
        result[week] = row["n"]
    return result


def weekly_followup(*, cases: QuerySet[PensionCase], items: QuerySet[SignalItem], year: int) -> list[dict]:
    """Cases and signals received and handled, week by week of the ISO year."""
    first, last = iso_week_range(year)
    received = _by_week(cases.filter(received_on__range=(first, last)), "received_on")
    decided = _by_week(cases.filter(decided_on__range=(first, last)).exclude(decision=""), "decided_on")
    closed = _by_week(cases.filter(decision="", status=Status.CLOSED, closed_on__range=(first, last)), "closed_on")
    signals_in = _by_week(items.filter(signal_list__received_on__range=(first, last)), "signal_list__received_on")
    signals_done = _by_week(
        items.filter(handled_on__range=(first, last)).exclude(status=SignalItem.Status.OPEN), "handled_on"
    )
    rows = []
    for week in range(1, weeks_in_year(year) + 1):
        monday = dt.date.fromisocalendar(year, week, 1)
        rows.append(
            {
                "week": week,
                "monday": monday,
                "cases_received": received.get(monday, 0),
                "cases_handled": decided.get(monday, 0) + closed.get(monday, 0),
                "signals_received": signals_in.get(monday, 0),
                "signals_handled": signals_done.get(monday, 0),
            }
        )
    return rows


def handler_followup(
    *, cases: QuerySet[PensionCase], items: QuerySet[SignalItem], first: dt.date, last: dt.date
) -> list[dict]:
    """Per handler between two dates: cases received (by current handler), decided, closed
    without a decision, signals handled; plus each handler's unfinished cases now."""
    per: dict[int | None, dict] = defaultdict(
        lambda: {"received": 0, "decided": 0, "closed": 0, "signals": 0, "unfinished": 0}
    )
    names: dict[int | None, str] = {}

    def add(qs, key, handler_field):
        for row in qs.values(handler_field, f"{handler_field}__name").annotate(n=Count("id")).order_by():
            handler_id = row[handler_field]
            per[handler_id][key] += row["n"]
            names[handler_id] = row[f"{handler_field}__name"]

    add(cases.filter(received_on__range=(first, last)), "received", "handler")
    add(cases.filter(decided_on__range=(first, last)).exclude(decision=""), "decided", "handler")
    add(cases.filter(decision="", status=Status.CLOSED, closed_on__range=(first, last)), "closed", "handler")
    add(
        items.filter(handled_on__range=(first, last)).exclude(status=SignalItem.Status.OPEN),
        "signals",
        "handled_by",
    )
    add(cases.filter(status__in=PensionCase.UNFINISHED_STATUSES), "unfinished", "handler")
    rows = [{"handler_id": hid, "handler": names.get(hid) or "", **counts} for hid, counts in per.items()]
    for row in rows:
        row["handled"] = row["decided"] + row["closed"] + row["signals"]
    return sorted(rows, key=lambda r: (r["handler_id"] is None, r["handler"]))
