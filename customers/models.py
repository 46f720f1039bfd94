import re
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.periods import PERIOD_REGEX, validate_period
from organisation.models import Team, Unit

INTERFACE_DOCUMENT_EXTENSIONS = ["pdf", "docx", "doc", "odt"]


def interface_document_path(instance, filename: str) -> str:
    """A path nobody can guess; the file is only served through a permission-checked view."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"agreements/{uuid.uuid4().hex}{suffix}"


ORGANISATION_NUMBER_REGEX = r"^\d{6}-?\d{4}$"
PEPPOL_ENDPOINT_REGEX = r"^\d{4}:[A-Za-z0-9][A-Za-z0-9.:_-]{0,49}$"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def validate_organisation_number(value: str) -> None:
    """A Swedish organisation number: ten digits (NNNNNN-NNNN), the last a Luhn check digit."""
    if not re.fullmatch(ORGANISATION_NUMBER_REGEX, value or "") or not luhn_valid(value.replace("-", "")):
        raise ValidationError(_("Enter an organisation number as NNNNNN-NNNN with a valid check digit."))


def validate_peppol_endpoint(value: str) -> None:
    if not re.fullmatch(PEPPOL_ENDPOINT_REGEX, value or ""):
        raise ValidationError(_("Enter the endpoint as scheme:identifier, e.g. 0007:2120000142."))


class Agency(models.Model):
    """A city agency (förvaltning) that buys payroll and pension administration."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District administration")
        SPECIALIST = "specialist", _("Specialist administration")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="agencies"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("The payroll team that serves the agency; its cases are in that team's queue."),
    )
    functional_mailbox = models.EmailField(_("functional mailbox"), blank=True)
    billing_reference = models.CharField(_("billing reference"), max_length=100, blank=True)
    # The buyer's coding (kontering) from the agency's agreement, printed on every invoice line and
    # in the Agresso file: account (konto), responsibility (ansvar, below), activity (verksamhet,
    # below), counterpart (motpart).
    account_code = models.CharField(_("account"), max_length=20, blank=True)
    counterpart_code = models.CharField(_("counterpart"), max_length=20, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    # The buyer on e-invoices (Peppol BIS Billing 3.0). Agencies of one city may share its number.
    organisation_number = models.CharField(
        _("organisation number"), max_length=11, blank=True, validators=[validate_organisation_number]
    )
    peppol_endpoint = models.CharField(
        _("Peppol endpoint"),
        max_length=60,
        blank=True,
        validators=[validate_peppol_endpoint],
        help_text=_("Scheme and identifier, e.g. 0007:2120000142. Empty: 0007 and the organisation number."),
    )
    responsibility_code = models.CharField(
        _("responsibility code"),
        max_length=20,
        blank=True,
        help_text=_("The agency's ansvar code, put in the buyer reference of e-invoices and on its vouchers."),
    )
    activity_code = models.CharField(
        _("activity code"), max_length=20, blank=True, help_text=_("The agency's verksamhet code on its vouchers.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        permissions = [("import_agencies", _("Can import agencies from a file"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="agency_active_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def is_active_on(self, day) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to
        )

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    @property
    def peppol_address(self) -> str:
        """The endpoint e-invoices are sent to: the one given, else scheme 0007 with the organisation number."""
        if self.peppol_endpoint:
            return self.peppol_endpoint
        return f"0007:{self.organisation_number.replace('-', '')}" if self.organisation_number else ""

    @property
    def buyer_reference(self) -> str:
        """The agency's reference and its ansvar code: what tells agencies that share a number apart."""
        parts = [self.billing_reference.strip()]
        if self.responsibility_code:
            # A fixed Swedish word: the buyer's finance system reads it, whatever the UI language.
            parts.append(f"ansvar {self.responsibility_code}")
        return "; ".join(p for p in parts if p) or self.code


class AgencyContact(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title or role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=Q(is_primary=True), name="contact_one_primary_per_agency"
            )
        ]

    def __str__(self):
        return self.name


class AgencyContactAccess(models.Model):
    """A user who signs in as an agency contact (kontaktperson på förvaltningen) and sees these
    agencies' data in the agencies' portal, and nothing else (customers.selectors.agencies_for)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="agency_accesses"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="contact_accesses"
    )

    class Meta:
        verbose_name = _("agency contact's access")
        verbose_name_plural = _("agency contacts' access")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="contact_access_once_per_agency")]
        permissions = [("use_portal", _("Can use the agencies' portal"))]

    def __str__(self):
        return f"{self.user} → {self.agency.code}"


class ServiceAgreement(models.Model):
    """The yearly agreement with an agency, with the lead times it promises."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="agreements")
    year = models.PositiveSmallIntegerField(_("year"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (working days)"),
        default=5,
        help_text=_("Working days after the document deadline within which the case is handled."),
    )
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=200,
        blank=True,
        help_text=_("The service's promised opening hours, e.g. weekdays 8–16 (phone 9–11, 13–15)."),
    )
    interface_document = models.FileField(
        _("interface document"),
        upload_to=interface_document_path,
        blank=True,
        validators=[FileExtensionValidator(INTERFACE_DOCUMENT_EXTENSIONS)],
        help_text=_("The interface document (gränssnitt) that says who does what: PDF, Word or ODT, at most 10 MB."),
    )
    interface_document_name = models.CharField(_("file name"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__code", "-year"]
        verbose_name = _("service agreement")
        verbose_name_plural = _("service agreements")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="agreement_one_per_agency_and_year"),
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="agreement_period_ordered"),
        ]

    def __str__(self):
        return f"{self.agency.code} {self.year}"

    @property
    def download_name(self) -> str:
        return self.interface_document_name or Path(self.interface_document.name).name


