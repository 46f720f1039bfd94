"""The monthly volume aggregate the dashboards and reports read (kept by the monthly close)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.models import Agency
from organisation.models import Unit


class MonthlyVolume(models.Model):
    """Payslips per agency, channel and pay period, kept by the close so that dashboards
    and reports read a few thousand rows instead of millions of payroll cases."""

    period = models.CharField(_("period"), max_length=7)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=20)
    payslips = models.PositiveIntegerField(_("payslips"), default=0)

    class Meta:
        verbose_name = _("monthly volume")
        verbose_name_plural = _("monthly volumes")
        constraints = [
            models.UniqueConstraint(fields=["period", "agency", "channel"], name="monthlyvolume_unique"),
        ]
        indexes = [models.Index(fields=["unit", "period"], name="monthlyvolume_unit_period")]

    def __str__(self):
        return f"{self.period} {self.agency_id} {self.channel}: {self.payslips}"


class AggregatedPeriod(models.Model):
    """A pay period whose MonthlyVolume rows are complete (refreshed at the close)."""

    period = models.CharField(_("period"), max_length=7, unique=True)
    refreshed_at = models.DateTimeField(_("refreshed"), auto_now=True)

    class Meta:
        verbose_name = _("aggregated period")
        verbose_name_plural = _("aggregated periods")

    def __str__(self):
        return self.period


class PayslipCount(models.Model):
    """Completed payroll cases per pay period, agency and channel, for every month, open ones
    included: the live figure the dashboards read instead of counting a month's cases.

    Kept by database triggers on the case table (migration payroll 0015), in the same
    transaction as every write that changes it: the import's ``INSERT … SELECT``, a case
    completed, an edit of a completed case's channel, agency or period, a deletion. Dropping a
    month's partition (retention) fires no trigger: ``payroll.partitions.drop_expired`` deletes
    the month's counts with it. Equal to ``COUNT(*) … WHERE status = 'completed' GROUP BY period,
    agency, channel`` at any moment (tests/payroll/test_payslip_counts.py)."""

    period = models.CharField(_("period"), max_length=7)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=20)
    payslips = models.IntegerField(_("payslips"), default=0)

    class Meta:
        verbose_name = _("payslip count")
        verbose_name_plural = _("payslip counts")
        constraints = [
            models.UniqueConstraint(fields=["period", "agency", "channel"], name="payslipcount_unique"),
        ]

    def __str__(self):
        return f"{self.period} {self.agency_id} {self.channel}: {self.payslips}"
