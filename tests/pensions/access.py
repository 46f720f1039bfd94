"""Who may use each pensions URL. Pension handlers do the work; unit managers and the head of
service follow it read-only; payroll case handlers and finance have no access to pension cases."""

from accounts import roles
from tests import factories
from tests.access import Rule, roles_

READERS = roles_(roles.PENSION_HANDLER, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
WORKERS = roles_(roles.PENSION_HANDLER, roles.ADMINISTRATOR)


def _case(w):
    agency = factories.AgencyFactory(unit=w["unit"])
    return {"pk": factories.PensionCaseFactory(agency=agency, unit=w["unit"]).pk}


def _document(w):
    agency = factories.AgencyFactory(unit=w["unit"])
    case = factories.PensionCaseFactory(agency=agency, unit=w["unit"])
    return {"pk": factories.case_document(case, w["users"][roles.PENSION_HANDLER]).pk}


def _signal_list(w):
    return {"pk": factories.SignalListFactory(unit=w["unit"]).pk}


def _item(w, **kwargs):
    agency = factories.AgencyFactory(unit=w["unit"])
    return {"pk": factories.SignalItemFactory(signal_list__unit=w["unit"], agency=agency, **kwargs).pk}


def _handled_item(w):
    import datetime as dt

    return _item(w, status="handled", handled_on=dt.date(2012, 3, 5))


RULES = {
    "pensions:queue": Rule(allowed=READERS),
    "pensions:case_list": Rule(allowed=READERS),
    "pensions:case_export": Rule(allowed=READERS, data=lambda w: {"format": "csv"}),
    "pensions:case_create": Rule(allowed=WORKERS),
    "pensions:case_detail": Rule(allowed=READERS, kwargs=_case),
    "pensions:case_edit": Rule(allowed=WORKERS, kwargs=_case),
    "pensions:document_add": Rule(
        allowed=WORKERS, kwargs=_case, method="post", data=lambda w: {"document": factories.upload()}
    ),
    "pensions:note_add": Rule(allowed=WORKERS, kwargs=_case, method="post", data=lambda w: {"text": "Ringt"}),
    "pensions:document": Rule(allowed=READERS, kwargs=_document),
    "pensions:case_assign": Rule(allowed=WORKERS, kwargs=_case, method="post", data=lambda w: {"handler": ""}),
    "pensions:case_action": Rule(
        allowed=WORKERS, kwargs=lambda w: {**_case(w), "action": "investigate"}, method="post"
    ),
    "pensions:signal_lists": Rule(allowed=READERS),
    "pensions:signal_list_import": Rule(allowed=WORKERS),
    "pensions:signal_list_detail": Rule(allowed=READERS, kwargs=_signal_list),
    "pensions:signal_item_handle": Rule(allowed=WORKERS, kwargs=_item, method="post"),
    "pensions:signal_item_reopen": Rule(allowed=WORKERS, kwargs=_handled_item, method="post"),
    "pensions:signal_item_case": Rule(allowed=WORKERS, kwargs=_item, method="post", data=lambda w: {"kind": "old_age"}),
    "pensions:weekly": Rule(allowed=READERS),
}
