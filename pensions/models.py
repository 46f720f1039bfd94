"""Pension work: pension and insurance cases, their status history, and the providers' signal lists.

Pension handlers serve every agency of the city (seed 000: one pension team for the whole
service; 2025: one pension unit), so a case belongs to the *handling unit* (``unit``) and
access is scoped by it, not by the agency's payroll unit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.documents import CaseDocumentBase, CaseNoteBase
from core.periods import PERIOD_REGEX, validate_period
from customers.models import Agency
from organisation.models import StaffMember, Unit
from people.models import Person


class CaseKind(models.TextChoices):
    OLD_AGE = "old_age", _("Old-age pension")
    SURVIVOR = "survivor", _("Survivor pension")
    INSURANCE = "insurance", _("Insurance case (collective agreement)")
    OTHER = "other", _("Other")


class PensionCase(models.Model):
    """A pension or insurance case for an employee or former employee of an agency."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        INVESTIGATING = "investigating", _("Under investigation")
        WAITING = "waiting", _("Waiting for information")
        DECIDED = "decided", _("Decided")
        PAID = "paid", _("Paid")
        CLOSED = "closed", _("Closed")

    class WaitingFor(models.TextChoices):
        AGENCY = "agency", _("the agency")
        PERSON = "person", _("the person")

    class Decision(models.TextChoices):
        # Rejected on the merits (avslag). A case dismissed without being examined (avvisning) is not a
        # decision here: it is closed without one, with the reason.
        GRANTED = "granted", pgettext_lazy("pension decision", "Granted")
        REJECTED = "rejected", pgettext_lazy("pension decision", "Rejected")

    # Not yet decided: the due date applies.
    OPEN_STATUSES = (Status.RECEIVED, Status.INVESTIGATING, Status.WAITING)
    # Still on someone's desk: undecided, or decided and not yet paid or closed.
    UNFINISHED_STATUSES = (*OPEN_STATUSES, Status.DECIDED)

    number = models.CharField(_("case number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="pension_cases")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="pension_cases")
    unit = models.ForeignKey(
        Unit, verbose_name=_("handling unit"), on_delete=models.PROTECT, related_name="pension_cases"
    )
    handler = models.ForeignKey(
        StaffMember,
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pension_cases",
    )
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    waiting_for = models.CharField(_("waiting for"), max_length=10, choices=WaitingFor.choices, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    benefit_start = models.DateField(_("benefit start date"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The period the decision is invoiced in: the decision's month, or the next open one when that is closed.
    billing_period = models.CharField(_("billing period"), max_length=7, blank=True, validators=[validate_period])
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("pension case")
        verbose_name_plural = _("pension cases")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["decided", "paid"]) | (~Q(decision="") & Q(decided_on__isnull=False)),
                name="pensioncase_decided_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_on__isnull=False, billing_period__regex=PERIOD_REGEX),
                name="pensioncase_decision_dated_and_billed",
            ),
            models.CheckConstraint(
                condition=~Q(decision="granted") | Q(benefit_start__isnull=False),
                name="pensioncase_granted_has_benefit_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(decision="granted", paid_on__isnull=False),
                name="pensioncase_paid_only_when_granted",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | ~Q(waiting_for=""), name="pensioncase_waiting_says_for_whom"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False), name="pensioncase_closed_has_date"
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="pensioncase_due_after"),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("received_on")),
                name="pensioncase_decided_after_received",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "handler"], name="pension_queue"),
            models.Index(fields=["unit", "status", "due_on"], name="pension_unit_open"),
            models.Index(fields=["kind", "decision", "decided_on"], name="pension_decisions"),
            models.Index(fields=["billing_period", "agency"], name="pension_billing"),
            models.Index(fields=["received_on"], name="pension_received"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def handled_on(self):
        """The day the handling ended: the decision, or closing without one."""
        return self.decided_on or (self.closed_on if self.status == self.Status.CLOSED else None)


class StatusChange(models.Model):
    """One step of a case's status flow: who moved it, when, and why."""

    case = models.ForeignKey(PensionCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("from"), max_length=20, choices=PensionCase.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=PensionCase.Status.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["case", "at"], name="pension_change_case")]

    def __str__(self):
        return f"{self.case} {self.from_status or '-'} → {self.to_status}"


