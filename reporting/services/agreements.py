"""Service agreements followed up and renewed: per agency and year, what the agreement promised (lead
time, opening hours) and how it went — cases handled within the lead time, late documents, returns,
customer meetings against two a year, complaints — and whether next year's agreement is in place.

One GROUP BY per source over the agencies asked for; the page, its CSV and the unit manager's start
page read it here."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q

from customers.models import Agency, Complaint, ServiceAgreement
from customers.selectors import active_q, customer_meetings
from payroll.models import CaseReturn, PayrollCase

from .figures import ratio


def _by_agency(queryset, field="agency_id", **annotations) -> dict[int, dict]:
    return {row[field]: row for row in queryset.values(field).annotate(**annotations).order_by()}


def follow_up(*, year: int, agencies) -> list[dict]:
    """One row per agency (``agencies``: what the user may see, active at some time in the year)."""
    agencies = list(agencies.order_by("code"))
    ids = [a.pk for a in agencies]
    periods = (f"{year:04d}-01", f"{year:04d}-12")
    agreements = {
        (a.agency_id, a.year): a for a in ServiceAgreement.objects.filter(agency_id__in=ids, year__in=[year, year + 1])
    }
    cases = PayrollCase.objects.filter(agency_id__in=ids, period__range=periods)
    handled = _by_agency(
        cases.filter(working_days_used__isnull=False, lead_time_days__isnull=False),
        total=Count("id"),
        met=Count("id", filter=Q(working_days_used__lte=F("lead_time_days"))),
    )
    late = _by_agency(cases.filter(is_late=True), n=Count("id"))
    returns = _by_agency(
        CaseReturn.objects.filter(case__agency_id__in=ids, returned_on__year=year), "case__agency_id", n=Count("id")
    )
    complaints = _by_agency(
        Complaint.objects.filter(agency_id__in=ids, received_on__year=year, kind=Complaint.Kind.COMPLAINT),
        n=Count("id"),
    )
    meetings = customer_meetings(year=year, agencies=Agency.objects.filter(pk__in=ids))
    held = {m.agency.pk: m.meetings for m in meetings.per_agency}
    rows = []
    for agency in agencies:
        agreement, renewed = agreements.get((agency.pk, year)), agreements.get((agency.pk, year + 1))
        done = handled.get(agency.pk, {"total": 0, "met": 0})
        rows.append(
            {
                "agency": agency,
                "agreement": agreement,
                "lead_time_days": agreement.lead_time_days if agreement else None,
                "opening_hours": agreement.opening_hours if agreement else "",
                "handled": done["total"],
                "lead_time_met_pct": ratio(Decimal(done["met"] * 100), done["total"]) if done["total"] else None,
                "late_documents": late.get(agency.pk, {}).get("n", 0),
                "returns": returns.get(agency.pk, {}).get("n", 0),
                "meetings": held.get(agency.pk, 0),
                "meetings_target": meetings.per_agency_target,
                "complaints": complaints.get(agency.pk, {}).get("n", 0),
                "next_year": renewed is not None,
            }
        )
    return rows


def to_renew(*, agencies, today: dt.date):
    """Active agencies without next year's service agreement (the renewal list)."""
    return agencies.filter(active_q(today)).exclude(agreements__year=today.year + 1).order_by("code")


def renewal_reminder_due(today: dt.date) -> bool:
    """From ``AGREEMENT_RENEWAL_MONTH`` (October) the unit managers are reminded of next year's agreements."""
    return today.month >= settings.AGREEMENT_RENEWAL_MONTH


CSV_HEADER = [
    "agency_code",
    "agency_name",
    "lead_time_days",
    "opening_hours",
    "cases_handled",
    "lead_time_met_pct",
    "late_documents",
    "returns",
    "meetings",
    "meetings_target",
    "complaints",
    "next_year_agreement",
]


def csv_rows(rows: list[dict]) -> list[list]:
    return [
        [
            r["agency"].code,
            r["agency"].name,
            r["lead_time_days"] if r["lead_time_days"] is not None else "",
            r["opening_hours"],
            r["handled"],
            r["lead_time_met_pct"] if r["lead_time_met_pct"] is not None else "",
            r["late_documents"],
            r["returns"],
            r["meetings"],
            r["meetings_target"] if r["meetings_target"] is not None else "",
            r["complaints"],
            "yes" if r["next_year"] else "no",
        ]
        for r in rows
    ]
