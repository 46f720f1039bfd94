"""Which payroll rows carry a payment on the invoice: each salary or compensation payment once.

The payroll system's payslip file is the record of payments: every imported payslip line is one
payment, invoiced at its line's channel in its billing period. A case registered by hand from a
document (manual form, Agresso, Girovision) is the centre's work on a payment, matched to its
payslip line by employee, agency and pay period:

* a registered **manual** or **Agresso** case is never invoiced by itself: its payment is the
  payslip line of the same employee, agency and pay period, which carries the channel;
* a registered **urgent payout** (Girovision) is made outside the payroll run: it is invoiced from
  the case. A Girovision payslip line of the same employee, agency and pay period is the record of
  that payout and is paired with it (one line with one completed case, in order of billing period
  and id); the pair is invoiced once, by whichever of the two was billed first (the case on a tie).
  A Girovision line with no case to pair is invoiced from the line.

So a payment is invoiced once whichever arrives first, and once a month is closed what it
invoiced does not change: a later row always has a later billing period than the closed one.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Subquery

from .models import Channel, PayrollCase

Status = PayrollCase.Status
Source = PayrollCase.Source

# Where an invoiced payment came from, as the invoice specification shows it.
FROM_PAYSLIP_FILE = "payslip_file"
FROM_REGISTERED_CASE = "registered_case"


@dataclass(frozen=True)
class BilledPayments:
    """Payments of one agency, pay period, channel and source invoiced in a billing period."""

    agency_id: int
    period: str
    channel: str
    source: str
    count: int


def billed_payments(*, billing_period: str, agency_ids=None) -> list[BilledPayments]:
    """Every payment invoiced in ``billing_period``, counted by agency, pay period, channel and
    source: one GROUP BY over the payslip lines of the machine, manual and Agresso channels, and
    the urgent payouts paired in Python (they are few)."""
    lines = PayrollCase.objects.filter(
        billing_period=billing_period, status=Status.COMPLETED, source=Source.IMPORT
    ).exclude(channel=Channel.GIROVISION)
    if agency_ids is not None:
        lines = lines.filter(agency_id__in=agency_ids)
    rows = [
        BilledPayments(row["agency_id"], row["period"], row["channel"], FROM_PAYSLIP_FILE, row["n"])
        for row in lines.values("agency_id", "period", "channel").annotate(n=Count("id")).order_by()
    ]
    counts: dict[tuple, int] = defaultdict(int)
    for carrier, _case in _billed_urgent_payouts(billing_period=billing_period, agency_ids=agency_ids):
        source = FROM_PAYSLIP_FILE if carrier.source == Source.IMPORT else FROM_REGISTERED_CASE
        counts[(carrier.agency_id, carrier.period, source)] += 1
    rows += [
        BilledPayments(agency_id, period, Channel.GIROVISION.value, source, n)
        for (agency_id, period, source), n in sorted(counts.items())
    ]
    return rows


def _urgent_payouts(*, billing_period: str, agency_ids=None):
    """Completed Girovision rows (lines and registered cases) of every employee, agency and pay
    period that has one invoiced in ``billing_period``: the groups in which lines and cases pair."""
    rows = PayrollCase.objects.filter(channel=Channel.GIROVISION, status=Status.COMPLETED)
    here = rows.filter(billing_period=billing_period)
    if agency_ids is not None:
        here = here.filter(agency_id__in=agency_ids)
    same_payment = here.filter(
        agency_id=OuterRef("agency_id"), period=OuterRef("period"), person_id=OuterRef("person_id")
    )
    return rows.filter(Exists(same_payment)).order_by("billing_period", "id")


def _billed_urgent_payouts(*, billing_period: str, agency_ids=None) -> list[tuple[PayrollCase, PayrollCase | None]]:
    """The Girovision rows that carry their payment in ``billing_period`` (see the module's rule),
    each with the registered case of its payment (None for a line no case pairs with)."""
    groups: dict[tuple, tuple[list, list]] = defaultdict(lambda: ([], []))
    for row in _urgent_payouts(billing_period=billing_period, agency_ids=agency_ids).only(
        "id", "agency_id", "period", "person_id", "billing_period", "source", "document_type"
    ):
        cases, lines = groups[(row.agency_id, row.period, row.person_id)]
        (lines if row.source == Source.IMPORT else cases).append(row)
    billed = []
    for cases, lines in groups.values():
        for n in range(max(len(cases), len(lines))):
            case = cases[n] if n < len(cases) else None
            line = lines[n] if n < len(lines) else None
            line_first = line is not None and (case is None or line.billing_period < case.billing_period)
            carrier = line if line_first else case
            if carrier.billing_period == billing_period:
                billed.append((carrier, case))
    return billed


def billable_counts(*, billing_period: str) -> dict[int, dict[str, int]]:
    """Payments per agency id and channel invoiced in ``billing_period`` (all pay periods)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in billed_payments(billing_period=billing_period):
        by_channel = counts[row.agency_id]
        by_channel[row.channel] = by_channel.get(row.channel, 0) + row.count
    return dict(counts)


def late_billable_counts(*, billing_period: str) -> dict[int, dict[str, dict[str, int]]]:
    """Payments of earlier pay periods invoiced in ``billing_period`` (they came after their own
    period was closed): ``{agency_id: {pay period: {channel: count}}}``."""
    counts: dict[int, dict[str, dict[str, int]]] = {}
    for row in billed_payments(billing_period=billing_period):
        if row.period < billing_period:
            by_channel = counts.setdefault(row.agency_id, {}).setdefault(row.period, {})
            by_channel[row.channel] = by_channel.get(row.channel, 0) + row.count
    return counts


def cases_behind_lines(*, billing_period: str, agency_ids=None) -> list[dict]:
    """The registered cases behind the manual, Agresso and Girovision payments invoiced in
    ``billing_period``: a completed registered manual or Agresso case whose employee, agency and
    pay period has a payslip line of those channels invoiced in it (listed under that line's
    channel), and the urgent payouts invoiced there, from their case or from their line.
    ``[{agency_id, period, channel, case_id, document_type}]``, by agency, period and case."""
    hand_channels = [Channel.MANUAL, Channel.AGRESSO]
    line_channel = (
        PayrollCase.objects.filter(
            billing_period=billing_period,
            status=Status.COMPLETED,
            source=Source.IMPORT,
            channel__in=hand_channels,
            agency_id=OuterRef("agency_id"),
            period=OuterRef("period"),
            person_id=OuterRef("person_id"),
        )
        .order_by("id")
        .values("channel")[:1]
    )
    registered = (
        PayrollCase.objects.filter(source=Source.MANUAL, status=Status.COMPLETED, channel__in=hand_channels)
        .annotate(line_channel=Subquery(line_channel))
        .filter(line_channel__isnull=False)
    )
    if agency_ids is not None:
        registered = registered.filter(agency_id__in=agency_ids)
    found = [
        {
            "agency_id": case.agency_id,
            "period": case.period,
            "channel": case.line_channel,
            "case_id": case.pk,
            "document_type": case.document_type,
        }
        for case in registered.only("id", "agency_id", "period", "document_type")
    ]
    found += [
        {
            "agency_id": case.agency_id,
            "period": case.period,
            "channel": Channel.GIROVISION.value,
            "case_id": case.pk,
            "document_type": case.document_type,
        }
        for _carrier, case in _billed_urgent_payouts(billing_period=billing_period, agency_ids=agency_ids)
        if case is not None
    ]
    return sorted(found, key=lambda row: (row["agency_id"], row["period"], row["case_id"]))


def registered_cases_without_payslip_line(*, period: str, agency_ids=None):
    """Completed manual and Agresso cases of pay period ``period`` that no payslip line of the
    same employee and agency carries (yet): their payment is invoiced when the line comes. The
    close page lists them so that nothing is silently left out."""
    line = PayrollCase.objects.filter(
        source=Source.IMPORT,
        agency_id=OuterRef("agency_id"),
        period=OuterRef("period"),
        person_id=OuterRef("person_id"),
    )
    qs = PayrollCase.objects.filter(
        period=period, source=Source.MANUAL, status=Status.COMPLETED, channel__in=[Channel.MANUAL, Channel.AGRESSO]
    ).filter(~Exists(line))
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs
