"""Price lists in the audit trail (see core.audit); they belong to no unit."""

from django.utils.translation import gettext_lazy as _

from core.audit import AuditedModel

from .models import PriceItem, PriceList

AUDITED = [
    AuditedModel("price_list", _("Price list"), PriceList, None, "pricing:pricelist_detail", "pricing.view_pricelist"),
    AuditedModel("price_item", _("Price-list item"), PriceItem, None),
]
