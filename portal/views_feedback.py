"""The portal's feedback and complaints: the contact sends them to the complaints register and
follows their own, with the service centre's answers."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.views import form_page
from customers.services import submit_feedback

from . import selectors
from .forms import FeedbackForm
from .views import PORTAL


@permission_required(PORTAL, raise_exception=True)
def feedback_list(request):
    """The contact's own feedback, complaints and disputes, newest first, with their answers."""
    return render(request, "portal/feedback_list.html", {"complaints": selectors.feedback(request.user)})


@permission_required(PORTAL, raise_exception=True)
def feedback_create(request):
    agencies = selectors.agencies(request.user)
    return form_page(
        request,
        FeedbackForm(request.POST or None, agencies=agencies),
        save=lambda data: submit_feedback(sender=request.user, **data),
        success=_("Thank you: your feedback is registered with the service centre."),
        next_url=reverse("portal:feedback_list"),
        template="portal/feedback_form.html",
    )


@permission_required(PORTAL, raise_exception=True)
def message_list(request):
    """The customer messages (kundmeddelanden) the centre sent to the contact's agencies."""
    return render(request, "portal/message_list.html", {"customer_messages": selectors.customer_messages(request.user)})
