"""What the head of service writes into the board's reports: commitments and their self-assessment,
comments and actions on the measured indicators, the internal control plan, and who subscribes to the
monthly and tertial reports."""

from django.db import transaction

from ..models import Commitment, CommitmentAssessment, ControlPlanItem, IndicatorComment, ReportSubscription

# The commitments (åtaganden) of the business plans (seed 000, 2012; seed 002, 2009): the headings under
# which the service follows up what it promises the agencies.
PLAN_COMMITMENTS = [
    ("Produktivitet", "Vi ska aktivt bidra till att effektivisera stadens löneadministration."),
    ("God tillgänglighet", "Vi är tillgängliga för kunderna i telefon och e-post enligt våra åtaganden."),
    ("Bra bemötande", "Vi bemöter kunderna med respekt, engagemang och kunskap."),
    ("Tydlig information", "Information om löne- och pensionsfrågor är tydlig och lätt att hitta."),
    ("Rätt service", "Vi betalar ut rätt lön i rätt tid enligt serviceavtal och gränssnitt."),
]


@transaction.atomic
def add_plan_commitments(*, year: int) -> list[Commitment]:
    """The plan's five commitments for ``year``; those already there are kept as they are."""
    created = []
    for order, (title, description) in enumerate(PLAN_COMMITMENTS, start=1):
        commitment, _new = Commitment.objects.get_or_create(
            year=year, title=title, defaults={"order": order, "description": description}
        )
        created.append(commitment)
    return created


def assess_commitment(*, commitment: Commitment, tertial: int, status: str, text: str, user) -> CommitmentAssessment:
    """Write (or rewrite) the tertial's self-assessment of a commitment: met, partly met or not met, with a text."""
    assessment, _new = CommitmentAssessment.objects.update_or_create(
        commitment=commitment, tertial=tertial, defaults={"status": status, "text": text.strip(), "updated_by": user}
    )
    return assessment


def comment_indicator(*, year: int, tertial: int, indicator: str, comment: str, action: str, user) -> IndicatorComment:
    """The head of service's comment and action on one indicator of the tertial report."""
    row, _new = IndicatorComment.objects.update_or_create(
        year=year,
        tertial=tertial,
        indicator=indicator,
        defaults={"comment": comment.strip(), "action": action.strip(), "updated_by": user},
    )
    return row


def save_control_plan_item(*, item: ControlPlanItem, user) -> ControlPlanItem:
    item.updated_by = user
    item.save()
    return item


def set_subscription(*, user, kind: str, subscribed: bool) -> bool:
    """Subscribe ``user`` to a report (or stop); returns whether they now subscribe."""
    if subscribed:
        ReportSubscription.objects.get_or_create(user=user, kind=kind)
    else:
        ReportSubscription.objects.filter(user=user, kind=kind).delete()
    return subscribed
