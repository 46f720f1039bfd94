from accounts import roles
from tests.access import Rule, roles_

REPORTS = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.FINANCE, roles.ADMINISTRATOR)
HEAD = roles_(roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
BOARD_READ = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)


def _commitment(w):
    from reporting.models import Commitment

    commitment, _new = Commitment.objects.get_or_create(year=2012, title="Rätt service")
    return {
        "c-1-commitment": commitment.pk,
        "c-1-year": 2012,
        "c-1-tertial": 1,
        "c-1-status": "met",
        "c-1-text": "Stickproven visar få fel.",
        "prefix": "c-1",
    }


def _plan_item(w):
    from reporting.models import ControlPlanItem

    item = ControlPlanItem.objects.first() or ControlPlanItem.objects.create(
        year=2012,
        risk="Felaktiga utbetalningar",
        probability=2,
        consequence=4,
        control="Stickprov",
        responsible="Enhetschef",
        schedule="Varje månad",
        updated_by=w["users"][roles.HEAD_OF_SERVICE],
    )
    return {"pk": item.pk}


def _failed_delivery(w):
    from reporting.models import ReportDelivery

    user = w["users"][roles.HEAD_OF_SERVICE]
    row, _new = ReportDelivery.objects.get_or_create(
        key="monthly:2012-03:matrix",
        defaults={
            "kind": "monthly",
            "scope": "2012-03",
            "user": user,
            "recipient": "chef@stad.example.se",
            "subject": "Månadsrapport 2012-03",
            "status": "sent",
        },
    )
    return {"pk": row.pk}


def _target(w):
    from organisation.models import Target

    return {"pk": Target.objects.order_by("pk").first().pk}


RULES = {
    "reporting:volume_report": Rule(allowed=REPORTS, data=lambda w: {"period": "2012-03"}),
    "reporting:productivity_report": Rule(allowed=REPORTS, data=lambda w: {"scope": "month", "period": "2012-03"}),
    "reporting:tertial_report": Rule(allowed=BOARD_READ, data=lambda w: {"year": 2012, "tertial": 1}),
    "reporting:assess_commitment": Rule(allowed=HEAD, method="post", data=_commitment),
    "reporting:comment_indicator": Rule(
        allowed=HEAD,
        method="post",
        data=lambda w: {"prefix": "i", "i-year": 2012, "i-tertial": 1, "i-indicator": "sick_leave", "i-comment": "Hög"},
    ),
    "reporting:add_plan_commitments": Rule(allowed=HEAD, method="post", data=lambda w: {"year": 2012, "tertial": 1}),
    "reporting:commitment_create": Rule(allowed=HEAD),
    "reporting:commitment_edit": Rule(allowed=HEAD, kwargs=lambda w: {"pk": _commitment(w)["c-1-commitment"]}),
    "reporting:monthly_report": Rule(allowed=BOARD_READ, data=lambda w: {"period": "2012-03"}),
    "reporting:subscription": Rule(
        allowed=BOARD_READ, method="post", data=lambda w: {"kind": "monthly", "subscribe": "1"}
    ),
    "reporting:delivery_list": Rule(allowed=HEAD),
    "reporting:delivery_resend": Rule(allowed=HEAD, method="post", kwargs=_failed_delivery),
    "reporting:control_plan": Rule(allowed=BOARD_READ),
    "reporting:control_plan_create": Rule(allowed=HEAD),
    "reporting:control_plan_edit": Rule(allowed=HEAD, kwargs=_plan_item),
    "reporting:unit_dashboard": Rule(allowed=roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)),
    "reporting:service_dashboard": Rule(allowed=HEAD),
    "reporting:agreement_follow_up": Rule(allowed=REPORTS),
    "reporting:target_list": Rule(allowed=REPORTS),
    "reporting:target_create": Rule(allowed=HEAD),
    "reporting:target_edit": Rule(allowed=HEAD, kwargs=_target),
}
