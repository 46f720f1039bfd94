"""Reads of agency training: the sessions a user's units held, the year's count against the target,
and each agency's training beside its machine-processed share (the seeds: training is meant to raise
the electronic share)."""

from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet

from customers.selectors import agencies_for
from organisation.models import Target
from organisation.selectors import scoped_unit_ids
from organisation.targets import target_for
from payroll.models import MACHINE_CHANNELS
from payroll.selectors import volume_rows

from .models import TrainingSession


def sessions_for(user) -> QuerySet[TrainingSession]:
    sessions = TrainingSession.objects.select_related("unit").prefetch_related("agencies")
    unit_ids = scoped_unit_ids(user)
    return sessions if unit_ids is None else sessions.filter(unit_id__in=unit_ids)


def sessions_in_year(*, year: int, unit_ids=None) -> dict:
    """The year's sessions against the board's target (``met`` None without a target)."""
    sessions = TrainingSession.objects.filter(held_on__year=year)
    if unit_ids is not None:
        sessions = sessions.filter(unit_id__in=unit_ids)
    count = sessions.count()
    target = target_for(Target.Indicator.TRAINING_SESSIONS, year)
    return {"count": count, "target": target, "met": None if target is None else count >= target}


def agency_training(*, user, year: int) -> list[dict]:
    """Per agency of the user: sessions attended in the year, the latest session ever, and the year's
    machine-processed share of payslips (per cent, None without payslips)."""
    agencies = (
        agencies_for(user)
        .order_by("code")
        .annotate(
            sessions=Count("training_sessions", filter=Q(training_sessions__held_on__year=year), distinct=True),
            latest=Max("training_sessions__held_on"),
        )
    )
    periods = [f"{year:04d}-{month:02d}" for month in range(1, 13)]
    machine, total = {}, {}
    for row in volume_rows(periods=periods, group_by=("agency_id", "channel")):
        total[row["agency_id"]] = total.get(row["agency_id"], 0) + row["payslips"]
        if row["channel"] in MACHINE_CHANNELS:
            machine[row["agency_id"]] = machine.get(row["agency_id"], 0) + row["payslips"]
    return [
        {
            "agency": agency,
            "sessions": agency.sessions,
            "latest": agency.latest,
            "machine_share": (Decimal(machine.get(agency.pk, 0) * 100) / total[agency.pk]).quantize(Decimal("0.1"))
            if total.get(agency.pk)
            else None,
        }
        for agency in agencies
    ]
