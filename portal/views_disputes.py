"""Disputing an invoice line from the portal (invoicing.services.disputes): the dispute is a complaint
linked to the invoice and line; finance answers with a reply or a credit note, and the outcome shows on
the invoice's page in the portal."""

from django.contrib.auth.decorators import permission_required
from django.urls import reverse
from django.utils.translation import gettext as _

from core.views import form_page
from invoicing.services.disputes import open_dispute

from . import selectors
from .forms import DisputeForm
from .views import PORTAL


@permission_required(PORTAL, raise_exception=True)
def invoice_dispute(request, pk):
    invoice = selectors.invoice(request.user, pk)
    return form_page(
        request,
        DisputeForm(request.POST or None, invoice=invoice),
        save=lambda data: open_dispute(invoice=invoice, line=data["line"], reason=data["reason"], user=request.user),
        success=_("Your dispute of invoice %(number)s is with the service centre's finance.")
        % {"number": invoice.number},
        next_url=reverse("portal:invoice_detail", args=[invoice.pk]) + "#disputes",
        template="portal/invoice_dispute.html",
        context={"invoice": invoice},
    )
