"""Customer messages (kundmeddelanden): the sent ones, and writing one to all agencies or chosen ones."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import CustomerMessageForm
from .common import edit_page


@permission_required("customers.view_customermessage", raise_exception=True)
def message_list(request):
    return render(
        request, "customers/message_list.html", {"messages_sent": selectors.customer_messages_for(request.user)}
    )


@permission_required("customers.add_customermessage", raise_exception=True)
def message_create(request):
    agencies = selectors.agencies_for(request.user).filter(selectors.active_q())
    form = CustomerMessageForm(request.POST or None, agencies=agencies)
    return edit_page(
        request,
        form,
        save=lambda data: services.send_customer_message(
            author=request.user,
            subject=data["subject"],
            body=data["body"],
            agencies=None if data["to_all"] else data["agencies"],
        ),
        success=lambda message: _("The message was sent to %(n)s agencies.") % {"n": message.agencies.count()},
        next_url=reverse("customers:message_list"),
        title=_("New customer message"),
        cancel_url=reverse("customers:message_list"),
        submit=_("Send"),
    )
