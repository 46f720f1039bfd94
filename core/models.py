"""The billing calendar: which billing periods have been closed by the monthly close."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClosedPeriod(models.Model):
    """A billing period whose invoices have been issued (written by the monthly close).

    Work that arrives for a closed period is invoiced in the next open one.
    """

    period = models.CharField(_("period"), max_length=7, unique=True)
    closed_at = models.DateTimeField(_("closed"), auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("closed billing period")
        verbose_name_plural = _("closed billing periods")

    def __str__(self):
        return self.period
