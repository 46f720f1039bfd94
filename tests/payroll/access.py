from accounts import roles
from payroll.models import ControlCheck, PayrollCase
from tests import factories
from tests.access import Rule, roles_

VIEWERS = roles_(roles.CASE_HANDLER, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
HANDLERS = roles_(roles.CASE_HANDLER, roles.ADMINISTRATOR)
APPROVERS = roles_(roles.CASE_HANDLER, roles.UNIT_MANAGER, roles.ADMINISTRATOR)
SAMPLERS = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
CHECKERS = roles_(roles.CASE_HANDLER, roles.UNIT_MANAGER, roles.ADMINISTRATOR)


def _agency(w):
    return factories.AgencyFactory(unit=w["unit"])


def _case(w, **fields):
    return {"pk": factories.ManualCaseFactory(agency=_agency(w), **fields).pk}


def _document(w):
    case = factories.ManualCaseFactory(agency=_agency(w))
    return {"pk": factories.case_document(case, w["users"][roles.CASE_HANDLER]).pk}


def _girovision(w):
    return _case(w, channel="girovision", status=PayrollCase.Status.REGISTERED)


def _return(w):
    case_return = factories.CaseReturnFactory(case__agency=_agency(w), returned_by=w["users"][roles.CASE_HANDLER])
    return {"pk": case_return.pk}


def _job(w):
    job = factories.PayslipImportFactory(unit=w["unit"], uploaded_by=w["users"][roles.CASE_HANDLER])
    return {"pk": job.pk}


def _sample(w):
    sample = factories.ControlSampleFactory(unit=w["unit"], drawn_by=w["users"][roles.UNIT_MANAGER])
    case = factories.PayrollCaseFactory(agency=_agency(w))
    ControlCheck.objects.create(sample=sample, case=case)
    return sample


def _draw_data(w):
    factories.PayrollCaseFactory(agency=_agency(w), period="2012-03")
    return {"period": "2012-03", "size": 1, "unit": w["unit"].pk}


def _check(w):
    return {"pk": _sample(w).checks.get().pk}


DISTRIBUTORS = roles_(roles.UNIT_MANAGER, roles.ADMINISTRATOR)


def _assign_data(w):
    case = factories.ManualCaseFactory(agency=_agency(w))
    return {"cases": [case.pk], "to": "none"}


DEVIATION_VIEWERS = roles_(roles.CASE_HANDLER, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
DEVIATION_REGISTRARS = roles_(roles.CASE_HANDLER, roles.UNIT_MANAGER, roles.ADMINISTRATOR)
FOLLOW_UP = roles_(roles.UNIT_MANAGER, roles.ADMINISTRATOR)
QUALITY = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)


def _deviation(w):
    deviation = factories.DeviationFactory(agency=_agency(w), registered_by=w["users"][roles.CASE_HANDLER])
    return {"pk": deviation.pk}


def _export(w):
    from payroll.models import CaseExport
    from tests.factories import UserFactory

    return {"pk": CaseExport.objects.create(user=UserFactory(), format="csv", state="done").pk}


RULES = {
    "payroll:quality": Rule(allowed=QUALITY),
    "payroll:handler_figures": Rule(allowed=QUALITY),
    "payroll:deviation_list": Rule(allowed=DEVIATION_VIEWERS),
    "payroll:deviation_create": Rule(allowed=DEVIATION_REGISTRARS),
    "payroll:deviation_detail": Rule(allowed=DEVIATION_VIEWERS, kwargs=_deviation),
    "payroll:deviation_edit": Rule(allowed=FOLLOW_UP, kwargs=_deviation),
    "payroll:workload": Rule(allowed=DISTRIBUTORS),
    # Case ids in the body: another unit's are refused in tests/payroll/test_distribution.py.
    "payroll:workload_assign": Rule(allowed=DISTRIBUTORS, method="post", data=_assign_data),
    "payroll:queue": Rule(allowed=VIEWERS),
    "payroll:case_list": Rule(allowed=VIEWERS),
    "payroll:case_export": Rule(allowed=VIEWERS, data=lambda w: {"format": "csv"}),
    # Starts a background download of the (small) list: a redirect to its page.
    "payroll:case_export_start": Rule(allowed=VIEWERS, method="post", data=lambda w: {"format": "csv", "query": ""}),
    # Another user's download: 404 to those who may download at all (tests/payroll/test_export_jobs.py).
    "payroll:case_export_job": Rule(allowed=VIEWERS, kwargs=_export, ok_statuses=frozenset({404})),
    "payroll:case_export_status": Rule(allowed=VIEWERS, kwargs=_export, ok_statuses=frozenset({404})),
    "payroll:case_export_file": Rule(allowed=VIEWERS, kwargs=_export, ok_statuses=frozenset({404})),
    "payroll:case_create": Rule(allowed=HANDLERS),
    "payroll:case_detail": Rule(allowed=VIEWERS, kwargs=_case),
    "payroll:case_register": Rule(allowed=HANDLERS, kwargs=_case, method="post"),
    "payroll:case_assign": Rule(allowed=HANDLERS, kwargs=_case, method="post"),
    "payroll:case_return": Rule(allowed=HANDLERS, kwargs=_case),
    "payroll:case_arrived": Rule(
        allowed=HANDLERS, kwargs=lambda w: _case(w, status=PayrollCase.Status.RETURNED), method="post"
    ),
    "payroll:case_approve": Rule(allowed=APPROVERS, kwargs=_girovision, method="post"),
    "payroll:case_complete": Rule(
        allowed=HANDLERS, kwargs=lambda w: _case(w, status=PayrollCase.Status.REGISTERED), method="post"
    ),
    "payroll:case_cancel": Rule(allowed=HANDLERS, kwargs=_case),
    "payroll:cover_letter": Rule(allowed=VIEWERS, kwargs=_return),
    "payroll:document_add": Rule(
        allowed=HANDLERS,
        kwargs=_case,
        method="post",
        data=lambda w: {"document": factories.upload()},
    ),
    "payroll:note_add": Rule(
        allowed=HANDLERS, kwargs=_case, method="post", data=lambda w: {"text": "Ringt förvaltningen"}
    ),
    "payroll:document": Rule(allowed=VIEWERS, kwargs=_document),
    "payroll:import_list": Rule(allowed=VIEWERS),
    "payroll:import_upload": Rule(allowed=HANDLERS),
    "payroll:import_detail": Rule(allowed=VIEWERS, kwargs=_job),
    "payroll:import_status": Rule(allowed=VIEWERS, kwargs=_job),
    "payroll:import_rerun": Rule(allowed=HANDLERS, method="post", kwargs=_job),
    "payroll:control_list": Rule(allowed=VIEWERS),
    "payroll:control_draw": Rule(allowed=SAMPLERS, method="post", data=_draw_data),
    "payroll:control_detail": Rule(allowed=VIEWERS, kwargs=lambda w: {"pk": _sample(w).pk}),
    "payroll:control_check": Rule(
        allowed=CHECKERS, kwargs=_check, method="post", data=lambda w: {"outcome": "correct"}
    ),
}
