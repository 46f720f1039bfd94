"""Payroll cases: one payslip or document each, its status changes and its returns to the agency."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.periods import PERIOD_REGEX, validate_period
from customers.models import Agency
from people.models import Person


class Channel(models.TextChoices):
    """How a payment came in; each channel is a price-list item of the same code."""

    SELF_SERVICE = "self_service", _("Lisa Self-service")
    LISA_TID = "lisa_tid", _("Lisa Tid")
    MANUAL = "manual", _("Manual (paper or e-mailed form)")
    AGRESSO = "agresso", _("Agresso")
    GIROVISION = "girovision", _("Urgent payout (Girovision)")


MACHINE_CHANNELS = (Channel.SELF_SERVICE, Channel.LISA_TID)
# Short names for narrow table columns.
CHANNEL_SHORT = {
    Channel.SELF_SERVICE: _("Self-service"),
    Channel.LISA_TID: _("Lisa Tid"),
    Channel.MANUAL: _("Manual"),
    Channel.AGRESSO: _("Agresso"),
    Channel.GIROVISION: _("Girovision"),
}
# Statuses of manual work that is open or cancelled: the few rows the partial indexes hold.
NOT_COMPLETED = ("received", "registered", "returned", "cancelled")
# Channels a case handler registers by hand from a received document.
MANUAL_CHANNELS = (Channel.MANUAL, Channel.AGRESSO, Channel.GIROVISION)


class DocumentType(models.TextChoices):
    """The documents (underlag) agencies send in for manual handling (seed 002)."""

    NEW_HIRE = "new_hire", _("New hire")
    CHANGE = "change", _("Change of employment or terms")
    TERMINATION = "termination", _("Termination of employment")
    ADDITIONS_DEDUCTIONS = "additions_deductions", _("Additions and deductions")
    TAX_AGENCY = "tax_agency", _("Decision from the Tax Agency")
    ENFORCEMENT = "enforcement", _("Decision from the Enforcement Authority")
    SOCIAL_INSURANCE = "social_insurance", _("Decision from the Social Insurance Agency")


class MissingItem(models.TextChoices):
    """What a returned document lacks; listed on the cover letter."""

    SIGNATURE = "signature", _("Signature of the authorising manager")
    PERSONNUMMER = "personnummer", _("Correct personal identity number")
    EMPLOYMENT_DATES = "employment_dates", _("Start or end date of the employment")
    SALARY = "salary", _("Salary, rate or amount")
    EXTENT = "extent", _("Working hours or extent of employment")
    ACCOUNTING = "accounting", _("Accounting code (cost centre)")
    DATES = "dates", _("Dates or period the item applies to")
    DECISION_COPY = "decision_copy", _("Copy of the decision")
    FORM = "form", _("The current version of the form")
    BANK_ACCOUNT = "bank_account", _("Bank account details")
    OTHER = "other", _("Other (see the description)")


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

    # Foreign keys to agency and users carry no index of their own: the composite indexes below
    # cover the lookups, and every index costs time on a 50,000-row monthly import.
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="payroll_cases", db_index=False
    )
    period = models.CharField(_("pay period"), max_length=7, validators=[validate_period])
    payslip_id = models.CharField(_("payslip id"), max_length=40, blank=True)
    person = models.ForeignKey(
        Person, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="payroll_cases"
    )
    # The employee's name as this case knows it: typed at registration, or taken from the user's own
    # cases (never from another unit's), or with an imported payslip from the register. A case page
    # shows this copy and never needs another unit's person record. Masked like the person.
    employee_name = models.CharField(_("employee's name"), max_length=150, blank=True, default="", db_default="")
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
        db_index=False,
    )
    # The period the case is invoiced in: its own, or the next open one when it arrived after the close.
    billing_period = models.CharField(_("billing period"), max_length=7, validators=[validate_period])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    document_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # The lead-time clock (see payroll.clock): copied from the service agreement when the case is registered.
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (working days)"), null=True, blank=True)
    is_late = models.BooleanField(_("late document"), default=False)
    due_on = models.DateField(_("due"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("working days returned"), default=0)
    clock_stopped_on = models.DateField(_("returned on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    working_days_used = models.SmallIntegerField(_("working days used"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    import_batch = models.ForeignKey(
        "PayslipImport",
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        db_index=False,
    )

    history = HistoricalRecords(excluded_fields=["created_at"])

    OPEN_STATUSES = (Status.RECEIVED, Status.REGISTERED, Status.RETURNED)

    class Meta:
        verbose_name = _("payroll case")
        verbose_name_plural = _("payroll cases")
        permissions = [
            ("import_payslips", _("Can import the monthly payslip file")),
            ("approve_urgent_payout", _("Can approve urgent payouts (Girovision)")),
            ("distribute_cases", _("Can assign and reassign the unit's cases to handlers")),
            ("view_handler_figures", _("Can see the cases registered, completed and returned per handler")),
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
            # The case list of one agency over all periods, newest first: a deep page's ids are an
            # index-only scan (5 ms for page 500 of 5 years instead of 40-90 ms over the primary key).
            # The period rides along so that the page's rows are then read from their months' partitions only.
            models.Index(fields=["agency", "id"], name="payroll_agency_id", include=["period"]),
            # The work queue reads only cases that are not completed: partial indexes that a
            # monthly import of completed cases never touches.
            models.Index(fields=["status", "due_on"], condition=Q(status__in=NOT_COMPLETED), name="payroll_queue"),
            models.Index(fields=["handler", "status"], condition=Q(status__in=NOT_COMPLETED), name="payroll_handler"),
            # The case list filtered on a pay period, newest first, without walking newer periods.
            models.Index(fields=["period", "id"], name="payroll_period_list"),
            # Late documents are few: counted per period and agency, and listed, from a small index.
            models.Index(fields=["period", "agency"], condition=Q(is_late=True), name="payroll_late"),
            # Lead times are measured only for cases registered from documents: the dashboards' lead
            # times of a month read these few, not the month's imported cases (a 500,000-row scan at 10x).
            models.Index(
                fields=["period", "agency"], condition=Q(working_days_used__isnull=False), name="payroll_lead_times"
            ),
            # Cases registered by hand (never written by the import): the monthly close matches them to
            # the month's payslip lines (payroll.billing.cases_behind_lines) without reading every case.
            models.Index(
                fields=["agency", "period", "person"], condition=Q(source="manual"), name="payroll_registered"
            ),
        ]

    def __str__(self):
        return f"{self.agency.code} {self.period} {self.payslip_id or self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def needs_approval(self) -> bool:
        """Urgent payouts are completed only after a second person has approved them."""
        return self.channel == Channel.GIROVISION and self.approved_by_id is None

    @property
    def reference(self) -> str:
        return f"L-{self.pk}"


class StatusChange(models.Model):
    """One change of a case's status: who, when, and why."""

    # No foreign key in PostgreSQL, where the case table is partitioned: triggers check it (payroll.partitions).
    case = models.ForeignKey(
        PayrollCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="status_changes",
        db_constraint=False,
    )
    from_status = models.CharField(_("from"), max_length=20, choices=PayrollCase.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=PayrollCase.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.case_id}: {self.from_status or '-'} → {self.to_status}"


