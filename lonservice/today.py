"""What needs doing today, per role: the start page's panels.

Each panel is a few counts that link to the work they count, read through the apps'
own (unit-scoped) selectors, so the start page never shows more than the pages behind it.
A user with several roles sees one panel per role.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import roles
from accounts.roles import roles_of
from core.billing import latest_closed_period
from core.periods import current_period, next_period, previous_period
from core.templatetags.formatting import number, sek
from core.workdays import document_deadline
from customers.models import AddonHours, Complaint
from customers.selectors import active_q, agencies_for, complaints_for, customer_meetings
from invoicing.models import CloseJob, Invoice
from organisation.models import Target, Unit
from organisation.selectors import units_for
from payroll import selectors as payroll
from payroll.models import PayrollCase
from pensions import selectors as pensions
from pensions.models import PensionCase, SignalItem
from portal import selectors as portal
from pricing.models import PriceList
from register import selectors as register
from register.models import PersonSignal
from reporting.dashboards import default_tertial
from reporting.services import agreements as agreement_follow_up
from reporting.services.board import tertial_report
from staffing.selectors import month_fte


@dataclass
class Tile:
    label: str
    value: object  # a count, or a figure shown by ``kind``
    url: str | None = None
    tone: str = ""  # "bad", "warn", "ok" or "" (neutral)
    note: str = ""
    kind: str = "int"  # int, decimal, pct, money or text

    @property
    def text(self) -> str:
        """The figure in the locale's format: 1 234, 87,4 %, 14 980 277 kr (no öre on a tile)."""
        if self.value is None or self.kind == "text":
            return "" if self.value is None else str(self.value)
        if self.kind == "money":
            return sek(self.value, 0)
        places = 0 if Decimal(self.value) == Decimal(self.value).to_integral() else 1
        return number(self.value, places) + (" %" if self.kind == "pct" else "")


@dataclass
class Panel:
    title: str
    tiles: list[Tile] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) for the rest of the work
    intro: str = ""


def _url(name: str, query: str = "", *args) -> str:
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _todo(count: int, *, bad: bool = False) -> str:
    """A count of work waiting: nothing is good news; something is a warning (or worse)."""
    if not count:
        return "ok"
    return "bad" if bad else "warn"


def _register_tile(user, today: dt.date) -> Tile | None:
    """The person register's open signals past their deadline, for those who handle them."""
    if not user.has_perm("register.view_personsignal"):
        return None
    open_signals = register.signals_for(user).filter(status=PersonSignal.Status.OPEN)
    overdue = open_signals.filter(due_on__lt=today).count()
    return Tile(
        _("Person register signals past their deadline"),
        overdue,
        _url("register:queue", "overdue=on") if overdue else reverse("register:queue"),
        _todo(overdue, bad=True),
        note=ngettext("%(n)s open in all", "%(n)s open in all", open_signals.count()) % {"n": open_signals.count()},
    )


# --- payroll -------------------------------------------------------------------------------------


def _case_handler(user, today: dt.date) -> Panel:

    cases = payroll.cases_for(user)
    mine = cases.filter(handler=user)
    count = lambda qs, bucket: qs.filter(payroll.bucket_filter(bucket, user=user, today=today)).count()  # noqa: E731
    queue = reverse("payroll:queue")
    period = current_period()
    deadline = document_deadline(int(period[:4]), int(period[5:]))
    if deadline < today:
        period = next_period(period)
        deadline = document_deadline(int(period[:4]), int(period[5:]))
    mine_overdue, mine_soon = count(mine, "overdue"), count(mine, "due_soon")
    returned, approval = count(cases, "returned"), count(cases.exclude(handler=user), "approval")
    return Panel(
        title=_("Your payroll cases"),
        intro=_("Documents for pay period %(period)s are due on %(date)s.")
        % {"period": period, "date": date_format(deadline, "j F")},
        tiles=[
            Tile(_("Your cases overdue"), mine_overdue, f"{queue}?bucket=mine", _todo(mine_overdue, bad=True)),
            Tile(_("Your cases due within two working days"), mine_soon, f"{queue}?bucket=mine", _todo(mine_soon)),
            Tile(_("Your open cases"), count(mine, "mine"), f"{queue}?bucket=mine"),
            Tile(
                _("Returned documents waiting for the agency"),
                returned,
                f"{queue}?bucket=returned",
                note=_("The lead-time clock stands still until they come back."),
            ),
            Tile(_("Urgent payouts for you to approve"), approval, f"{queue}?bucket=approval", _todo(approval)),
        ],
        links=[
            (_("Register a case"), reverse("payroll:case_create")),
            (_("Import a payslip file"), reverse("payroll:import_upload")),
        ]
        if user.has_perm("payroll.add_payrollcase")
        else [],
    )


