"""The centre's costs: the cost budget per year, unit and cost type, the ledger's actual costs per
month, and how the ledger's accounts (konto) and cost centres (ansvar) map onto them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.periods import validate_period
from organisation.models import Unit
from pricing.models import PriceList


class CostType(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    PREMISES = "premises", _("Premises")
    IT = "it", _("IT and licences")
    OVERHEAD = "overhead", _("Administration overhead")


class CostBudget(models.Model):
    """What the year's plan gives a unit for one cost type (SEK)."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    cost_type = models.CharField(_("cost type"), max_length=20, choices=CostType.choices)
    amount = models.DecimalField(_("budget (SEK)"), max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["year", "unit__name", "cost_type"]
        verbose_name = _("cost budget")
        verbose_name_plural = _("cost budgets")
        permissions = [("view_economy", _("Can see the economy: revenue, cost and result"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "cost_type"], name="cost_budget_one_per_unit_and_type"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_budget_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="cost_budget_year_in_range"),
        ]

    def __str__(self):
        return f"{self.year} {self.unit} {self.get_cost_type_display()}: {self.amount}"


class LedgerAccount(models.Model):
    """An account (konto) of the ledger and the cost type its costs count as."""

    account = models.CharField(_("account"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    cost_type = models.CharField(_("cost type"), max_length=20, choices=CostType.choices)

    class Meta:
        ordering = ["account"]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")

    def __str__(self):
        return f"{self.account} {self.name}".strip()


class CostCentre(models.Model):
    """A cost centre (ansvar) of the ledger: a unit's, or the whole service's (no unit) for costs
    shared by every unit, such as the head of service's office and the administration's overhead."""

    code = models.CharField(_("cost centre"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("cost centre")
        verbose_name_plural = _("cost centres")

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class ActualCost(models.Model):
    """One row of the ledger's costs for a month, as imported; a month imported again is replaced."""

    period = models.CharField(_("month"), max_length=7, validators=[validate_period])
    cost_centre = models.ForeignKey(CostCentre, verbose_name=_("cost centre"), on_delete=models.PROTECT)
    account = models.ForeignKey(LedgerAccount, verbose_name=_("account"), on_delete=models.PROTECT)
    # Copied from the mappings at import, so that a later change of a mapping does not rewrite history.
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cost_type = models.CharField(_("cost type"), max_length=20, choices=CostType.choices)
    amount = models.DecimalField(_("amount (SEK)"), max_digits=14, decimal_places=2)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["period", "cost_centre__code", "account__account"]
        verbose_name = _("actual cost")
        verbose_name_plural = _("actual costs")
        permissions = [("import_costs", _("Can import actual costs and cost budgets"))]
        indexes = [models.Index(fields=["period", "unit"], name="actual_cost_period_unit")]

    def __str__(self):
        return f"{self.period} {self.cost_centre.code} {self.account.account}: {self.amount}"


class PriceScenario(models.Model):
    """A saved run of the price-model simulator: the inputs it was computed from, the model chosen and
    the result of all three models as computed then (``economy.simulator``)."""

    class Model(models.TextChoices):
        PER_ITEM = "per_item", _("Per-item prices")
        FIXED = "fixed", _("Fixed yearly price")
        MIX = "mix", _("Fixed base and per-item prices")

    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year priced"))
    model = models.CharField(_("chosen model"), max_length=20, choices=Model.choices)
    inputs = models.JSONField(_("inputs"))
    result = models.JSONField(_("result"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    price_list = models.ForeignKey(
        PriceList,
        verbose_name=_("draft price list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("price scenario")
        verbose_name_plural = _("price scenarios")
        permissions = [("simulate_prices", _("Can simulate next year's prices and save scenarios"))]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="price_scenario_year_in_range"),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    @property
    def chosen(self) -> dict:
        return self.result.get(self.model, {})
