"""Staffing in FTE (årsarbetare) month by month, absences, and the service indicators
that are not case volumes: the phone service's monthly figures and the yearly customer survey."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.periods import PERIOD_REGEX, validate_period
from customers.models import Agency
from organisation.models import StaffMember, Unit

Category = StaffMember.Category


class MonthlyFte(models.Model):
    """The FTE a unit had in one staff category in a month (part-time, leave and sick leave reduce it)."""

    period = models.CharField(_("month"), max_length=7, validators=[validate_period])
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="monthly_fte")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    fte = models.DecimalField(_("FTE"), max_digits=7, decimal_places=2)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-period", "unit__name", "category"]
        verbose_name = _("FTE for a month")
        verbose_name_plural = _("FTE per month")
        permissions = [("import_fte", _("Can import FTE files for every unit"))]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "category"], name="monthlyfte_one_per_category"),
            models.CheckConstraint(condition=Q(fte__gte=0), name="monthlyfte_not_negative"),
            models.CheckConstraint(condition=Q(period__regex=PERIOD_REGEX), name="monthlyfte_period_format"),
        ]
        indexes = [models.Index(fields=["period", "category"], name="fte_period_category")]

    def __str__(self):
        return f"{self.period} {self.unit.code} {self.category}: {self.fte}"


class Absence(models.Model):
    """A staff member's absence, whole or part of the day (extent in per cent)."""

    class Kind(models.TextChoices):
        SICK = "sick", _("Sick leave")
        PARENTAL = "parental", _("Parental leave")
        VACATION = "vacation", _("Vacation")
        OTHER = "other", _("Other leave")

    staff_member = models.ForeignKey(
        StaffMember, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="absences"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SICK)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    extent = models.PositiveSmallIntegerField(_("extent (%)"), default=100)
    note = models.CharField(_("note"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_day", "-id"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="absence_period_ordered"),
            models.CheckConstraint(condition=Q(extent__gte=1, extent__lte=100), name="absence_extent_percent"),
        ]
        indexes = [models.Index(fields=["first_day", "last_day"], name="absence_days")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.first_day}–{self.last_day}"


class PhoneServiceMonth(models.Model):
    """The phone service's (löneservice) figures for a month, from the telephony system."""

    period = models.CharField(_("month"), max_length=7, unique=True, validators=[validate_period])
    calls = models.PositiveIntegerField(_("calls offered"))
    answered_25s = models.PositiveIntegerField(_("answered within 25 seconds"))
    first_contact_resolved = models.PositiveIntegerField(_("resolved at first contact"))
    emails = models.PositiveIntegerField(_("e-mails received"))
    emails_within_1d = models.PositiveIntegerField(_("e-mails answered within one working day"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-period"]
        verbose_name = _("phone service month")
        verbose_name_plural = _("phone service figures")
        constraints = [
            models.CheckConstraint(condition=Q(period__regex=PERIOD_REGEX), name="phone_period_format"),
            models.CheckConstraint(condition=Q(answered_25s__lte=models.F("calls")), name="phone_answered_le_calls"),
            models.CheckConstraint(
                condition=Q(first_contact_resolved__lte=models.F("calls")), name="phone_first_contact_le_calls"
            ),
            models.CheckConstraint(
                condition=Q(emails_within_1d__lte=models.F("emails")), name="phone_emails_in_time_le_emails"
            ),
        ]

    def __str__(self):
        return self.period


class CustomerSurvey(models.Model):
    """The yearly customer survey's result: share of satisfied customers and the NKI."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    satisfied_pct = models.DecimalField(_("satisfied customers (%)"), max_digits=5, decimal_places=1)
    nki = models.DecimalField(_("customer satisfaction index (NKI)"), max_digits=5, decimal_places=1)
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("customer survey result")
        verbose_name_plural = _("customer survey results")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfied_pct__gte=0, satisfied_pct__lte=100), name="survey_satisfied_percent"
            ),
            models.CheckConstraint(condition=Q(nki__gte=0, nki__lte=100), name="survey_nki_0_100"),
        ]

    def __str__(self):
        return str(self.year)


class SurveyScore(models.Model):
    """The survey's NKI for one service area, for the whole area (no agency) or one agency's answers."""

    class Area(models.TextChoices):
        PAYROLL = "payroll", _("Payroll")
        PENSION = "pension", _("Pension administration")

    survey = models.ForeignKey(
        CustomerSurvey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="scores"
    )
    area = models.CharField(_("service area"), max_length=10, choices=Area.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nki = models.DecimalField(_("customer satisfaction index (NKI)"), max_digits=5, decimal_places=1)
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "area", "agency__code"]
        verbose_name = _("NKI per service area and agency")
        verbose_name_plural = _("NKI per service area and agency")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "area", "agency"],
                condition=Q(agency__isnull=False),
                name="surveyscore_once_per_agency",
            ),
            models.UniqueConstraint(
                fields=["survey", "area"], condition=Q(agency__isnull=True), name="surveyscore_once_per_area"
            ),
            models.CheckConstraint(condition=Q(nki__gte=0, nki__lte=100), name="surveyscore_nki_0_100"),
        ]

    def __str__(self):
        return f"{self.survey.year} {self.area} {self.agency_id or '-'}: {self.nki}"


class Enquiry(models.Model):
    """A question to the phone service (löneservice) by phone or e-mail: who asked, about what, and
    whether it was resolved at the first contact. An e-mail is promised an answer within a day (seed
    000: "inom ett dygn"): it waits in the queue until answered."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")

    class Topic(models.TextChoices):
        SALARY = "salary", _("Salary or payment")
        PAYSLIP = "payslip", _("Payslip")
        TAX = "tax", _("Tax")
        ABSENCE = "absence", _("Absence or leave")
        EMPLOYMENT = "employment", _("Employment or terms")
        SELF_SERVICE = "self_service", _("Lisa Self-service")
        PENSION = "pension", _("Pension or insurance")
        OTHER = "other", _("Other")

    ANSWER_WITHIN_HOURS = 24

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="enquiries")
    asked_by = models.CharField(_("who asked"), max_length=150)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    resolved_first_contact = models.BooleanField(_("resolved at first contact"), default=False)
    received_at = models.DateTimeField(_("received"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=models.F("received_at")),
                name="enquiry_answered_after_received",
            ),
        ]
        indexes = [
            models.Index(fields=["received_at"], name="enquiry_received"),
            models.Index(fields=["channel", "received_at"], condition=Q(answered_at__isnull=True), name="enquiry_open"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def answer_due(self):
        return self.received_at + dt.timedelta(hours=self.ANSWER_WITHIN_HOURS)

    @property
    def answered_in_time(self) -> bool | None:
        if self.channel != self.Channel.EMAIL or self.answered_at is None:
            return None
        return self.answered_at <= self.answer_due


class Skill(models.Model):
    """One line of the skills matrix: a staff member can handle an agency, or a type of case. Read when
    a manager lends a handler to another unit (who knows that unit's agencies and work)."""

    class CaseType(models.TextChoices):
        # The documents of payroll (payroll.DocumentType, seed 002) and the work of pensions.
        NEW_HIRE = "new_hire", _("New hire")
        CHANGE = "change", _("Change of employment or terms")
        TERMINATION = "termination", _("Termination of employment")
        ADDITIONS_DEDUCTIONS = "additions_deductions", _("Additions and deductions")
        TAX_AGENCY = "tax_agency", _("Decision from the Tax Agency")
        ENFORCEMENT = "enforcement", _("Decision from the Enforcement Authority")
        SOCIAL_INSURANCE = "social_insurance", _("Decision from the Social Insurance Agency")
        URGENT_PAYOUT = "urgent_payout", _("Urgent payout (Girovision)")
        OLD_AGE_PENSION = "old_age_pension", _("Old-age pension")
        SURVIVOR_PENSION = "survivor_pension", _("Survivor pension")
        INSURANCE = "insurance", _("Insurance case")
        SIGNAL_LISTS = "signal_lists", _("Signal lists")

    staff_member = models.ForeignKey(
        StaffMember, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="skills"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, null=True, blank=True, related_name="skills"
    )
    case_type = models.CharField(_("case type"), max_length=30, choices=CaseType.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["staff_member__name", "case_type", "agency__code"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False) & Q(case_type="")) | (Q(agency__isnull=True) & ~Q(case_type="")),
                name="skill_agency_or_case_type",
            ),
            models.UniqueConstraint(
                fields=["staff_member", "agency"], condition=Q(agency__isnull=False), name="skill_unique_agency"
            ),
            models.UniqueConstraint(
                fields=["staff_member", "case_type"], condition=~Q(case_type=""), name="skill_unique_case_type"
            ),
        ]

    def __str__(self):
        return f"{self.staff_member}: {self.agency.code if self.agency_id else self.get_case_type_display()}"