def _pension_handler(user, today: dt.date) -> Panel:

    counts = pensions.queue_counts(pensions.queue_tabs(user, today=today))
    queue = reverse("pensions:queue")
    overdue_signals = pensions.signal_items_for(user).filter(status=SignalItem.Status.OPEN, due_on__lt=today).count()
    return Panel(
        title=_("Your pension cases"),
        tiles=[
            Tile(
                _("Overdue, not decided"), counts["overdue"], f"{queue}?tab=overdue", _todo(counts["overdue"], bad=True)
            ),
            Tile(
                _("Due within five working days"),
                counts["due_soon"],
                f"{queue}?tab=due_soon",
                _todo(counts["due_soon"]),
            ),
            Tile(_("Your unfinished cases"), counts["mine"], f"{queue}?tab=mine"),
            Tile(_("Not yet assigned"), counts["unassigned"], f"{queue}?tab=unassigned", _todo(counts["unassigned"])),
            Tile(_("Waiting for information"), counts["waiting"], f"{queue}?tab=waiting"),
            Tile(
                _("Signals past their deadline"),
                overdue_signals,
                reverse("pensions:signal_lists"),
                _todo(overdue_signals, bad=True),
            ),
        ],
        links=[(_("Register a case"), reverse("pensions:case_create"))]
        if user.has_perm("pensions.add_pensioncase")
        else [],
    )


# --- unit managers and the head of service -------------------------------------------------------


def _fte_missing(user, period: str) -> list:
    """The user's units without any FTE entered for ``period``."""

    units = list(units_for(user).filter(kind=Unit.Kind.PAYROLL).order_by("code"))
    entered = {unit_id for (_period, unit_id, _category) in month_fte(periods=[period], units=units)}
    return [unit for unit in units if unit.pk not in entered]


def _meetings_tile(user, today: dt.date, *, service_wide: bool) -> Tile:
    """Meetings so far this year against the board's target pro rata: the service's a year (60 in 2012),
    or the target per agency (two) for each of a unit manager's agencies."""
    summary = customer_meetings(year=today.year, agencies=agencies_for(user))
    target = summary.target if service_wide else summary.agencies_target
    url = reverse("customers:meetings")
    if target is None:
        return Tile(_("Customer meetings this year"), summary.total, url, note=_("No target"))
    elapsed = (today - dt.date(today.year, 1, 1)).days + 1
    by_now = int(target * elapsed / (366 if today.year % 4 == 0 else 365))
    below = len(summary.below_target)
    return Tile(
        _("Customer meetings this year"),
        summary.total,
        url,
        "warn" if summary.total < by_now else "ok",
        note=ngettext(
            "%(by_now)s by now to reach %(target)s this year; %(n)s agency has fewer than %(each)s",
            "%(by_now)s by now to reach %(target)s this year; %(n)s agencies have fewer than %(each)s",
            below,
        )
        % {"by_now": by_now, "target": target, "n": below, "each": summary.per_agency_target},
    )


def _unit_manager(user, today: dt.date) -> Panel:
    units = list(units_for(user).order_by("code"))
    last_month = previous_period(current_period())
    tiles = []
    if user.has_perm("payroll.view_payrollcase") and units:
        summary: dict[str, int] = {}
        for unit in units:
            for key, n in payroll.queue_summary(unit=unit, today=today).items():
                summary[key] = summary.get(key, 0) + (n or 0)
        if summary:
            queue = reverse("payroll:queue")
            tiles += [
                Tile(
                    _("Payroll cases overdue"),
                    summary["overdue"],
                    f"{queue}?bucket=overdue",
                    _todo(summary["overdue"], bad=True),
                    note=_("%(n)s due within two working days") % {"n": summary["due_soon"]},
                ),
                Tile(_("Returned, waiting for the agency"), summary["returned"], f"{queue}?bucket=returned"),
                Tile(
                    _("Urgent payouts to approve"),
                    summary["approval"],
                    f"{queue}?bucket=approval",
                    _todo(summary["approval"]),
                ),
            ]
    if user.has_perm("staffing.view_monthlyfte"):
        missing = _fte_missing(user, last_month)
        can_enter = user.has_perm("staffing.add_monthlyfte")
        if missing:
            url = _url("staffing:fte_edit", "", missing[0].pk, last_month) if can_enter else reverse("staffing:fte")
            tiles.append(
                Tile(
                    _("FTE for %(period)s") % {"period": last_month},
                    _("Not entered"),
                    url,
                    "bad",
                    note=", ".join(u.name for u in missing),
                    kind="text",
                )
            )
        else:
            tiles.append(
                Tile(
                    _("FTE for %(period)s") % {"period": last_month},
                    _("Entered"),
                    reverse("staffing:fte"),
                    "ok",
                    kind="text",
                )
            )
    if user.has_perm("customers.view_customerlogentry"):
        tiles.append(_meetings_tile(user, today, service_wide=False))
    if user.has_perm("customers.view_serviceagreement") and agreement_follow_up.renewal_reminder_due(today):
        to_renew = agreement_follow_up.to_renew(agencies=agencies_for(user), today=today).count()
        tiles.append(
            Tile(
                _("Agencies without a service agreement for %(year)s") % {"year": today.year + 1},
                to_renew,
                reverse("reporting:agreement_follow_up"),
                _todo(to_renew),
                note=_("Renew them before the year ends."),
            )
        )
    if user.has_perm("customers.view_complaint"):
        waiting = complaints_for(user).filter(status=Complaint.Status.OPEN).count()
        tiles.append(
            Tile(
                _("Complaints not yet taken up"),
                waiting,
                _url("customers:complaint_list", "status=open"),
                _todo(waiting),
            )
        )
    return Panel(
        title=units[0].name if len(units) == 1 else _("Your unit"),
        tiles=tiles,
        links=[(_("Unit dashboard"), reverse("reporting:unit_dashboard"))]
        if user.has_perm("reporting.view_unit_dashboard")
        else [],
    )


