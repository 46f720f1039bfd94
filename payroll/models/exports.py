"""Big downloads of the case list, made by a background job (``payroll.services.exports``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.jobs import JobKind


class CaseExport(models.Model):
    """One user's download of the filtered case list, too big to make in the request. The file is
    masked for that user, served only to them, and deleted after EXPORT_RETENTION_HOURS."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # The case list's filters as its query string (page and sort left out), read again by the job.
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("cases"), default=0)
    done_rows = models.PositiveIntegerField(_("cases written"), default=0)
    file = models.FileField(_("file"), upload_to="case-exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    class Meta:
        verbose_name = _("case list download")
        verbose_name_plural = _("case list downloads")
        indexes = [models.Index(fields=["user", "state"], name="payroll_export_user")]

    def __str__(self):
        return f"{self.get_format_display()} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def progress(self) -> int:
        """Per cent of the cases written."""
        if self.state == self.State.DONE:
            return 100
        return min(99, self.done_rows * 100 // self.total) if self.total else 0

    @property
    def filename(self) -> str:
        return f"payroll-cases.{self.format}"

    # core.jobs: the export is handed to the worker
    def queue_label(self) -> str:
        return gettext("the download of the case list")

    def mark_not_queued(self, message: str) -> None:
        self.mark_failed(message)

    @property
    def failure_reason(self) -> str:
        """lonservice.observability.alerts: what the alert of a failed download says."""
        return self.error

    def mark_failed(self, reason: str) -> None:
        self.state, self.error, self.finished_at = self.State.FAILED, reason, timezone.now()
        self.save(update_fields=["state", "error", "finished_at"])


# Its page stops waiting for a download whose worker fell silent (core.jobs.is_stuck).
CASE_EXPORTS = JobKind("export", CaseExport, "state", queued=CaseExport.State.QUEUED, running=CaseExport.State.RUNNING)
