"""Deviations (avvikelser): the centre's own errors, such as a wrong or late payment, with what caused
them, how they were corrected and what is done so that they do not happen again."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from customers.models import Agency

from .cases import PayrollCase


class Deviation(models.Model):
    """One error of the centre's own: registered by a handler, followed up by the unit manager."""

    class Kind(models.TextChoices):
        WRONG_PAYMENT = "wrong_payment", _("Wrong amount paid")
        WRONG_DEDUCTION = "wrong_deduction", _("Wrong deduction")
        MISSED_PAYMENT = "missed_payment", _("Payment not made")
        DOUBLE_PAYMENT = "double_payment", _("Paid twice")
        LATE_PAYMENT = "late_payment", _("Late payment")
        WRONG_REGISTRATION = "wrong_registration", _("Wrong registration (no payment affected)")
        OTHER = "other", _("Other")

    class Cause(models.TextChoices):
        REGISTRATION = "registration", _("Registration error")
        ROUTINE_NOT_FOLLOWED = "routine_not_followed", _("Routine not followed")
        ROUTINE_UNCLEAR = "routine_unclear", _("Routine unclear or missing")
        HANDLED_LATE = "handled_late", _("Handled too late")
        KNOWLEDGE = "knowledge", _("Lack of knowledge")
        SYSTEM = "system", _("System error")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("deviation", "Registered")
        CORRECTED = "corrected", pgettext_lazy("deviation", "Corrected")
        CLOSED = "closed", pgettext_lazy("deviation", "Closed")

    # The kinds that mean a payment had to be corrected: the error rate counts these
    # (corrected payments per 10,000 payslips, the indicator behind "rätt lön i rätt tid").
    PAYMENT_KINDS = (Kind.WRONG_PAYMENT, Kind.WRONG_DEDUCTION, Kind.MISSED_PAYMENT, Kind.DOUBLE_PAYMENT)

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="deviations")
    # No foreign key in PostgreSQL, where the case table is partitioned: triggers check it (payroll.partitions).
    case = models.ForeignKey(
        PayrollCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviations",
        db_constraint=False,
    )
    occurred_on = models.DateField(_("date"), help_text=_("The day of the payment or the error."))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    cause = models.CharField(_("cause"), max_length=30, choices=Cause.choices)
    description = models.TextField(_("what happened"))
    correction = models.TextField(_("correction"), blank=True, help_text=_("How the error was put right."))
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True)
    corrective_action = models.TextField(
        _("corrective action"), blank=True, help_text=_("What is done so that it does not happen again.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["registered_at"])

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        permissions = [
            ("follow_up_deviation", _("Can follow up and change the unit's deviations")),
            ("view_quality", _("Can see document quality and the error rate")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrected_on__isnull=True) | Q(corrected_on__gte=models.F("occurred_on")),
                name="deviation_corrected_after",
            ),
        ]
        indexes = [models.Index(fields=["occurred_on", "kind"], name="deviation_month_kind")]

    def __str__(self):
        return f"AV-{self.pk} {self.agency.code}"

    @property
    def reference(self) -> str:
        return f"AV-{self.pk}"

    @property
    def is_payment_error(self) -> bool:
        return self.kind in self.PAYMENT_KINDS