def _indicator_tiles() -> tuple[str, list[Tile]]:

    ind = Target.Indicator
    percent = {ind.PHONE_WITHIN_25S, ind.FIRST_CONTACT, ind.EMAIL_WITHIN_DAY, ind.SATISFIED_CUSTOMERS, ind.SICK_LEAVE}
    year, tertial = default_tertial()
    report = tertial_report(year=year, tertial=tertial)
    tiles = []
    for row in report.rows:
        kind = row.get("_kinds", {}).get("value", "pct" if row["indicator"] in percent else "decimal")
        tone = {True: "ok", False: "bad"}.get(row["status"], "")
        note = ""
        if row["target"] is not None:
            note = _("Target %(target)s") % {"target": Tile("", row["target"], kind=kind).text}
        tiles.append(Tile(str(row["label"]), row["value"], reverse("reporting:tertial_report"), tone, note, kind))
    return _("Indicators, tertial %(tertial)s %(year)s") % {"tertial": tertial, "year": year}, tiles


def _head_of_service(user, today: dt.date) -> list[Panel]:

    last_month = previous_period(current_period())
    summary = payroll.queue_summary(today=today)
    queue = reverse("payroll:queue")
    missing = _fte_missing(user, last_month)
    todo = Panel(
        title=_("The whole service"),
        tiles=[
            Tile(
                _("Payroll cases overdue"),
                summary["overdue"],
                f"{queue}?bucket=overdue",
                _todo(summary["overdue"], bad=True),
                note=ngettext("%(n)s open in all", "%(n)s open in all", summary["open"]) % {"n": summary["open"]},
            ),
            Tile(
                _("Units without FTE for %(period)s") % {"period": last_month},
                len(missing),
                reverse("staffing:fte"),
                _todo(len(missing), bad=True),
                note=", ".join(u.name for u in missing),
            ),
            _meetings_tile(user, today, service_wide=True),
        ],
        links=[(_("Service dashboard"), reverse("reporting:service_dashboard"))],
    )
    title, tiles = _indicator_tiles()
    indicators = Panel(
        title=title, tiles=tiles, links=[(_("Tertial report to the board"), reverse("reporting:tertial_report"))]
    )
    return [todo, indicators]


# --- finance and administrators ------------------------------------------------------------------


def months_to_close() -> list[str]:
    """Ended months after the latest closed one that have work to invoice (every ended month with work
    before the first close): one range read per source on its billing-period index."""

    latest = latest_closed_period()
    window = {"billing_period__lt": current_period()}
    if latest:
        window["billing_period__gt"] = latest
    months = set()
    for queryset in (
        PayrollCase.objects.filter(status=PayrollCase.Status.COMPLETED, **window),
        PensionCase.objects.filter(**window).exclude(decision=""),
        AddonHours.objects.filter(**window),
    ):
        months |= set(queryset.order_by().values_list("billing_period", flat=True).distinct())
    return sorted(months)


