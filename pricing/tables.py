import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import PriceItem, PriceList

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class PriceListTable(tables.Table):
    year = tables.Column(
        verbose_name=_("Year"), linkify=("pricing:pricelist_detail", {"pk": tables.A("pk")}), localize=False
    )
    version = tables.Column(
        verbose_name=_("Version"), linkify=("pricing:pricelist_detail", {"pk": tables.A("pk")}), attrs=NUM
    )
    effective_from = tables.DateColumn(verbose_name=_("Effective from"), format="Y-m-d")
    item_count = tables.Column(verbose_name=_("Items"), attrs=NUM, orderable=False)
    status = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)
    note = tables.Column(verbose_name=_("Note"), orderable=False, default="")

    class Meta:
        model = PriceList
        fields = ["year", "version", "effective_from", "item_count", "status", "note"]
        empty_text = _("There are no price lists yet.")

    def __init__(self, *args, in_force_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.in_force_ids = set(in_force_ids)

    def render_status(self, record):
        parts = []
        if record.frozen_at:
            parts.append(format_html('<span class="badge">{}</span>', _("Frozen")))
        else:
            parts.append(format_html('<span class="badge warn">{}</span>', _("Open for changes")))
        if not record.decided:
            parts.append(format_html('<span class="badge bad">{}</span>', _("Draft, not decided")))
        if record.pk in self.in_force_ids:
            parts.append(format_html('<span class="badge ok">{}</span>', _("In force today")))
        return format_html_join(" ", "{}", ((part,) for part in parts))

    def render_note(self, value):
        return value if len(value) <= 80 else value[:77] + "…"


class PriceItemTable(tables.Table):
    item_code = tables.Column(verbose_name=_("Item code"))
    name = tables.Column(verbose_name=_("Name"))
    unit = tables.Column(verbose_name=_("Unit"))
    price = tables.Column(verbose_name=_("Price per unit (SEK)"), attrs=NUM)
    kind = tables.Column(verbose_name=_("Kind"))
    base_item = tables.Column(verbose_name=_("Includes"), default="—", orderable=False)
    base_price = tables.Column(verbose_name=_("Base price"), attrs=NUM, orderable=False, empty_values=())
    surcharge = tables.Column(verbose_name=_("Surcharge"), attrs=NUM, orderable=False, empty_values=())
    note = tables.Column(verbose_name=_("Note"), orderable=False, default="")

    class Meta:
        model = PriceItem
        fields = ["item_code", "name", "unit", "price", "kind", "base_item", "base_price", "surcharge", "note"]
        orderable = False
        empty_text = _("The price list has no items.")

    def render_item_code(self, value):
        return format_html("<code>{}</code>", value)

    def render_base_item(self, value):
        return format_html("<code>{}</code>", value.item_code)

    def render_base_price(self, record):
        return record.base_price if record.base_item_id else "—"

    def render_surcharge(self, record):
        return f"+ {number_format(record.surcharge, 2, use_l10n=True)}" if record.base_item_id else "—"
