"""Internal control: random samples of completed cases and the check of each."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.periods import validate_period
from organisation.models import Unit

from .cases import PayrollCase


class ControlSample(models.Model):
    """An internal-control draw (stickprov) of completed cases of a period.

    The population is every completed case of the period (of ``unit``'s agencies, or all),
    ordered by id; ``random.Random(seed).sample`` picks ``size`` of them, so the same
    period, unit, size and seed draw the same cases again.
    """

    period = models.CharField(_("pay period"), max_length=7, validators=[validate_period])
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    size = models.PositiveIntegerField(_("sample size"))
    seed = models.PositiveBigIntegerField(_("seed"))
    population = models.PositiveIntegerField(_("completed cases in the period"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-drawn_at", "-id"]
        verbose_name = _("internal control sample")
        verbose_name_plural = _("internal control samples")
        permissions = [
            ("draw_control_sample", _("Can draw internal control samples")),
            ("record_control_check", _("Can record the outcome of internal control checks")),
        ]

    def __str__(self):
        return f"{self.period} #{self.pk}"


class ControlCheck(models.Model):
    """The check of one sampled case and its outcome."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not checked")
        CORRECT = "correct", _("Correct")
        INCORRECT = "incorrect", _("Incorrect payment")

    sample = models.ForeignKey(ControlSample, verbose_name=_("sample"), on_delete=models.CASCADE, related_name="checks")
    # No foreign key in PostgreSQL, where the case table is partitioned: triggers check it (payroll.partitions).
    case = models.ForeignKey(
        PayrollCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="control_checks",
        db_constraint=False,
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sample", "case_id"]
        verbose_name = _("internal control check")
        verbose_name_plural = _("internal control checks")
        constraints = [models.UniqueConstraint(fields=["sample", "case"], name="controlcheck_case_once_per_sample")]

    def __str__(self):
        return f"{self.sample} {self.case_id}: {self.outcome}"
