"""Reporting reads what the other apps own; its only model carries the reports' permissions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """Never has a row: the holder of the permissions to see reports and dashboards."""

    class Meta:
        default_permissions = ()
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [
            ("view_reports", _("Can see volume and productivity reports (own unit, or all with view_all_units)")),
            ("view_unit_dashboard", _("Can see a unit's dashboard")),
            ("view_service_dashboard", _("Can see the whole service's dashboard and the tertial report")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)
