import logging

from celery import shared_task
from django.utils import translation

from core.jobs import JobFailed, enqueue

from . import imports
from .models import CaseExport, PayslipImport
from .services import exports, reminders

logger = logging.getLogger(__name__)


@shared_task(acks_late=False)
def run_payslip_import(job_id: int, language: str = "sv") -> None:
    """Import an uploaded payslip file; the job record carries progress and the result. A file refused
    for its rows is an outcome; an import that fails raises ``JobFailed`` (a failed task in Celery)."""
    job = PayslipImport.objects.get(pk=job_id)
    if job.status != PayslipImport.Status.PENDING:
        return  # already run (a redelivered message)
    with translation.override(language):
        try:
            imports.run_import_job(job=job)
        except Exception as exc:  # the job is marked failed and the error logged by the service
            raise JobFailed(f"payslip import {job_id} failed: {type(exc).__name__}") from exc


def start_payslip_import(*, uploaded_file, user, language: str) -> PayslipImport:
    """Keep the upload as a job and hand it to the worker (``core.jobs``: QueueUnavailable when down)."""
    job = imports.create_upload_job(uploaded_file=uploaded_file, user=user)
    enqueue(run_payslip_import, job.pk, language, job=job)
    job.refresh_from_db()
    return job


def run_payslip_import_again(*, job: PayslipImport, language: str) -> PayslipImport:
    """A failed import's file as a new job for the worker (``imports.copy_for_rerun``'s refusals apply)."""
    rerun = imports.copy_for_rerun(job=job)
    enqueue(run_payslip_import, rerun.pk, language, job=rerun)
    rerun.refresh_from_db()
    return rerun


@shared_task(name="payroll.tasks.maintain_case_partitions")
def maintain_case_partitions() -> None:
    """Monthly: the coming months' case partitions made, the months past retention dropped."""
    from . import partitions

    partitions.ensure_upcoming()
    partitions.drop_expired(cutoff=partitions.retention_cutoff())


@shared_task(name="payroll.tasks.send_return_reminders")
def send_return_reminders() -> int:
    """Beat, every weekday morning: the reminder before the 8th (payroll.services.reminders)."""
    return len(reminders.send_return_reminders())


@shared_task(name="payroll.tasks.build_case_export")
def build_case_export(export_id: int, language: str = "sv") -> str:
    """Write a big download of the case list (``services.exports.build_export``)."""
    with translation.override(language):
        export = exports.build_export(export_id)
    if export.state == CaseExport.State.FAILED:
        raise JobFailed(f"case list download {export_id} failed")
    return export.state


def start_case_export(*, user, params, kind: str, language: str) -> CaseExport:
    """The user's big download as a job for the worker (``core.jobs``: QueueUnavailable when down)."""
    export, to_queue = exports.request_export(user=user, params=params, kind=kind)
    if to_queue:
        enqueue(build_case_export, export.pk, language, job=export)
        export.refresh_from_db()
    return export


@shared_task(name="payroll.tasks.delete_expired_case_exports")
def delete_expired_case_exports() -> int:
    """Hourly: downloads older than EXPORT_RETENTION_HOURS are deleted, files and records."""
    return exports.delete_expired()
