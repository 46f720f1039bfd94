from accounts import roles
from tests.access import Rule, roles_
from tests.factories import PriceListFactory

ADMIN = roles_(roles.ADMINISTRATOR)
READERS = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.FINANCE, roles.ADMINISTRATOR)


def _price_list(w):
    return {"pk": PriceListFactory(year=2040 + PriceListFactory._meta.model.objects.count()).pk}


RULES = {
    "pricing:pricelist_list": Rule(allowed=READERS),
    "pricing:pricelist_create": Rule(allowed=ADMIN),
    "pricing:pricelist_import": Rule(allowed=ADMIN),
    "pricing:pricelist_detail": Rule(allowed=READERS, kwargs=_price_list),
    "pricing:pricelist_edit": Rule(allowed=ADMIN, kwargs=_price_list),
    "pricing:pricelist_new_version": Rule(allowed=ADMIN, kwargs=_price_list),
    "pricing:pricelist_freeze": Rule(allowed=ADMIN, kwargs=_price_list, method="post"),
    "pricing:pricelist_decide": Rule(allowed=ADMIN, kwargs=_price_list, method="post"),
}
