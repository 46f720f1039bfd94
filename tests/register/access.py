"""Who may use each person register URL. Payroll and pension handlers work their unit's signals, unit
managers follow them, the head of service imports the city's file; finance has no access."""

import datetime as dt

from accounts import roles
from tests.access import Rule, roles_

from .factories import PersonSignalFactory

READERS = roles_(
    roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR
)
WORKERS = roles_(roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.ADMINISTRATOR)
IMPORTERS = roles_(roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)


def _signal(w, **kwargs):
    return {"pk": PersonSignalFactory(unit=w["unit"], **kwargs).pk}


def _handled(w):
    return _signal(w, status="handled", handled_on=dt.date(2025, 3, 5))


RULES = {
    "register:queue": Rule(allowed=READERS),
    "register:file_list": Rule(allowed=READERS),
    "register:file_import": Rule(allowed=IMPORTERS),
    "register:signal_handle": Rule(allowed=WORKERS, kwargs=_signal, method="post"),
    "register:signal_reopen": Rule(allowed=WORKERS, kwargs=_handled, method="post"),
}
