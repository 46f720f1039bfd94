from accounts import roles
from tests.access import Rule, roles_

REPORTS = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.FINANCE, roles.ADMINISTRATOR)
HEAD = roles_(roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)


def _target(w):
    from organisation.models import Target

    return {"pk": Target.objects.order_by("pk").first().pk}


RULES = {
    "reporting:volume_report": Rule(allowed=REPORTS, data=lambda w: {"period": "2012-03"}),
    "reporting:productivity_report": Rule(allowed=REPORTS, data=lambda w: {"scope": "month", "period": "2012-03"}),
    "reporting:tertial_report": Rule(allowed=HEAD, data=lambda w: {"year": 2012, "tertial": 1}),
    "reporting:unit_dashboard": Rule(allowed=roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)),
    "reporting:service_dashboard": Rule(allowed=HEAD),
    "reporting:agreement_follow_up": Rule(allowed=REPORTS),
    "reporting:target_list": Rule(allowed=REPORTS),
    "reporting:target_create": Rule(allowed=HEAD),
    "reporting:target_edit": Rule(allowed=HEAD, kwargs=_target),
}
