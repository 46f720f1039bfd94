"""Reads shared by reporting's pages and reports."""

from organisation.selectors import units_for

from .models import (
    Commitment,
    CommitmentAssessment,
    ControlPlanItem,
    IndicatorComment,
    ReportDelivery,
    ReportKind,
    ReportSubscription,
)


def dashboard_units(user):
    """The units whose dashboard ``user`` may open (all with view_all_units, else their own)."""
    return units_for(user).order_by("code")


def commitments_with_assessments(*, year: int, tertial: int) -> list[tuple[Commitment, CommitmentAssessment | None]]:
    """The year's commitments in order, each with its self-assessment for the tertial (or None)."""
    commitments = list(Commitment.objects.filter(year=year))
    assessments = {
        a.commitment_id: a for a in CommitmentAssessment.objects.filter(commitment__year=year, tertial=tertial)
    }
    return [(c, assessments.get(c.pk)) for c in commitments]


def indicator_comments(*, year: int, tertial: int) -> dict[str, IndicatorComment]:
    return {c.indicator: c for c in IndicatorComment.objects.filter(year=year, tertial=tertial)}


def control_plan(*, year: int):
    return ControlPlanItem.objects.filter(year=year)


def subscribed_kinds(user) -> set[str]:
    return set(ReportSubscription.objects.filter(user=user).values_list("kind", flat=True))


def subscriptions(kind: str):
    return ReportSubscription.objects.filter(kind=kind, user__is_active=True).select_related("user")


def deliveries():
    return ReportDelivery.objects.select_related("user")


__all__ = ["ReportKind", "commitments_with_assessments", "control_plan", "dashboard_units", "indicator_comments"]
