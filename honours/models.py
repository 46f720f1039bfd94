"""The city's honour awards for long service (hedersbelöningar): who qualifies in a year, the
decision, the ceremony, the gift and its delivery; and the time the centre spends on them, which
is counted outside payroll productivity."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Agency
from organisation.models import Unit
from people.models import Person

# Years of service that give the award.
SERVICE_YEARS = 25


class HonourAward(models.Model):
    class Source(models.TextChoices):
        PAY = "pay", _("Pay on record")
        LIST = "list", _("Imported list")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    class Gift(models.TextChoices):
        WATCH = "watch", _("Watch")
        JEWELLERY = "jewellery", _("Jewellery")
        GLASS = "glass", _("Glass or art")
        GIFT_CARD = "gift_card", _("Gift card")
        OTHER = "other", _("Other")

    year = models.PositiveSmallIntegerField(_("year"))
    person = models.ForeignKey(Person, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    employed_since = models.DateField(_("employed since"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    ceremony_on = models.DateField(_("ceremony"), null=True, blank=True)
    gift = models.CharField(_("gift"), max_length=12, choices=Gift.choices, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "agency__code", "person__name"]
        verbose_name = _("honour award")
        verbose_name_plural = _("honour awards")
        constraints = [
            models.UniqueConstraint(fields=["person"], name="honouraward_once_per_person"),
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_on__isnull=False), name="honouraward_decision_dated"
            ),
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True) | Q(decision="approved", gift__gt=""),
                name="honouraward_delivered_when_approved",
            ),
        ]
        indexes = [models.Index(fields=["year", "agency"], name="honouraward_year_agency")]

    def __str__(self):
        return f"{self.year} #{self.pk}"

    @property
    def delivered(self) -> bool:
        return self.delivered_on is not None


class HonoursWork(models.Model):
    """The FTE a unit spends administering the awards in a year (0.18 in 2025): taken out of the
    unit's payroll-administrator FTE before productivity is computed."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    fte = models.DecimalField(_("FTE"), max_digits=5, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit__code"]
        verbose_name = _("time spent on honour awards")
        verbose_name_plural = _("time spent on honour awards")
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="honourswork_one_per_unit_year"),
            models.CheckConstraint(condition=Q(fte__gte=0) & Q(fte__lte=10), name="honourswork_fte_range"),
        ]

    def __str__(self):
        return f"{self.year} {self.fte}"
