"""Employment and service certificates (anställningsintyg, tjänstgöringsintyg): a case that an
employee or an agency requests, issued as a numbered PDF from the employment data the centre holds.

What the certificate says is copied onto it when it is issued (the person, the agency, the pay
periods found in the payroll cases and what the handler added), so the kept copy never changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Agency
from organisation.models import Unit
from payroll.models import PayrollCase
from people.models import Person


class Certificate(models.Model):
    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment certificate")
        SERVICE = "service", _("Service certificate")

    class RequestedBy(models.TextChoices):
        EMPLOYEE = "employee", _("The employee")
        AGENCY = "agency", _("The agency")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ISSUED = "issued", _("Issued")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    person = models.ForeignKey(Person, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.CharField(_("requested by"), max_length=10, choices=RequestedBy.choices)
    requester = models.CharField(_("requester"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    # The issued certificate: its number and the copy of what it says.
    number = models.CharField(_("number"), max_length=20, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person_name = models.CharField(_("name on the certificate"), max_length=150, blank=True)
    personnummer = models.CharField(_("personal identity number on the certificate"), max_length=13, blank=True)
    agency_name = models.CharField(_("agency on the certificate"), max_length=200, blank=True)
    first_period = models.CharField(_("first pay period"), max_length=7, blank=True)
    last_period = models.CharField(_("last pay period"), max_length=7, blank=True)
    months_paid = models.PositiveSmallIntegerField(_("months with pay"), default=0)
    service_periods = models.CharField(_("periods of service"), max_length=1000, blank=True)
    title = models.CharField(_("position"), max_length=150, blank=True)
    extent = models.CharField(_("extent of employment"), max_length=60, blank=True)
    employment_form = models.CharField(_("form of employment"), max_length=100, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="certificate_unique_number"),
            models.CheckConstraint(
                condition=~Q(status="issued") | (~Q(number="") & Q(issued_on__isnull=False)),
                name="certificate_issued_has_number",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="certificate_due_after"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="certificate_queue")]

    def __str__(self):
        return self.number or f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def reference(self) -> str:
        return self.number or f"I-{self.pk}"


class CertificateSeries(models.Model):
    """The last number given in a year: ``INT-2025-00001``, … without gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate number series")

    def __str__(self):
        return f"{self.year}: {self.last}"


class MailItem(models.Model):
    """One piece of incoming post, logged by the assistants: when it came, from whom, for which agency,
    what it is and which case it went to."""

    class Kind(models.TextChoices):
        PAYROLL_DOCUMENT = "payroll_document", _("Payroll document")
        CERTIFICATE_REQUEST = "certificate_request", _("Certificate request")
        PENSION = "pension", _("Pension or insurance matter")
        INVOICE = "invoice", _("Invoice or payment")
        AUTHORITY = "authority", _("Letter from an authority")
        OTHER = "other", _("Other")

    received_on = models.DateField(_("received on"))
    sender = models.CharField(_("sender"), max_length=200)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what it is"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # No foreign key in PostgreSQL, where the case table is partitioned: triggers check it (payroll.partitions).
    payroll_case = models.ForeignKey(
        PayrollCase,
        verbose_name=_("payroll case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("incoming mail")
        verbose_name_plural = _("incoming mail")
        indexes = [models.Index(fields=["unit", "received_on"], name="mail_unit_received")]

    def __str__(self):
        return f"{self.received_on:%Y-%m-%d} #{self.pk}"
