"""The audit trail's only model: the holder of its permission."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditTrail(models.Model):
    """The audit trail is read from the apps' history tables (audit.trail); this model only
    carries its permission and never has a row. (A table all the same: every model is counted by
    the demo's idempotence test and would be looked up by the admin.)"""

    class Meta:
        default_permissions = ()
        verbose_name = _("audit trail")
        verbose_name_plural = _("audit trail")
        permissions = [("view_audit_trail", _("Can read the audit trail (every unit, or their own unit's objects)"))]

    def __str__(self):
        return str(self._meta.verbose_name)
