"""Finance's side of invoice disputes: the open disputes, and answering one with a reply or a credit
note (invoicing.services.disputes)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.views import form_page

from . import selectors
from .forms import DisputeAnswerForm
from .services import disputes as dispute_service


@permission_required("invoicing.view_invoicedispute", raise_exception=True)
def dispute_list(request):
    show_all = request.GET.get("all") == "1"
    disputes = selectors.disputes_for(request.user, open_only=not show_all)
    return render(request, "invoicing/dispute_list.html", {"disputes": disputes, "show_all": show_all})


@permission_required("invoicing.change_invoicedispute", raise_exception=True)
def dispute_answer(request, pk):
    dispute = selectors.dispute_for(request.user, pk)
    return form_page(
        request,
        DisputeAnswerForm(request.POST or None),
        save=lambda data: dispute_service.answer_dispute(
            dispute=dispute,
            user=request.user,
            answer=data["answer"],
            credit=data["outcome"] == DisputeAnswerForm.CREDIT,
        ),
        success=lambda answered: (
            _("Credit note %(number)s issued and the dispute answered.") % {"number": answered.credit_note.number}
            if answered.credit_note
            else _("The dispute is answered.")
        ),
        next_url=lambda answered: answered.invoice.get_absolute_url(),
        template="invoicing/dispute_answer.html",
        context={"dispute": dispute},
    )
