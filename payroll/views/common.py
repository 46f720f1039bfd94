"""What the payroll pages share: permissions, the unit-scoped case lookup, logging unmasked views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

from people.identity import log_unmasked_view

from .. import selectors
from ..models import PayrollCase

VIEW = "payroll.view_payrollcase"
CHANGE = "payroll.change_payrollcase"


def case_or_404(user, pk) -> PayrollCase:
    try:
        return selectors.case_for(user, pk)
    except PayrollCase.DoesNotExist as exc:
        raise Http404 from exc


def log_people(user, people, context: str) -> None:
    log_unmasked_view(user, list({p.pk: p for p in people if p.protected_identity}.values()), context)


def refused(request, error: ValidationError) -> None:
    """A refused button press (no form to show it on): each message at the top of the next page."""
    for message in error.messages:
        messages.error(request, message)
