"""Who may use each workplace URL: unit managers keep their agencies' workplaces, case handlers link
employees, the head of service makes the reports to Statistics Sweden; pension handlers and finance none."""

from accounts import roles
from tests.access import Rule, roles_

from .factories import WorkplaceFactory

READERS = roles_(roles.CASE_HANDLER, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
KEEPERS = roles_(roles.UNIT_MANAGER, roles.ADMINISTRATOR)
LINKERS = roles_(roles.CASE_HANDLER, roles.UNIT_MANAGER, roles.ADMINISTRATOR)
REPORTERS = roles_(roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)


def _workplace(w):
    from tests import factories

    return {"pk": WorkplaceFactory(agency=factories.AgencyFactory(unit=w["unit"])).pk}


def _report(w):
    from workplaces.models import WorkplaceReport

    return {"pk": WorkplaceReport.objects.create(created_by=w["users"][roles.HEAD_OF_SERVICE]).pk}


RULES = {
    "workplaces:list": Rule(allowed=READERS),
    "workplaces:create": Rule(allowed=KEEPERS),
    "workplaces:detail": Rule(allowed=READERS, kwargs=_workplace),
    "workplaces:edit": Rule(allowed=KEEPERS, kwargs=_workplace),
    "workplaces:link": Rule(allowed=LINKERS, kwargs=_workplace, method="post", ok_statuses=frozenset({400})),
    "workplaces:reports": Rule(allowed=REPORTERS),
    "workplaces:report_create": Rule(allowed=REPORTERS, method="post"),
    "workplaces:report_file": Rule(allowed=REPORTERS, kwargs=_report),
}
