"""Workplaces (arbetsställen) per agency with Statistics Sweden's workplace number (CFAR), the
employees linked to them, and the reports of changes sent to Statistics Sweden."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Agency
from people.models import Person

CFAR = RegexValidator(r"^\d{8}$", _("A CFAR number has eight digits."))
SNI = RegexValidator(r"^\d{5}$", _("An SNI code has five digits."))


class Workplace(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    cfar = models.CharField(_("CFAR number"), max_length=8, unique=True, validators=[CFAR])
    name = models.CharField(_("name"), max_length=150)
    street_address = models.CharField(_("street address"), max_length=150)
    postal_code = models.CharField(_("postal code"), max_length=6)
    city = models.CharField(_("city"), max_length=100)
    activity_code = models.CharField(_("activity (SNI)"), max_length=5, validators=[SNI])
    activity = models.CharField(_("activity"), max_length=150)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__code", "name"]
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        constraints = [models.CheckConstraint(condition=Q(cfar__regex=r"^\d{8}$"), name="workplace_cfar_digits")]

    def __str__(self):
        return f"{self.cfar} {self.name}"


class WorkplaceReport(models.Model):
    """One file of changes sent to Statistics Sweden: the links made since the last one."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report to Statistics Sweden")
        verbose_name_plural = _("reports to Statistics Sweden")

    def __str__(self):
        return f"{_('report')} {self.pk}"


class WorkplaceAssignment(models.Model):
    """An employee works at a workplace from a day on (until their next assignment)."""

    person = models.ForeignKey(Person, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+")
    workplace = models.ForeignKey(
        Workplace, verbose_name=_("workplace"), on_delete=models.PROTECT, related_name="assignments"
    )
    since = models.DateField(_("from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        WorkplaceReport,
        verbose_name=_("reported in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-since"]
        verbose_name = _("workplace of an employee")
        verbose_name_plural = _("workplaces of employees")
        constraints = [models.UniqueConstraint(fields=["person", "since"], name="assignment_one_per_day")]
        indexes = [models.Index(fields=["report"], condition=Q(report__isnull=True), name="assignment_unreported")]

    def __str__(self):
        return f"{self.since:%Y-%m-%d} #{self.pk}"
