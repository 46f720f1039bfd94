"""The e-mails to an agency: the record on its page, and sending a failed one again."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import notices, selectors
from ..models import AgencyNotice


@require_POST
@permission_required("customers.resend_agencynotice", raise_exception=True)
def notice_resend(request, pk):
    notice = selectors.notice_for(request.user, pk)
    if notice.status != AgencyNotice.Status.FAILED:
        messages.error(request, _("Only an e-mail whose sending failed can be sent again."))
    else:
        notices.resend(notice)
        messages.success(request, _("The e-mail “%(subject)s” is queued again.") % {"subject": notice.subject})
    return redirect(reverse("customers:agency_detail", args=[notice.agency_id]) + "#notices")
