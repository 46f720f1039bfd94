"""Issued invoices and credit notes, their number series, and the runs of the monthly close."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.jobs import JobKind, is_stuck
from core.periods import PERIOD_REGEX, validate_period
from customers.models import Agency, Complaint
from organisation.models import Unit
from pricing.models import PriceList


class InvoiceNumberSeries(models.Model):
    """The counter of a year's invoice series. Numbers are allocated under a row lock
    in the transaction that issues the invoice, so a rolled-back issue leaves no gap."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice number series")
        verbose_name_plural = _("invoice number series")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class CloseJob(models.Model):
    """One run of the monthly close: who started it, its state and progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        WEB = "web", _("Finance, from the page")
        COMMAND = "command", _("Command line")
        SCHEDULE = "schedule", _("Schedule")
        DEMO = "demo", _("Demo data")
        TEST = "test", _("Test")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    period = models.CharField(_("period"), max_length=7, validators=[validate_period])
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    trigger = models.CharField(_("started from"), max_length=20, choices=Trigger.choices, default=Trigger.WEB)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Stamped by the running task (core.jobs.heartbeat); a silent running job is marked failed.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    agencies_total = models.PositiveIntegerField(_("agencies"), default=0)
    agencies_done = models.PositiveIntegerField(_("agencies done"), default=0)
    invoices_issued = models.PositiveIntegerField(_("invoices issued"), default=0)
    message = models.TextField(_("message"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("monthly close")
        verbose_name_plural = _("monthly closes")
        permissions = [("run_close", _("Can run the monthly close"))]
        constraints = [
            # Only one run of a month may be queued or running at a time.
            models.UniqueConstraint(
                fields=["period"], condition=Q(state__in=["queued", "running"]), name="closejob_one_active_per_period"
            ),
            models.CheckConstraint(condition=Q(period__regex=PERIOD_REGEX), name="closejob_period_format"),
        ]

    def __str__(self):
        return f"{self.period} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    # core.jobs: the close is handed to the worker
    def queue_label(self) -> str:
        return gettext("the monthly close of %(period)s") % {"period": self.period}

    def mark_not_queued(self, message: str) -> None:
        self.state, self.error, self.finished_at = self.State.FAILED, message, timezone.now()
        self.save(update_fields=["state", "error", "finished_at"])

    @property
    def failure_reason(self) -> str:
        return self.error

    # core.jobs: a job whose worker is gone, or failed by an administrator
    def mark_failed(self, reason: str) -> None:
        self.mark_not_queued(reason)

    @property
    def is_stalled(self) -> bool:
        """Queued or running, but its worker is gone (beat's check will mark it failed)."""
        return is_stuck(CLOSE_JOBS, self)


CLOSE_JOBS = JobKind("close", CloseJob, "state", queued=CloseJob.State.QUEUED, running=CloseJob.State.RUNNING)


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableInvoiceError(_("Issued invoices cannot be changed."))

    def delete(self):
        raise ImmutableInvoiceError(_("Issued invoices cannot be deleted."))


class ImmutableInvoiceError(Exception):
    pass


class Invoice(models.Model):
    """An issued invoice or credit note: a record of what was sent, never changed.

    It keeps copies of the agency's name, address and reference and of every
    line's price. A correction is a credit note (``credited_invoice``) followed
    by a new invoice of the next ``revision`` for the same agency and month.
    """

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    number = models.CharField(_("number"), max_length=20, unique=True)
    series_year = models.PositiveSmallIntegerField(_("series"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="invoices")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=7, validators=[validate_period])
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    credited_invoice = models.OneToOneField(
        "self",
        verbose_name=_("credits invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_note",
    )
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    agency_code = models.CharField(_("agency code"), max_length=20)
    agency_name = models.CharField(_("agency name"), max_length=200)
    agency_address = models.TextField(_("agency address"), blank=True)
    billing_reference = models.CharField(_("billing reference"), max_length=100, blank=True)
    # The buyer as the e-invoice names it, copied when issued (empty on invoices issued before
    # these fields existed: the e-invoice then reads the agency's current values).
    agency_org_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    agency_endpoint = models.CharField(_("Peppol endpoint"), max_length=60, blank=True)
    buyer_reference = models.CharField(_("buyer reference"), max_length=200, blank=True)
    responsibility_code = models.CharField(_("responsibility code"), max_length=20, blank=True)
    activity_code = models.CharField(_("activity code"), max_length=20, blank=True)
    # The rest of the buyer's coding (account and counterpart), copied when issued like the codes above.
    account_code = models.CharField(_("account"), max_length=20, blank=True, db_default="")
    counterpart_code = models.CharField(_("counterpart"), max_length=20, blank=True, db_default="")
    total = models.DecimalField(_("total (SEK)"), max_digits=14, decimal_places=2)
    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_job = models.ForeignKey(
        CloseJob, verbose_name=_("monthly close"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    # Where each line's quantity came from, as issued (invoicing.services.month): rows of item code,
    # pay period, source and quantity, and the registered cases behind manual, Agresso and Girovision lines.
    specification = models.JSONField(_("specification"), default=dict, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-series_year", "-sequence"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        permissions = [
            ("issue_credit_note", _("Can issue credit notes and new invoices")),
            ("view_draft_invoice", _("Can see the draft invoices of open months")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["series_year", "sequence"], name="invoice_number_unique_in_series"),
            # The close issues revision 1; a re-invoice the next one: two runs can never both issue.
            models.UniqueConstraint(
                fields=["agency", "period", "revision"],
                condition=Q(kind="invoice"),
                name="invoice_one_per_agency_period_revision",
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credited_invoice__isnull=True)
                | Q(kind="credit_note", credited_invoice__isnull=False),
                name="invoice_credit_note_refers_to_original",
            ),
            models.CheckConstraint(condition=Q(period__regex=PERIOD_REGEX), name="invoice_period_format"),
        ]
        indexes = [
            models.Index(fields=["period", "agency"], name="invoice_period_agency"),
            models.Index(fields=["agency", "-invoice_date"], name="invoice_agency_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableInvoiceError(_("Issued invoices cannot be changed."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("invoicing:invoice_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise ImmutableInvoiceError(_("Issued invoices cannot be deleted."))

    def clean(self):
        if self.kind == self.Kind.CREDIT_NOTE and self.total > 0:
            raise ValidationError(_("A credit note has a negative total."))

    BUYER_FIELDS = (
        "agency_org_number",
        "agency_endpoint",
        "buyer_reference",
        "responsibility_code",
        "activity_code",
        "account_code",
        "counterpart_code",
    )

    @staticmethod
    def buyer_fields(agency: Agency) -> dict:
        """The agency's e-invoice fields to copy onto an invoice being issued."""
        return {
            "agency_org_number": agency.organisation_number,
            "agency_endpoint": agency.peppol_address,
            "buyer_reference": agency.buyer_reference,
            "responsibility_code": agency.responsibility_code,
            "activity_code": agency.activity_code,
            "account_code": agency.account_code,
            "counterpart_code": agency.counterpart_code,
        }

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE

    CODING_FIELDS = ("account_code", "responsibility_code", "activity_code", "counterpart_code")

    @property
    def coding(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.CODING_FIELDS}

    @property
    def is_credited(self) -> bool:
        if self.is_credit_note:
            return False
        try:
            return self.credit_note is not None
        except Invoice.DoesNotExist:
            return False


class InvoiceLine(models.Model):
    """One priced line, copied from the pricing engine when the invoice was issued."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    item_code = models.CharField(_("item code"), max_length=40)
    name = models.CharField(_("item"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    base_price = models.DecimalField(_("base price"), max_digits=14, decimal_places=2, null=True, blank=True)
    surcharge = models.DecimalField(_("surcharge"), max_digits=14, decimal_places=2, null=True, blank=True)
    # Work of an already closed month invoiced late in this one.
    late_from_period = models.CharField(_("late work from"), max_length=7, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoiceline_unique_position"),
        ]

    def __str__(self):
        return f"{self.item_code} {self.quantity} × {self.unit_price}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableInvoiceError(_("Issued invoices cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableInvoiceError(_("Issued invoices cannot be deleted."))


class MonthZip(models.Model):
    """All of a month's invoice and credit-note PDFs as one zip, built by a background job
    (``invoicing.services.month_zip``) at the close or when first asked for, never in a request.
    Invoices are never changed or deleted, so their number and highest id tell whether the zip
    still holds every one of them."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    period = models.CharField(_("period"), max_length=7, unique=True, validators=[validate_period])
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    file = models.FileField(_("file"), upload_to="invoice-zips/", blank=True)
    invoice_count = models.PositiveIntegerField(_("invoices"), default=0)
    last_invoice_id = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    class Meta:
        verbose_name = _("month's invoice zip")
        verbose_name_plural = _("months' invoice zips")
        constraints = [models.CheckConstraint(condition=Q(period__regex=PERIOD_REGEX), name="monthzip_period_format")]

    def __str__(self):
        return f"{self.period} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    # core.jobs: the build is handed to the worker
    def queue_label(self) -> str:
        return gettext("the zip of the invoices of %(period)s") % {"period": self.period}

    def mark_not_queued(self, message: str) -> None:
        self.state, self.error = self.State.FAILED, message
        self.save(update_fields=["state", "error"])


class InvoiceDispute(models.Model):
    """An agency contact's dispute of an invoice line (issue 16). It is a complaint in the register
    (customers.Complaint of kind ``dispute``, with the contact as sender) linked here to the invoice
    and its line, because invoicing is above customers. Finance answers with a reply or a credit
    note (invoicing.services.disputes); the outcome is what the contact sees in the portal."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        REPLIED = "replied", _("Replied")
        CREDITED = "credited", _("Credited")

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="dispute"
    )
    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="disputes")
    line = models.ForeignKey(
        InvoiceLine,
        verbose_name=_("invoice line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    credit_note = models.ForeignKey(
        Invoice, verbose_name=_("credit note"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("disputed"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invoice dispute")
        verbose_name_plural = _("invoice disputes")
        indexes = [models.Index(fields=["outcome", "created_at"], name="dispute_outcome_created")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="credited") | Q(credit_note__isnull=False), name="dispute_credited_has_note"
            ),
            models.CheckConstraint(
                condition=Q(outcome="open") | Q(answered_at__isnull=False), name="dispute_answered_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.invoice.number}: {self.get_outcome_display()}"

    @property
    def reason(self) -> str:
        return self.complaint.description

    @property
    def answer(self) -> str:
        return self.complaint.resolution


class InvoicePdf(models.Model):
    """An issued invoice's PDF, rendered once by a worker after the close's transaction
    (``invoicing.services.pdfs``) and served from then on. The invoice itself is never touched: the
    PDF is a file beside it, written under a new name and named here only once it is complete, so a
    second rendering (a duplicated task, a retry) never leaves a half-written or mixed file."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    invoice = models.OneToOneField(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="stored_pdf", primary_key=True
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField(_("file"), upload_to="invoice-pdfs/", blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    ACTIVE_STATES = (State.PENDING, State.RENDERING)

    class Meta:
        verbose_name = _("invoice PDF")
        verbose_name_plural = _("invoice PDFs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="done") | (~Q(file="") & ~Q(sha256="")), name="invoicepdf_done_has_file"
            ),
        ]

    def __str__(self):
        return f"{self.invoice_id} ({self.get_state_display()})"