def _finance(user, today: dt.date) -> Panel:

    waiting = months_to_close()
    latest_jobs = {}
    for job in CloseJob.objects.filter(period__in=waiting).order_by("period", "-created_at"):
        latest_jobs.setdefault(job.period, job)
    failed = [p for p, job in latest_jobs.items() if job.state == CloseJob.State.FAILED]
    running = [p for p, job in latest_jobs.items() if job.state in CloseJob.ACTIVE_STATES]
    close = reverse("invoicing:close_list")
    last_month = previous_period(current_period())
    tiles = [
        Tile(
            ngettext("Month waiting to be closed", "Months waiting to be closed", len(waiting)),
            len(waiting),
            close,
            _todo(len(waiting)),
            note=", ".join(waiting[:6]) + (" …" if len(waiting) > 6 else ""),
        ),
        Tile(_("Closes that failed"), len(failed), close, _todo(len(failed), bad=True), note=", ".join(failed)),
    ]
    if running:
        tiles.append(Tile(_("Closes running"), len(running), close, note=", ".join(running)))
    issued = Invoice.objects.filter(period=last_month).count()
    tiles.append(
        Tile(
            _("Invoices for %(period)s") % {"period": last_month},
            issued,
            _url("invoicing:invoice_list", f"period={last_month}"),
            note=_("The month is closed on the %(day)s of the month after it ends.") % {"day": _close_day()},
        )
    )
    return Panel(title=_("Invoicing"), tiles=tiles, links=[(_("Monthly close"), close)])


def _agency_contact(user, today: dt.date) -> Panel:
    """An agency contact's start: documents waiting for them, this month's draft, the latest invoice."""
    returns = portal.returns(user)
    waiting = returns.filter(document_arrived_on__isnull=True)
    overdue = waiting.filter(reply_by__lt=today).count()
    latest = portal.invoices(user).first()
    agencies = list(portal.agencies(user))
    cases = PayrollCase.objects.filter(agency__in=agencies, period=current_period()).count()
    tiles = [
        Tile(
            _("Returned documents waiting for you"),
            waiting.count(),
            reverse("portal:return_list"),
            _todo(waiting.count(), bad=bool(overdue)),
            note=ngettext("%(n)s past its date", "%(n)s past their date", overdue) % {"n": overdue} if overdue else "",
        ),
        Tile(_("Cases this month"), cases, reverse("portal:month")),
    ]
    if latest is not None:
        tiles.append(
            Tile(
                _("Latest invoice"),
                latest.total,
                reverse("portal:invoice_detail", args=[latest.pk]),
                kind="money",
                note=f"{latest.number} · {latest.period}",
            )
        )
    return Panel(
        title=", ".join(f"{agency.code} {agency.name}" for agency in agencies) or _("Your agency"),
        tiles=tiles,
        links=[
            (_("This month and the draft invoice"), reverse("portal:month")),
            (_("Invoices"), reverse("portal:invoice_list")),
            (_("Feedback and complaints"), reverse("portal:feedback_list")),
            (_("Information and forms"), reverse("portal:information")),
        ],
    )


def _close_day() -> int:

    return getattr(settings, "MONTHLY_CLOSE_DAY", 10)


def _administrator(user, today: dt.date) -> Panel:

    next_year = today.year + 1
    agencies = agencies_for(user).filter(active_q(today))
    without_agreement = agencies.exclude(agreements__year=today.year).count()
    has_next = PriceList.objects.filter(year=next_year).exists()
    return Panel(
        title=_("Master data"),
        tiles=[
            Tile(
                _("Active agencies without a service agreement for %(year)s") % {"year": today.year},
                without_agreement,
                reverse("customers:agency_list"),
                _todo(without_agreement),
            ),
            Tile(
                _("Price list for %(year)s") % {"year": next_year},
                _("In place") if has_next else _("Not yet made"),
                reverse("pricing:pricelist_list"),
                "ok" if has_next else ("warn" if today.month >= 10 else ""),
                kind="text",
            ),
        ],
        links=[(_("Admin site"), reverse("admin:index"))] if user.is_staff else [],
    )


# The roles whose units handle the person register's signals.
_REGISTER_ROLES = (roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE)


def panels_for(user, today: dt.date | None = None) -> list[Panel]:
    today = today or timezone.localdate()
    panels: list[Panel] = []
    register_panel = None
    for role in roles_of(user):
        if role == roles.CASE_HANDLER:
            panels.append(_case_handler(user, today))
        elif role == roles.PENSION_HANDLER:
            panels.append(_pension_handler(user, today))
        elif role == roles.UNIT_MANAGER:
            panels.append(_unit_manager(user, today))
        elif role == roles.HEAD_OF_SERVICE:
            panels += _head_of_service(user, today)
        elif role == roles.FINANCE:
            panels.append(_finance(user, today))
        elif role == roles.ADMINISTRATOR:
            panels.append(_administrator(user, today))
        elif role == roles.AGENCY_CONTACT:
            panels.append(_agency_contact(user, today))
        if role in _REGISTER_ROLES and register_panel is None:
            register_panel = panels[-1] if role != roles.HEAD_OF_SERVICE else panels[-2]
    # Shown once, on the first panel of a role that handles the signals.
    tile = _register_tile(user, today) if register_panel else None
    if tile:
        register_panel.tiles.append(tile)
    return panels
