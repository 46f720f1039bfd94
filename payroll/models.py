from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Agency, Person
from lonservice.periods import PERIOD_REGEX, validate_period


class Channel(models.TextChoices):
    """How a payment came in; each channel is a price-list item of the same code."""

    SELF_SERVICE = "self_service", _("Lisa Self-service")
    LISA_TID = "lisa_tid", _("Lisa Tid")
    MANUAL = "manual", _("Manual (paper or e-mailed form)")
    AGRESSO = "agresso", _("Agresso")
    GIROVISION = "girovision", _("Urgent payout (Girovision)")


MACHINE_CHANNELS = (Channel.SELF_SERVICE, Channel.LISA_TID)


class PayrollCase(models.Model):
    """One salary or compensation payment handled for an agency in a pay period."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        REGISTERED = "registered", _("Registered")
        RETURNED = "returned", _("Returned to agency")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        IMPORT = "import", _("Payroll system import")
        MANUAL = "manual", _("Registered by hand")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="payroll_cases")
    period = models.CharField(_("pay period"), max_length=7, validators=[validate_period])
    payslip_id = models.CharField(_("payslip id"), max_length=40, blank=True)
    person = models.ForeignKey(
        Person, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="payroll_cases"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payroll_cases",
    )
    # The period the case is invoiced in: its own, or the next open one when it arrived after the close.
    billing_period = models.CharField(_("billing period"), max_length=7, validators=[validate_period])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("payroll case")
        verbose_name_plural = _("payroll cases")
        permissions = [
            ("import_payslips", _("Can import the monthly payslip file")),
            ("approve_urgent_payout", _("Can approve urgent payouts (Girovision)")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period", "payslip_id"],
                condition=~Q(payslip_id=""),
                name="payrollcase_unique_payslip",
            ),
            models.CheckConstraint(condition=Q(period__regex=PERIOD_REGEX), name="payrollcase_period_format"),
            models.CheckConstraint(
                condition=Q(billing_period__regex=PERIOD_REGEX), name="payrollcase_billing_period_format"
            ),
            models.CheckConstraint(
                condition=Q(billing_period__gte=models.F("period")), name="payrollcase_billed_not_before"
            ),
        ]
        indexes = [
            models.Index(fields=["billing_period", "agency", "channel"], name="payroll_billing"),
            models.Index(fields=["period", "agency", "channel"], name="payroll_period_agency"),
            models.Index(fields=["agency", "period", "id"], name="payroll_agency_list"),
            models.Index(fields=["status", "handler"], name="payroll_queue"),
        ]

    def __str__(self):
        return f"{self.agency.code} {self.period} {self.payslip_id or self.pk}"
