from accounts import roles
from pricing.models import PriceItem
from tests.access import Rule, roles_
from tests.factories import PriceItemFactory, PriceListFactory

ADMIN = roles_(roles.ADMINISTRATOR)
READERS = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.FINANCE, roles.ADMINISTRATOR)


def _price_list(w):
    return {"pk": PriceListFactory(year=2040 + PriceListFactory._meta.model.objects.count()).pk}


def _fixed_item(w):
    item = PriceItemFactory(
        price_list=PriceListFactory(year=2040 + PriceListFactory._meta.model.objects.count()),
        item_code="fixed_base",
        kind=PriceItem.Kind.FIXED_MONTHLY,
        price="0",
    )
    return {"pk": item.price_list_id, "item_code": item.item_code}


RULES = {
    "pricing:pricelist_list": Rule(allowed=READERS),
    "pricing:pricelist_create": Rule(allowed=ADMIN),
    "pricing:pricelist_import": Rule(allowed=ADMIN),
    "pricing:pricelist_detail": Rule(allowed=READERS, kwargs=_price_list),
    "pricing:pricelist_edit": Rule(allowed=ADMIN, kwargs=_price_list),
    "pricing:pricelist_new_version": Rule(allowed=ADMIN, kwargs=_price_list),
    "pricing:monthly_amounts_edit": Rule(allowed=ADMIN, kwargs=_fixed_item),
    "pricing:pricelist_freeze": Rule(allowed=ADMIN, kwargs=_price_list, method="post"),
    "pricing:pricelist_decide": Rule(allowed=ADMIN, kwargs=_price_list, method="post"),
}
