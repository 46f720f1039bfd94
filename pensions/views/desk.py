"""Documents and notes on a pension case."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.documents import DocumentForm, NoteForm, document_response
from people.identity import require_sight_of

from .. import selectors, services
from ..models import CaseDocument
from .common import CHANGE, VIEW, case_or_404


def _case_url(case) -> str:
    return reverse("pensions:case_detail", args=[case.pk])


def _messages(request, errors) -> None:
    for message in errors:
        messages.error(request, message)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def document_add(request, pk):
    case = case_or_404(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        _messages(request, [m for errors in form.errors.values() for m in errors])
    else:
        try:
            services.attach_document(case=case, user=request.user, upload=form.cleaned_data["document"])
        except ValidationError as error:
            _messages(request, error.messages)
        else:
            messages.success(request, _("The document is attached to case %(ref)s.") % {"ref": case.number})
    return redirect(f"{_case_url(case)}#documents")


@permission_required(VIEW, raise_exception=True)
def document(request, pk):
    """One document, only to those who may see its case; a protected person's only to those who may
    see protected identities (and logged)."""
    try:
        doc = CaseDocument.objects.select_related("case__person").get(
            pk=pk, case__in=selectors.cases_for(request.user).values("pk")
        )
    except CaseDocument.DoesNotExist as exc:
        raise Http404 from exc
    require_sight_of(request.user, doc.case.person, f"pensions: document {doc.case.number}")
    return document_response(doc)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def note_add(request, pk):
    case = case_or_404(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        _messages(request, [m for errors in form.errors.values() for m in errors])
        return redirect(f"{_case_url(case)}#notes")
    try:
        note = services.add_note(case=case, user=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        _messages(request, error.messages)
        return redirect(f"{_case_url(case)}#notes")
    messages.success(request, _("The note is saved."))
    return redirect(f"{_case_url(case)}#note-{note.pk}")
