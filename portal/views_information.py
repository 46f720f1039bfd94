"""The portal's information page (issue 24): contact routes, opening hours, services and prices (the
price list in force), the interface document, and the current version of every form."""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import current_period
from customers.views.centre_forms import serve_version
from pricing.services import NoPriceList, price_list_in_force

from . import selectors
from .views import PORTAL


@permission_required(PORTAL, raise_exception=True)
def information(request):
    today = timezone.localdate()
    agencies = [
        {"agency": agency, "agreement": selectors.agreement_in_force(agency, today)}
        for agency in selectors.agencies(request.user).select_related("unit__manager")
    ]
    try:
        price_list = price_list_in_force(current_period())
    except NoPriceList:
        price_list = None
    context = {
        "agencies": agencies,
        "price_list": price_list,
        "price_items": price_list.items.order_by("id") if price_list else [],
        "centre_forms": selectors.centre_forms(),
        "phone": settings.SERVICE_CENTRE_PHONE,
        "email": settings.SERVICE_CENTRE_EMAIL,
    }
    return render(request, "portal/information.html", context)


@permission_required(PORTAL, raise_exception=True)
def form_download(request, pk):
    """The latest version of a form (older versions stay with the centre)."""
    return serve_version(selectors.current_form_version(pk))


@permission_required(PORTAL, raise_exception=True)
def interface_document(request, pk):
    agreement = selectors.agreement(request.user, pk)
    if not agreement.interface_document:
        raise Http404(_("This agreement has no interface document."))
    try:
        handle = agreement.interface_document.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    return FileResponse(handle, as_attachment=True, filename=agreement.download_name)
