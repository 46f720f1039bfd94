"""Who may use each honour award URL: the head of service administers, unit managers read their unit's
agencies' list; case handlers, pension handlers and finance have no access."""

from accounts import roles
from honours.models import HonourAward
from tests import factories
from tests.access import Rule, roles_

READERS = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
KEEPERS = roles_(roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)


def _award(w):
    agency = factories.AgencyFactory(unit=w["unit"])
    award = HonourAward.objects.create(year=2025, person=factories.PersonFactory(), agency=agency, source="list")
    return {"pk": award.pk}


RULES = {
    "honours:list": Rule(allowed=READERS),
    "honours:export": Rule(allowed=READERS),
    "honours:import": Rule(allowed=KEEPERS),
    "honours:find": Rule(allowed=KEEPERS, method="post"),
    "honours:work": Rule(
        allowed=KEEPERS, method="post", data=lambda w: {"unit": w["unit"].pk, "fte": "0.18"}, ok_statuses=frozenset()
    ),
    "honours:edit": Rule(allowed=KEEPERS, kwargs=_award),
}
