import logging

from celery import shared_task
from django.utils import translation

from core.jobs import enqueue

from . import imports
from .models import PayslipImport

logger = logging.getLogger(__name__)


@shared_task(acks_late=False)
def run_payslip_import(job_id: int, language: str = "sv") -> None:
    """Import an uploaded payslip file; the job record carries progress and the result."""
    job = PayslipImport.objects.get(pk=job_id)
    if job.status != PayslipImport.Status.PENDING:
        return  # already run (a redelivered message)
    with translation.override(language):
        try:
            imports.run_import_job(job=job)
        except Exception:  # the job is marked failed and the error logged by the service
            logger.warning("payslip import %s failed", job_id)


def start_payslip_import(*, uploaded_file, user, language: str) -> PayslipImport:
    """Keep the upload as a job and hand it to the worker (``core.jobs``: QueueUnavailable when down)."""
    job = imports.create_upload_job(uploaded_file=uploaded_file, user=user)
    enqueue(run_payslip_import, job.pk, language, job=job)
    job.refresh_from_db()
    return job
