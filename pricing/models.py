from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers.models import Agency

# Payroll items are named after the channels (payroll.models.Channel); pension work has its own item.
PENSION_CASE = "pension_case"


class PriceList(models.Model):
    """The prices set by the board for a year. Versioned: a list used on an
    issued invoice is frozen, and a change makes a new version."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    effective_from = models.DateField(
        _("effective from"), help_text=_("The first day the version applies; normally 1 January.")
    )
    note = models.TextField(_("note"), blank=True)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    # A draft (next year's prices from a price scenario) is never in force until it is decided.
    decided = models.BooleanField(
        _("decided"), default=True, help_text=_("A draft is not in force, nor offered for a reissue, until decided.")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("new version of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_versions",
    )

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        permissions = [
            ("import_price_list", _("Can import a price list from a file")),
            ("freeze_pricelist", _("Can freeze a price list")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="pricelist_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="pricelist_version_positive"),
            # Only a decided list prices an invoice, so a frozen list is a decided one.
            models.CheckConstraint(
                condition=Q(decided=True) | Q(frozen_at__isnull=True), name="pricelist_draft_not_frozen"
            ),
        ]

    def __str__(self):
        return f"{self.year} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class PriceItem(models.Model):
    """One priced item. ``base_item`` names an item of the same list whose price is
    included: manual (95) = self-service (58) + surcharge 37."""

    class Kind(models.TextChoices):
        PER_UNIT = "per_unit", _("price per unit")
        FIXED_MONTHLY = "fixed_monthly", _("fixed monthly amount per agency")

    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.PER_UNIT,
        help_text=_(
            "A fixed monthly amount is invoiced every month at each agency's own amount (below), "
            "whatever the volumes; its price is not used."
        ),
    )
    item_code = models.SlugField(_("item code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    price = models.DecimalField(_("price (SEK)"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    base_item = models.ForeignKey(
        "self",
        verbose_name=_("included base item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surcharged_items",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["price_list", "id"]
        verbose_name = _("price-list item")
        verbose_name_plural = _("price-list items")
        constraints = [
            models.UniqueConstraint(fields=["price_list", "item_code"], name="priceitem_unique_code_in_list"),
            models.CheckConstraint(condition=Q(price__gte=0), name="priceitem_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.item_code} {self.price}"

    @property
    def is_fixed_monthly(self) -> bool:
        return self.kind == self.Kind.FIXED_MONTHLY

    @property
    def base_price(self) -> Decimal | None:
        return self.base_item.price if self.base_item_id else None

    @property
    def surcharge(self) -> Decimal | None:
        return self.price - self.base_item.price if self.base_item_id else None


class AgencyMonthlyAmount(models.Model):
    """An agency's own amount for a fixed monthly item of a price-list version: the close invoices
    it once a month, as a line of quantity 1 (month), whatever the month's volumes."""

    item = models.ForeignKey(
        PriceItem, verbose_name=_("price-list item"), on_delete=models.PROTECT, related_name="agency_amounts"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="monthly_amounts"
    )
    amount = models.DecimalField(_("amount per month (SEK)"), max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "agency__code"]
        verbose_name = _("fixed monthly amount")
        verbose_name_plural = _("fixed monthly amounts")
        constraints = [
            models.UniqueConstraint(fields=["item", "agency"], name="agencymonthlyamount_unique_agency_in_item"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="agencymonthlyamount_not_negative"),
        ]

    def __str__(self):
        return f"{self.item.item_code} {self.agency_id} {self.amount}"
