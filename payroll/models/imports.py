"""The monthly payslip files and the jobs that import them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.csvimport import RowError
from core.importing import ImportResult
from core.jobs import JobKind, is_stuck
from organisation.models import Unit


class PayslipImport(models.Model):
    """One monthly payslip file from the payroll system, and the job that imports it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")

    class Origin(models.TextChoices):
        UPLOAD = "upload", _("Upload page")
        COMMAND = "command", _("Command line")
        DEMO = "demo", _("Demo data")

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("content hash (SHA-256)"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    origin = models.CharField(_("from"), max_length=10, choices=Origin.choices, default=Origin.UPLOAD)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The unit whose agencies the file may hold; empty: every agency (administrators, the command).
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Stamped by the running task (core.jobs.heartbeat); a silent running job is marked failed.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    # [{"agency": code, "agency_name": name, "channel": code, "rows": n}, ...]
    summary = models.JSONField(_("rows per agency and channel"), default=list, blank=True)
    # [{"row": n, "column": name, "message": text}, ...]
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payslip import")
        verbose_name_plural = _("payslip imports")
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"], condition=Q(status="done"), name="payslipimport_file_imported_once"
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Waiting or importing, but its worker is gone (beat's check will mark it failed)."""
        return is_stuck(PAYSLIP_IMPORTS, self)

    @property
    def can_run_again(self) -> bool:
        """Failed with its file still kept (its worker died): the same file can be imported again."""
        return self.status == self.Status.FAILED and bool(self.file)

    def result(self) -> ImportResult:
        """The job's outcome in the shape of every import: queued or running, imported, or refused."""
        if self.status == self.Status.DONE:
            return ImportResult(
                counts={"payslips": self.rows_imported},
                message=gettext("Imported %(count)s payslips (import %(id)s).")
                % {"count": self.rows_imported, "id": self.pk},
                details=[f"{r['agency']:<10} {r['channel']:<14} {r['rows']:>8}" for r in self.summary],
                target=self,
            )
        if self.status in (self.Status.REJECTED, self.Status.FAILED):
            errors = [RowError(e["row"], e["column"], e["message"]) for e in self.errors]
            return ImportResult.refused(errors, target=self)
        return ImportResult(queued=True, target=self)

    # core.jobs: the import is handed to the worker
    def queue_label(self) -> str:
        return gettext("the import of %(file)s") % {"file": self.file_name}

    @property
    def failure_reason(self) -> str:
        return " ".join(error["message"] for error in self.errors[:3])

    def mark_failed(self, reason: str) -> None:
        """core.jobs: its worker is gone, or an administrator failed it. The file is kept for a re-run."""
        self.status, self.finished_at = self.Status.FAILED, timezone.now()
        self.errors = [{"row": 0, "column": "", "message": reason}]
        self.save(update_fields=["status", "finished_at", "errors"])

    def mark_not_queued(self, message: str) -> None:
        self.status, self.finished_at = self.Status.FAILED, timezone.now()
        self.errors = [{"row": 0, "column": "", "message": message}]
        if self.file:
            self.file.delete(save=False)
        self.save(update_fields=["status", "finished_at", "errors", "file"])


PAYSLIP_IMPORTS = JobKind(
    "import", PayslipImport, "status", queued=PayslipImport.Status.PENDING, running=PayslipImport.Status.RUNNING
)
