"""Demo data for certificates (seed 001: four assistants take the certificates off the handlers):
three requests in Löneenhet 1 for employees paid in the demo year — one new, one past its due date,
and one issued as a service certificate with its number and PDF. Idempotent: nothing is added when
certificates exist."""

from django.utils import timezone

from accounts import roles
from certificates import services
from certificates.models import Certificate
from core.workdays import add_working_days
from payroll.models import PayrollCase

REQUESTS = [
    # kind, requested by, requester, purpose, working days ago, issue?
    ("employment", "employee", "Telefon till servicecentret", "Bostadslån", 1, False),
    ("employment", "agency", "HR-konsult, förvaltningens personalenhet", "A-kassa", 7, False),
    ("service", "employee", "Brev", "Ansökan om tjänst", 3, True),
]


def load(*, users) -> None:
    handler = users.get(roles.CASE_HANDLER)
    unit = getattr(getattr(handler, "staff_member", None), "unit", None)
    if handler is None or unit is None or Certificate.objects.exists():
        return
    paid = (
        PayrollCase.objects.filter(agency__unit=unit, status=PayrollCase.Status.COMPLETED, source="import")
        .filter(person__protected_identity=False)
        .select_related("agency", "person")
        .order_by("id")[: len(REQUESTS)]
    )
    today = timezone.localdate()
    for case, (kind, requested_by, requester, purpose, days_ago, issue) in zip(paid, REQUESTS, strict=False):
        certificate = services.request_certificate(
            user=handler,
            kind=kind,
            agency=case.agency,
            personnummer=case.person.personnummer,
            requested_by=requested_by,
            requester=requester,
            purpose=purpose,
            received_on=add_working_days(today, -days_ago),
        )
        if issue:
            services.issue_certificate(
                certificate=certificate,
                user=handler,
                title="Undersköterska",
                extent="100 %",
                employment_form="Tillsvidare",
            )
