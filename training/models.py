"""Training and information sessions the centre holds for the agencies (in payroll handling, in Lisa
Självservice, "Smart lönehantering"), counted against the board's target of sessions a year."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Agency
from organisation.models import Unit


class TrainingSession(models.Model):
    class Topic(models.TextChoices):
        PAYROLL = "payroll", _("Payroll handling")
        SELF_SERVICE = "self_service", _("Lisa Självservice")
        SMART = "smart", _("Smart payroll handling")
        PENSION = "pension", _("Pensions and insurance")
        OTHER = "other", _("Other")

    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="+")
    agencies = models.ManyToManyField(Agency, verbose_name=_("agencies"), related_name="training_sessions")
    participants = models.PositiveSmallIntegerField(_("participants"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords(m2m_fields=[agencies])

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [models.CheckConstraint(condition=Q(participants__gte=1), name="training_has_participants")]
        indexes = [models.Index(fields=["held_on"], name="training_held_on")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"
