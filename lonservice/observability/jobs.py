"""The long-running jobs operations watches: the monthly close, the payslip import and the case-list
download made in the background."""

from dataclasses import dataclass

from django.utils import timezone

from invoicing.models import CLOSE_JOBS
from invoicing.services.close import fail_stuck_closes
from payroll.imports import fail_stuck_imports
from payroll.models import PAYSLIP_IMPORTS
from payroll.models.exports import CASE_EXPORTS
from payroll.services.exports import fail_stuck_exports

# Every kind of background job (core.jobs.JobKind): health, metrics and beat's check read these.
JOB_KINDS = (CLOSE_JOBS, PAYSLIP_IMPORTS, CASE_EXPORTS)


@dataclass(frozen=True)
class ActiveJob:
    kind: str
    id: int
    state: str
    age_seconds: float


def oldest_active_jobs(now=None) -> dict[str, ActiveJob | None]:
    """Per kind, the job queued or running the longest (by when it was asked for), or None."""
    now = now or timezone.now()
    oldest = {}
    for kind in JOB_KINDS:
        row = (
            kind.model.objects.filter(**{f"{kind.state_field}__in": kind.active})
            .order_by("created_at")
            .values_list("pk", kind.state_field, "created_at")
            .first()
        )
        oldest[kind.name] = (
            ActiveJob(kind.name, row[0], row[1], (now - row[2]).total_seconds()) if row is not None else None
        )
    return oldest


def fail_stuck_jobs() -> list:
    """Beat's check (``lonservice.tasks.check_jobs``): closes, imports and case-list downloads whose
    worker is gone are marked failed with the reason; returns them."""
    return [*fail_stuck_closes(), *fail_stuck_imports(), *fail_stuck_exports()]
