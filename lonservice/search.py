"""The top bar's search: one field that finds payroll and pension cases by case number,
employees by personal identity number or name, and agencies by code or name, grouped by kind.

Each group is read through its app's unit-scoped selector, and only for users with the
permission to see that kind, so a search finds nothing a page would not show. Masking follows
the one rule of people.selectors: a protected person is found (by name or number) only by
users allowed to see them, and no count, message or link tells anyone else that they exist.
A case found by its number is shown masked, as in the work queue.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from customers.selectors import find_agencies
from payroll import selectors as payroll
from pensions import selectors as pensions
from people.identity import display_name, display_personnummer, log_unmasked_view
from people.selectors import search_people

PER_GROUP = 10
MAX_LENGTH = 100


@dataclass
class Hit:
    title: str
    url: str
    details: list[str] = field(default_factory=list)
    protected: bool = False


@dataclass
class Group:
    key: str
    label: str
    hits: list[Hit]
    more: bool = False  # more than PER_GROUP found
    more_url: str = ""


def clean(text: str) -> str:
    """The searched text: printable characters only (no NUL, which PostgreSQL refuses), at most MAX_LENGTH."""
    return "".join(ch for ch in (text or "") if ch.isprintable()).strip()[:MAX_LENGTH].strip()


def _people_among(user) -> Q | None:
    """The people whose cases the user may see (None: the user sees no cases at all)."""
    among = Q(pk__in=[])
    sees = False
    if user.has_perm("payroll.view_payrollcase"):
        among |= Q(Exists(payroll.cases_for(user).filter(person=OuterRef("pk"))))
        sees = True
    if user.has_perm("pensions.view_pensioncase"):
        among |= Q(Exists(pensions.cases_for(user).filter(person=OuterRef("pk"))))
        sees = True
    return among if sees else None


def _known_name(user):
    """The name an employee found is shown with: the latest name a payroll case in the user's scope
    keeps, else the record's name where a pension case in scope knows the person; never a name
    that only another unit's cases know (a case registered for a number must not reveal its name)."""
    pension = Exists(pensions.cases_for(user).filter(person=OuterRef("pk")))
    from_pensions = Case(When(pension, then=F("name")), default=Value(""))
    if not user.has_perm("payroll.view_payrollcase"):
        return from_pensions
    kept = payroll.cases_for(user).filter(person=OuterRef("pk")).exclude(employee_name="").order_by("-pk")
    from_payroll = Subquery(kept.values("employee_name")[:1])
    if not user.has_perm("pensions.view_pensioncase"):
        return Coalesce(from_payroll, Value(""))
    return Coalesce(from_payroll, from_pensions)


def _first(queryset) -> tuple[list, bool]:
    rows = list(queryset[: PER_GROUP + 1])
    return rows[:PER_GROUP], len(rows) > PER_GROUP


def search(user, text: str) -> list[Group]:
    """The groups ``text`` finds for ``user``, each at most PER_GROUP hits; empty groups left out."""
    text = clean(text)
    if not text:
        return []
    groups: list[Group] = []
    shown = []  # people shown by name or number, for the log of unmasked views

    if user.has_perm("payroll.view_payrollcase"):
        cases, more = _first(payroll.find_cases(user, text).select_related("agency", "person"))
        hits = []
        for case in cases:
            shown.append(case.person)
            hits.append(
                Hit(
                    title=case.reference,
                    url=reverse("payroll:case_detail", args=[case.pk]),
                    details=[
                        display_name(case.person, user, name=case.employee_name),
                        f"{case.agency.code} {case.agency.name}",
                        case.period,
                        case.get_status_display(),
                    ],
                    protected=case.person.protected_identity,
                )
            )
        groups.append(Group("payroll", _("Payroll cases"), hits, more))

    if user.has_perm("pensions.view_pensioncase"):
        cases, more = _first(pensions.find_cases(user, text))
        hits = []
        for case in cases:
            shown.append(case.person)
            hits.append(
                Hit(
                    title=case.number,
                    url=reverse("pensions:case_detail", args=[case.pk]),
                    details=[
                        display_name(case.person, user),
                        f"{case.agency.code} {case.agency.name}",
                        case.get_kind_display(),
                        case.get_status_display(),
                    ],
                    protected=case.person.protected_identity,
                )
            )
        more_url = f"{reverse('pensions:case_list')}?{urlencode({'q': text})}" if more else ""
        groups.append(Group("pensions", _("Pension cases"), hits, more, more_url))

    among = _people_among(user)
    if among is not None:
        found = search_people(text, user=user, among=among).annotate(known_name=_known_name(user))
        people, more = _first(found.order_by("name", "pk"))
        hits = []
        for person in people:
            shown.append(person)
            links = []
            if user.has_perm("payroll.view_payrollcase"):
                links.append(f"{reverse('payroll:case_list')}?{urlencode({'personnummer': person.personnummer})}")
            elif user.has_perm("pensions.view_pensioncase"):
                links.append(f"{reverse('pensions:case_list')}?{urlencode({'q': person.personnummer})}")
            hits.append(
                Hit(
                    title=display_name(person, user, name=person.known_name) or display_personnummer(person, user),
                    url=links[0],
                    details=[display_personnummer(person, user)],
                    protected=person.protected_identity,
                )
            )
        groups.append(Group("people", _("Employees"), hits, more))

    if user.has_perm("customers.view_agency"):
        agencies, more = _first(find_agencies(user, text))
        hits = [
            Hit(
                title=f"{agency.code} {agency.name}",
                url=reverse("customers:agency_detail", args=[agency.pk]),
                details=[str(agency.unit)],
            )
            for agency in agencies
        ]
        more_url = f"{reverse('customers:agency_list')}?{urlencode({'q': text})}" if more else ""
        groups.append(Group("agencies", _("Agencies"), hits, more, more_url))

    log_unmasked_view(user, list({p.pk: p for p in shown if p.protected_identity}.values()), "search")
    return [group for group in groups if group.hits]


def direct_hit(groups: list[Group], text: str) -> str | None:
    """The one case a typed case number found, to go straight to; None otherwise."""
    text = (text or "").strip()
    if len(groups) != 1 or len(groups[0].hits) != 1 or groups[0].key not in ("payroll", "pensions"):
        return None
    hit = groups[0].hits[0]
    if groups[0].key == "payroll" and payroll.case_reference_id(text) is not None:
        return hit.url
    if groups[0].key == "pensions" and hit.title.casefold() == text.casefold():
        return hit.url
    return None