class CaseReturn(models.Model):
    """A document sent back to the agency with a cover letter saying what is missing."""

    # No foreign key in PostgreSQL, where the case table is partitioned: triggers check it (payroll.partitions).
    case = models.ForeignKey(
        PayrollCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="returns", db_constraint=False
    )
    returned_on = models.DateField(_("returned on"))
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("returned by"), on_delete=models.PROTECT, related_name="+"
    )
    missing = models.JSONField(_("missing"), default=list)
    details = models.TextField(_("description"), blank=True)
    reply_by = models.DateField(_("completed document due"))
    # The status the case goes back to when the completed document arrives.
    status_before = models.CharField(max_length=20, choices=PayrollCase.Status.choices)
    document_arrived_on = models.DateField(_("completed document arrived"), null=True, blank=True)
    arrival_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paused_days = models.PositiveSmallIntegerField(_("working days the clock stopped"), null=True, blank=True)
    # The cover letter's recipient and sender as they were on the day of the return, so that a
    # reprint gives the letter that was sent (payroll.services.letters): agency name, contact,
    # address, mailbox, sender.
    letter = models.JSONField(_("cover letter as sent"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["returned_on", "id"]
        verbose_name = _("returned document")
        verbose_name_plural = _("returned documents")

    def __str__(self):
        return f"{self.case_id} {self.returned_on}"

    @property
    def missing_labels(self) -> list[str]:
        labels = dict(MissingItem.choices)
        return [str(labels.get(code, code)) for code in self.missing]

    @property
    def is_waiting(self) -> bool:
        return self.document_arrived_on is None