class CaseDocument(CaseDocumentBase):
    case = models.ForeignKey(PensionCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents")

    class Meta(CaseDocumentBase.Meta):
        verbose_name = _("pension case document")
        verbose_name_plural = _("pension case documents")


class CaseNote(CaseNoteBase):
    case = models.ForeignKey(PensionCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="notes")

    class Meta(CaseNoteBase.Meta):
        verbose_name = _("pension case note")
        verbose_name_plural = _("pension case notes")


class CaseNumberSeries(models.Model):
    """The counter of a year's case numbers, allocated under a row lock."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("case number series")
        verbose_name_plural = _("case number series")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Provider(models.TextChoices):
    KPA = "kpa", _("KPA Pension")
    AFA = "afa", _("AFA Försäkring")
    SKANDIA = "skandia", _("Skandia")
    PENSIONSMYNDIGHETEN = "pensionsmyndigheten", _("Swedish Pensions Agency")
    FORSAKRINGSKASSAN = "forsakringskassan", _("Swedish Social Insurance Agency")
    OTHER = "other", _("Other")


class SignalList(models.Model):
    """A list of signals from a pension or insurance provider, to be worked through by its deadline."""

    provider = models.CharField(_("provider"), max_length=30, choices=Provider.choices)
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("handling unit"), on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("deadline"))
    source_filename = models.CharField(_("file"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["imported_at"])

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("signal list")
        verbose_name_plural = _("signal lists")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("received_on")), name="signallist_deadline_after_received"
            ),
        ]

    def __str__(self):
        return f"{self.get_provider_display()}: {self.name}"


class SignalItem(models.Model):
    """One signal of a list: handled as it is, or turned into a pension case."""

    class Signal(models.TextChoices):
        RETIREMENT = "retirement", _("Reaching pension age")
        DEATH = "death", _("Death")
        SICKNESS = "sickness", _("Long-term sickness or disability")
        INJURY = "injury", _("Occupational injury")
        EMPLOYMENT_END = "employment_end", _("Employment ended")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLED = "handled", _("Handled")
        CASE = "case", _("Case opened")

    # The case kind a signal most often gives rise to.
    CASE_KIND = {
        Signal.RETIREMENT: CaseKind.OLD_AGE,
        Signal.DEATH: CaseKind.SURVIVOR,
        Signal.SICKNESS: CaseKind.INSURANCE,
        Signal.INJURY: CaseKind.INSURANCE,
        Signal.EMPLOYMENT_END: CaseKind.OTHER,
        Signal.OTHER: CaseKind.OTHER,
    }

    signal_list = models.ForeignKey(
        SignalList, verbose_name=_("signal list"), on_delete=models.PROTECT, related_name="items"
    )
    row = models.PositiveIntegerField(_("row in file"))
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    signal = models.CharField(_("signal"), max_length=20, choices=Signal.choices)
    event_date = models.DateField(_("event date"))
    due_on = models.DateField(_("due on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        StaffMember, verbose_name=_("handled by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.OneToOneField(
        PensionCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signal_item",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["signal_list", "row"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.UniqueConstraint(fields=["signal_list", "row"], name="signalitem_unique_row"),
            models.CheckConstraint(
                condition=Q(status="open", handled_on__isnull=True) | Q(~Q(status="open"), handled_on__isnull=False),
                name="signalitem_handled_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="case", case__isnull=False) | Q(~Q(status="case"), case__isnull=True),
                name="signalitem_case_status_matches",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="signal_open_due"),
            models.Index(fields=["handled_on"], name="signal_handled"),
        ]

    def __str__(self):
        return f"{self.signal_list_id}:{self.row}"

    @property
    def case_kind(self) -> str:
        return self.CASE_KIND.get(self.signal, CaseKind.OTHER)
