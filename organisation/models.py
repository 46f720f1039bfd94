"""The service centre itself: its units and teams, the people who work there, and the
board's targets (one table read by every page and report)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Unit(models.Model):
    """A unit of the service centre (a payroll unit or the pension unit) with its manager."""

    class Kind(models.TextChoices):
        PAYROLL = "payroll", _("Payroll unit")
        PENSION = "pension", _("Pension unit")

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAYROLL)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_units",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        permissions = [("view_all_units", _("Can see every unit's agencies, cases and figures"))]

    def __str__(self):
        return self.name


class Team(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["unit__name", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="team_unique_name_in_unit")]

    def __str__(self):
        return f"{self.unit} / {self.name}"


class StaffMember(models.Model):
    """Someone working at the service centre; a user's unit decides what they see."""

    class Category(models.TextChoices):
        """The staff categories of the 2025 plan (seed 001): FTE is counted per category."""

        PAYROLL_ADMIN = "payroll_admin", _("Payroll administrator")
        PENSION_HANDLER = "pension_handler", _("Pension handler")
        MANAGER = "manager", _("Unit manager")
        DEVELOPER = "developer", _("Developer")
        ASSISTANT = "assistant", _("Assistant")
        HEAD_OF_SERVICE = "head_of_service", _("Head of service")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
    )
    name = models.CharField(_("name"), max_length=150)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff")
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="staff"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__name", "name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self):
        return self.name


class UnitLoan(models.Model):
    """A staff member lent to another unit for a period: it is the lending unit's manager's decision,
    and during the loan (both days included) the staff member works on that unit's cases too."""

    staff_member = models.ForeignKey(
        StaffMember, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="loans"
    )
    to_unit = models.ForeignKey(Unit, verbose_name=_("lent to"), on_delete=models.PROTECT, related_name="loans_in")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    ended_early_on = models.DateField(_("ended early on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("loan to another unit")
        verbose_name_plural = _("loans to other units")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="unitloan_ends_after_start"),
        ]
        indexes = [models.Index(fields=["staff_member", "starts_on", "ends_on"], name="unitloan_active")]

    def __str__(self):
        return f"{self.staff_member} → {self.to_unit} {self.starts_on}–{self.ends_on}"

    @property
    def last_day(self):
        return self.ended_early_on or self.ends_on

    def is_active(self, day) -> bool:
        return self.starts_on <= day <= self.last_day


class Target(models.Model):
    """A target the board has set for an indicator, from a year on (it holds until a later row)."""

    class Indicator(models.TextChoices):
        PAYSLIPS_PER_PAYROLL_FTE = "payslips_per_payroll_fte", _("Payslips per payroll-administrator FTE a month")
        PAYSLIPS_PER_FTE = (
            "payslips_per_fte",
            _("Payslips per FTE, payroll and pension staff, average month (followed up per tertial)"),
        )
        RETIREMENTS_PER_PENSION_FTE = "retirements_per_pension_fte", _("Pension retirements per pension FTE a year")
        PHONE_WITHIN_25S = "phone_within_25s", _("Calls answered within 25 seconds (%)")
        FIRST_CONTACT = "first_contact", _("First-contact resolution (%)")
        EMAIL_WITHIN_DAY = "email_within_day", _("E-mail answered within one day (%)")
        CUSTOMER_MEETINGS = "customer_meetings", _("Customer meetings a year")
        CUSTOMER_MEETINGS_PER_AGENCY = "customer_meetings_per_agency", _("Customer meetings per agency a year")
        SATISFIED_CUSTOMERS = "satisfied_customers", _("Satisfied customers (%)")
        SICK_LEAVE = "sick_leave", _("Sick leave at most (%)")
        SICK_LEAVE_SHORT = "sick_leave_short", _("Short-term sick leave, days 1–14, at most (%)")
        NKI = "nki", _("Customer satisfaction index (NKI)")
        REVENUE_BUDGET = "revenue_budget", _("Revenue budget for the year (SEK)")
        TRAINING_SESSIONS = "training_sessions", _("Training sessions for agencies a year")
        ERROR_RATE = "error_rate", _("Corrected payments per 10,000 payslips at most")

    # Indicators where a lower figure is better.
    LOWER_IS_BETTER = {Indicator.SICK_LEAVE, Indicator.SICK_LEAVE_SHORT, Indicator.ERROR_RATE}

    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(_("from year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "-year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_one_per_indicator_and_year"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_indicator_display()} {self.year}: {self.value}"