class AddonAgreement(models.Model):
    """Extra services an agency has ordered, invoiced per hour at the add-on price."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="addon_agreements"
    )
    description = models.CharField(_("service"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    item_code = models.CharField(_("price-list item"), max_length=40, default="addon_hour")
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__code", "-valid_from"]
        verbose_name = _("add-on agreement")
        verbose_name_plural = _("add-on agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="addon_agreement_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.agency.code}: {self.description}"

    def is_valid_in(self, first_day, last_day) -> bool:
        """True when the agreement covers some day between ``first_day`` and ``last_day``."""
        return self.valid_from <= last_day and (self.valid_to is None or self.valid_to >= first_day)


class AddonHours(models.Model):
    """Hours worked under an add-on agreement in a period; invoiced at the monthly close."""

    agreement = models.ForeignKey(
        AddonAgreement, verbose_name=_("add-on agreement"), on_delete=models.PROTECT, related_name="hours"
    )
    period = models.CharField(_("period worked"), max_length=7, db_index=True, validators=[validate_period])
    # The period the hours are invoiced in: the period worked, or the next open one when that
    # period's invoices had already been issued when the hours were registered.
    billing_period = models.CharField(_("billing period"), max_length=7, db_index=True, validators=[validate_period])
    hours = models.DecimalField(
        _("hours"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)

    # Hours are invoiced and may be deleted before the close: who did it must be on record.
    history = HistoricalRecords(excluded_fields=["registered_at"])

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("add-on hours")
        verbose_name_plural = _("add-on hours")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="addon_hours_positive"),
            models.CheckConstraint(condition=Q(period__regex=PERIOD_REGEX), name="addon_hours_period_format"),
            models.CheckConstraint(
                condition=Q(billing_period__regex=PERIOD_REGEX), name="addon_hours_billing_period_format"
            ),
            models.CheckConstraint(
                condition=Q(billing_period__gte=models.F("period")), name="addon_hours_billed_not_before"
            ),
        ]

    def __str__(self):
        return f"{self.agreement} {self.period}: {self.hours} h"


class CustomerLogEntry(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Customer meeting")
        CALL = "call", _("Phone call")
        EMAIL = "email", _("E-mail")
        CHANGE = "change", pgettext_lazy("customer log", "Change")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="log_entries")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    summary = models.TextField(_("summary"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("customer log entry")
        verbose_name_plural = _("customer log")
        indexes = [models.Index(fields=["kind", "date"], name="log_kind_date")]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class Complaint(models.Model):
    """Feedback and complaints from an agency (synpunkter och klagomål)."""

    class Category(models.TextChoices):
        PAYMENT_ERROR = "payment_error", _("Incorrect payment")
        LATE = "late", _("Late handling")
        SERVICE = "service", _("Service and availability")
        INFORMATION = "information", _("Information and guidance")
        SYSTEM = "system", _("Systems")
        INVOICE = "invoice", _("Invoicing")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        FEEDBACK = "feedback", _("Feedback")
        DISPUTE = "dispute", _("Invoice dispute")  # its invoice line: invoicing.InvoiceDispute

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="complaints")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    received_on = models.DateField(_("received on"))
    description = models.TextField(_("description"))
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The agency contact who sent it from the portal (empty when staff took it on the phone).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_complaints",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("feedback and complaints")
        indexes = [models.Index(fields=["received_on"], name="complaint_received")]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("received_on")),
                name="complaint_resolved_after_received",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_on__isnull=False),
                name="complaint_resolved_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.received_on} {self.get_category_display()}"


class AgencyNotice(models.Model):
    """An e-mail to an agency (a returned document, an issued invoice): recorded before it is sent,
    sent once by a Celery task (customers.notices), its outcome kept. ``key`` names what triggered it
    (``case_return:12``, ``invoice:7``), so a retried or duplicated trigger makes no second mail."""

    class Kind(models.TextChoices):
        CASE_RETURNED = "case_returned", _("Returned document")
        INVOICE_ISSUED = "invoice_issued", _("Invoice issued")
        ANSWER_RECEIVED = "answer_received", _("Answer from the agency")  # to the case's handler
        REMINDER = "reminder", _("Reminder before the 8th")
        CUSTOMER_MESSAGE = "customer_message", _("Customer message")
        DISPUTE_ANSWERED = "dispute_answered", _("Dispute answered")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("trigger"), max_length=60, unique=True)
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Who made it go: the handler who returned the document, finance who issued the invoice, the
    # author of a customer message; empty for what the system sends by itself (the reminder).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail to an agency")
        verbose_name_plural = _("e-mails to agencies")
        permissions = [("resend_agencynotice", _("Can send a failed e-mail to an agency again"))]
        indexes = [models.Index(fields=["agency", "-created_at"], name="notice_agency_created")]

    def __str__(self):
        return f"{self.key} → {', '.join(self.recipients)}"

    def queue_label(self) -> str:
        return str(_("the e-mail %(subject)s")) % {"subject": self.subject}

    def mark_not_queued(self, message: str) -> None:
        self.status, self.error = self.Status.FAILED, message
        self.save(update_fields=["status", "error"])


class CustomerMessage(models.Model):
    """A customer message (kundmeddelande) from a unit manager or the head of service to all agencies
    or chosen ones: mailed to each agency's functional mailbox (an AgencyNotice per agency) and shown
    in the portal to the agencies it went to."""

    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"))
    to_all = models.BooleanField(_("to all agencies"), default=False)
    agencies = models.ManyToManyField(Agency, verbose_name=_("agencies"), related_name="customer_messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("customer message")
        verbose_name_plural = _("customer messages")

    def __str__(self):
        return self.subject


FORM_EXTENSIONS = ["pdf", "docx", "doc", "odt", "xlsx", "xls", "ods"]


def form_version_path(instance, filename: str) -> str:
    """A path nobody can guess; a form is only served through a permission-checked view."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"forms/{uuid.uuid4().hex}{suffix}"


class CentreForm(models.Model):
    """A form (blankett) the centre gives agencies to fill in (new hire, change, deduction …). It is
    uploaded and versioned by the centre; the portal always serves the latest version."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.CharField(_("what it is for"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("form")
        verbose_name_plural = _("forms")

    def __str__(self):
        return self.name

    @property
    def current(self) -> "CentreFormVersion | None":
        return self.versions.order_by("-number").first()


class CentreFormVersion(models.Model):
    """One uploaded version of a form; older versions are kept (a filled-in old one can be read)."""

    form = models.ForeignKey(CentreForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(
        _("file"), upload_to=form_version_path, validators=[FileExtensionValidator(FORM_EXTENSIONS)]
    )
    file_name = models.CharField(_("file name"), max_length=200)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["form__name", "-number"]
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_unique_number")]

    def __str__(self):
        return f"{self.form.name} v{self.number}"
