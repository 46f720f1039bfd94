"""Who may use each training URL: unit managers register their unit's sessions; handlers and the head
of service read; finance has no access."""

import datetime as dt

from accounts import roles
from tests.access import Rule, roles_
from training.models import TrainingSession

READERS = roles_(
    roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR
)
KEEPERS = roles_(roles.UNIT_MANAGER, roles.ADMINISTRATOR)


def _session(w):
    session = TrainingSession.objects.create(
        held_on=dt.date(2025, 3, 4), topic="payroll", title="Lönehantering", unit=w["unit"], participants=12
    )
    return {"pk": session.pk}


RULES = {
    "training:list": Rule(allowed=READERS),
    "training:create": Rule(allowed=KEEPERS),
    "training:edit": Rule(allowed=KEEPERS, kwargs=_session),
}
