"""The tax agency's person register (EPS): the files it sends, and the signals each change gives
the units that handle the person's payroll and pension work.

A file updates the name, address, protected identity and death of people the centre already
knows (``register.imports``). Every change that matters to a handler becomes a ``PersonSignal`` in
the queue of each unit with work for that person, due by the file's deadline; a death also lists
the person's open cases and payments not yet made (``FlaggedWork``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisation.models import Unit
from payroll.models import PayrollCase
from pensions.models import PensionCase
from people.models import Person


class RegisterFile(models.Model):
    """One delivery from EPS, imported all or nothing."""

    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("deadline"))
    source_filename = models.CharField(_("file"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    people_changed = models.PositiveIntegerField(_("people changed"), default=0)
    unknown_rows = models.PositiveIntegerField(_("rows of people not known"), default=0)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("person register file")
        verbose_name_plural = _("person register files")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("received_on")), name="registerfile_deadline_after_received"
            ),
        ]

    def __str__(self):
        return f"EPS {self.received_on:%Y-%m-%d} #{self.pk}"


class PersonSignal(models.Model):
    """One change to a person, for one unit that has work for them, handled by the deadline."""

    class Kind(models.TextChoices):
        NAME = "name", _("New name")
        ADDRESS = "address", _("New address")
        PROTECTION_ADDED = "protection_added", _("Protected identity added")
        PROTECTION_REMOVED = "protection_removed", _("Protected identity removed")
        DEATH = "death", _("Deceased")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLED = "handled", _("Handled")

    register_file = models.ForeignKey(
        RegisterFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="signals"
    )
    row = models.PositiveIntegerField(_("row in file"))
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    # The unit whose agencies or pension work the person belongs to; none: nobody's yet (head of service).
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    old_value = models.CharField(_("before"), max_length=400, blank=True)
    new_value = models.CharField(_("after"), max_length=400, blank=True)
    # The values were a protected person's (before or after the change): masked like the person.
    protected = models.BooleanField(_("protected values"), default=False)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "register_file", "row", "id"]
        verbose_name = _("person register signal")
        verbose_name_plural = _("person register signals")
        constraints = [
            models.UniqueConstraint(
                fields=["register_file", "row", "kind", "unit"], name="personsignal_unique_change_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(status="open", handled_on__isnull=True) | Q(~Q(status="open"), handled_on__isnull=False),
                name="personsignal_handled_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_on"], name="personsignal_queue"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class FlaggedWork(models.Model):
    """What a death signal flagged: an open case, or a payment not yet made, at the time of the file."""

    class Reason(models.TextChoices):
        OPEN_CASE = "open_case", _("Open case")
        UNPAID = "unpaid", _("Payment not yet made")

    signal = models.ForeignKey(PersonSignal, verbose_name=_("signal"), on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
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
    pension_case = models.ForeignKey(
        PensionCase, verbose_name=_("pension case"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["signal", "id"]
        verbose_name = _("flagged work")
        verbose_name_plural = _("flagged work")
        constraints = [
            models.CheckConstraint(
                condition=Q(payroll_case__isnull=False, pension_case__isnull=True)
                | Q(payroll_case__isnull=True, pension_case__isnull=False),
                name="flaggedwork_one_case",
            ),
        ]

    def __str__(self):
        return self.get_reason_display()

    @property
    def case(self):
        return self.payroll_case or self.pension_case
