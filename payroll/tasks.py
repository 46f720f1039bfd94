import logging

from celery import shared_task
from django.utils import translation

from .models import PayslipImport
from .services import run_import_job

logger = logging.getLogger(__name__)


@shared_task(acks_late=False)
def run_payslip_import(job_id: int, language: str = "sv") -> None:
    """Import an uploaded payslip file; the job record carries progress and the result."""
    job = PayslipImport.objects.get(pk=job_id)
    if job.status != PayslipImport.Status.PENDING:
        return  # already run (a redelivered message)
    with translation.override(language):
        try:
            run_import_job(job=job)
        except Exception:  # the job is marked failed and the error logged by the service
            logger.warning("payslip import %s failed", job_id)
