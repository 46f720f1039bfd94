"""Reporting reads what the other apps own. Its models are the permissions to see reports, what the head
of service writes into the board's reports (commitments self-assessed, comments and actions on the
indicators, the internal control plan) and who gets the reports by e-mail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TERTIALS = [
    (1, _("Tertial 1 (January–April)")),
    (2, _("Tertial 2 (May–August)")),
    (3, _("Tertial 3 (September–December)")),
]


class Report(models.Model):
    """Never has a row: the holder of the permissions to see reports and dashboards."""

    class Meta:
        default_permissions = ()
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [
            ("view_reports", _("Can see volume and productivity reports (own unit, or all with view_all_units)")),
            ("view_unit_dashboard", _("Can see a unit's dashboard")),
            ("view_service_dashboard", _("Can see the whole service's dashboard and the tertial report")),
            ("view_board_reports", _("Can read the monthly and tertial reports and subscribe to them")),
            (
                "write_board_reports",
                _("Can write the tertial report's self-assessments, comments and actions and the control plan"),
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class _Written(models.Model):
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("written"), auto_now=True)

    class Meta:
        abstract = True


class Commitment(models.Model):
    """A commitment (åtagande) of the year's business plan, followed up every tertial."""

    year = models.PositiveSmallIntegerField(_("year"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("commitment"), max_length=200)
    description = models.TextField(_("what we commit to"), blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["year", "order", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [models.UniqueConstraint(fields=["year", "title"], name="commitment_once_a_year")]

    def __str__(self):
        return f"{self.year}: {self.title}"


class CommitmentAssessment(_Written):
    """The head of service's self-assessment of one commitment for one tertial."""

    class Status(models.TextChoices):
        MET = "met", pgettext_lazy("commitment", "Met")
        PARTLY = "partly", pgettext_lazy("commitment", "Partly met")
        NOT_MET = "not_met", pgettext_lazy("commitment", "Not met")

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="assessments"
    )
    tertial = models.PositiveSmallIntegerField(_("tertial"), choices=TERTIALS)
    status = models.CharField(_("assessment"), max_length=10, choices=Status.choices)
    text = models.TextField(_("self-assessment"))

    class Meta:
        default_permissions = ()
        ordering = ["commitment", "tertial"]
        verbose_name = _("self-assessment of a commitment")
        verbose_name_plural = _("self-assessments of commitments")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "tertial"], name="assessment_once_per_tertial"),
            models.CheckConstraint(condition=Q(tertial__in=(1, 2, 3)), name="assessment_tertial_1_3"),
        ]

    def __str__(self):
        return f"{self.commitment} T{self.tertial}: {self.status}"


class IndicatorComment(_Written):
    """The head of service's comment on a measured indicator of the tertial report, and the action taken."""

    year = models.PositiveSmallIntegerField(_("year"))
    tertial = models.PositiveSmallIntegerField(_("tertial"), choices=TERTIALS)
    indicator = models.CharField(_("indicator"), max_length=40)  # a row code of the tertial report
    comment = models.TextField(_("comment"), blank=True)
    action = models.TextField(pgettext_lazy("indicator", "action"), blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["year", "tertial", "indicator"]
        verbose_name = _("comment on an indicator")
        verbose_name_plural = _("comments on indicators")
        constraints = [
            models.UniqueConstraint(fields=["year", "tertial", "indicator"], name="indicatorcomment_once"),
            models.CheckConstraint(condition=Q(tertial__in=(1, 2, 3)), name="indicatorcomment_tertial_1_3"),
        ]

    def __str__(self):
        return f"{self.year}-T{self.tertial} {self.indicator}"


class ControlPlanItem(_Written):
    """A risk of the year's internal control plan: how likely and how serious, the control, who and when."""

    class Scale(models.IntegerChoices):
        LOW = 1, _("1 – low")
        SOME = 2, _("2 – some")
        HIGH = 3, _("3 – high")
        VERY_HIGH = 4, _("4 – very high")

    year = models.PositiveSmallIntegerField(_("year"))
    risk = models.CharField(_("risk"), max_length=200)
    probability = models.PositiveSmallIntegerField(_("probability"), choices=Scale.choices)
    consequence = models.PositiveSmallIntegerField(_("consequence"), choices=Scale.choices)
    control = models.TextField(_("control"))
    responsible = models.CharField(_("who"), max_length=150)
    schedule = models.CharField(_("when"), max_length=150)

    class Meta:
        default_permissions = ()
        ordering = ["year", "-probability", "-consequence", "id"]
        verbose_name = _("risk of the internal control plan")
        verbose_name_plural = _("internal control plan")
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=1, probability__lte=4, consequence__gte=1, consequence__lte=4),
                name="controlplan_scale_1_4",
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.risk}"

    @property
    def risk_value(self) -> int:
        """Probability × consequence (1–16): the plan is read highest first."""
        return self.probability * self.consequence


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    TERTIAL = "tertial", _("Tertial report")


class ReportSubscription(models.Model):
    """A member of staff who gets a report by e-mail, as PDF, after each close."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        default_permissions = ()
        ordering = ["kind", "user__username"]
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="subscription_once_per_report")]

    def __str__(self):
        return f"{self.user} {self.kind}"


class ReportDelivery(models.Model):
    """One report e-mailed to one member of staff: recorded before it is sent, sent once by a Celery task
    (``reporting.services.delivery``), its outcome kept. ``key`` names the report, its month or tertial and
    the recipient (``monthly:2012-03:7``), so a second run of beat's task makes no second mail."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(_("trigger"), max_length=60, unique=True)
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    scope = models.CharField(_("month or tertial"), max_length=10)  # 2012-03, 2012-T1
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.EmailField(_("address"))
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["-created_at", "-id"]
        verbose_name = _("report e-mailed")
        verbose_name_plural = _("reports e-mailed")
        indexes = [models.Index(fields=["status", "-created_at"], name="delivery_status_created")]

    def __str__(self):
        return f"{self.key} → {self.recipient}"

    def queue_label(self) -> str:
        return str(_("the e-mail %(subject)s")) % {"subject": self.subject}

    def mark_not_queued(self, message: str) -> None:
        self.status, self.error = self.Status.FAILED, message
        self.save(update_fields=["status", "error"])
