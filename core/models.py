"""The billing calendar (which billing periods the monthly close has closed) and the uploads counted
for the per-user upload limit."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PermanentRecordError(Exception):
    pass


class PermanentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermanentRecordError(_("A closed billing period cannot be changed."))

    def delete(self):
        raise PermanentRecordError(_("A closed billing period cannot be deleted."))


class ClosedPeriod(models.Model):
    """A billing period whose invoices have been issued (written by the monthly close).

    Work that arrives for a closed period is invoiced in the next open one. Permanent: neither
    changed nor deleted by anyone (the model, its queryset, the admin site, and on PostgreSQL a
    trigger), for a deleted one could never be closed again and its work would not be invoiced.
    """

    period = models.CharField(_("period"), max_length=7, unique=True)
    closed_at = models.DateTimeField(_("closed"), auto_now_add=True)

    objects = PermanentQuerySet.as_manager()

    class Meta:
        ordering = ["-period"]
        verbose_name = _("closed billing period")
        verbose_name_plural = _("closed billing periods")

    def __str__(self):
        return self.period

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermanentRecordError(_("A closed billing period cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermanentRecordError(_("A closed billing period cannot be deleted."))


class Upload(models.Model):
    """A file uploaded to an import page, counted for the per-user limit (``IMPORT_UPLOADS_PER_HOUR``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(_("page"), max_length=60)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        indexes = [models.Index(fields=["user", "uploaded_at"], name="core_upload_user_time")]

    def __str__(self):
        return f"{self.page} {self.size} B"
