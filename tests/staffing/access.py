"""Who may use each staffing URL. Unit managers enter their unit's FTE and absences and the
phone figures; the head of service follows all, imports FTE files and enters the survey result."""

from accounts import roles
from tests import factories
from tests.access import Rule, roles_

READERS = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)
UNIT_EDITORS = roles_(roles.UNIT_MANAGER, roles.ADMINISTRATOR)
SERVICE_EDITORS = roles_(roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR)


def _absence(w):
    return {"pk": factories.AbsenceFactory(staff_member__unit=w["unit"]).pk}


def _loan(w):
    import datetime as dt

    from organisation.models import UnitLoan

    staff = factories.PensionStaffFactory(unit=w["unit"], category="payroll_admin")
    other = factories.UnitFactory()
    loan = UnitLoan.objects.create(
        staff_member=staff,
        to_unit=other,
        starts_on=dt.date.today(),
        ends_on=dt.date.today() + dt.timedelta(days=30),
        decided_by=w["users"][roles.UNIT_MANAGER],
    )
    return {"pk": loan.pk}


ENQUIRY_WORKERS = roles_(roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.ADMINISTRATOR)
ENQUIRY_READERS = roles_(
    roles.CASE_HANDLER, roles.PENSION_HANDLER, roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.ADMINISTRATOR
)


def _email(w):
    from django.utils import timezone

    from staffing.models import Enquiry

    enquiry = Enquiry.objects.create(
        agency=factories.AgencyFactory(unit=w["unit"]),
        asked_by="Kontaktperson",
        channel="email",
        topic="salary",
        received_at=timezone.now(),
        registered_by=w["users"][roles.CASE_HANDLER],
    )
    return {"pk": enquiry.pk}


RULES = {
    "staffing:enquiries": Rule(allowed=ENQUIRY_READERS),
    "staffing:enquiry_answer": Rule(allowed=ENQUIRY_WORKERS, kwargs=_email, method="post"),
    "staffing:loans": Rule(allowed=READERS),
    "staffing:skills": Rule(allowed=READERS),
    "staffing:skill_edit": Rule(
        allowed=UNIT_EDITORS,
        kwargs=lambda w: {"pk": factories.PensionStaffFactory(unit=w["unit"], category="payroll_admin").pk},
    ),
    "staffing:loan_end": Rule(allowed=UNIT_EDITORS, kwargs=_loan, method="post"),
    "staffing:fte": Rule(allowed=READERS),
    "staffing:fte_import": Rule(allowed=SERVICE_EDITORS),
    "staffing:fte_edit": Rule(allowed=UNIT_EDITORS, kwargs=lambda w: {"unit_pk": w["unit"].pk, "period": "2012-03"}),
    "staffing:staff": Rule(allowed=READERS),
    "staffing:sick_leave": Rule(allowed=READERS),
    "staffing:absences": Rule(allowed=READERS),
    "staffing:absence_create": Rule(allowed=UNIT_EDITORS),
    "staffing:absence_edit": Rule(allowed=UNIT_EDITORS, kwargs=_absence),
    "staffing:absence_delete": Rule(allowed=UNIT_EDITORS, kwargs=_absence),
    "staffing:phone": Rule(allowed=READERS),
    "staffing:phone_new": Rule(allowed=READERS),
    "staffing:phone_import": Rule(allowed=READERS),
    "staffing:phone_edit": Rule(allowed=READERS, kwargs=lambda w: {"period": "2012-03"}),
    "staffing:survey": Rule(allowed=READERS),
    "staffing:survey_new": Rule(allowed=SERVICE_EDITORS),
    "staffing:survey_edit": Rule(allowed=SERVICE_EDITORS, kwargs=lambda w: {"year": 2012}),
}
