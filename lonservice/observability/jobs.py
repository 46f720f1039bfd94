"""The long-running jobs operations watches: the monthly close and the payslip import."""

from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from invoicing.models import CloseJob
from payroll.models import PayslipImport


@dataclass(frozen=True)
class JobKind:
    name: str
    model: type[models.Model]
    state_field: str
    active: tuple[str, ...]


JOB_KINDS = (
    JobKind("close", CloseJob, "state", tuple(CloseJob.ACTIVE_STATES)),
    JobKind(
        "import", PayslipImport, "status", (PayslipImport.Status.PENDING.value, PayslipImport.Status.RUNNING.value)
    ),
)


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
