"""The cover letter (följebrev) sent with a returned document."""

from django.utils import timezone

from core.pdf import render_pdf
from people.identity import display_name, display_personnummer, log_unmasked_view

from ..models import CaseReturn


def cover_letter_pdf(*, case_return: CaseReturn, user) -> bytes:
    """The cover letter as PDF: to the agency's primary contact and address, saying exactly
    what is missing and by when the completed document must be back. The employee is
    masked for users who may not see a protected identity; an unmasked letter is logged."""
    case = case_return.case
    agency = case.agency
    person = case.person
    log_unmasked_view(user, [person], f"payroll cover letter {case.reference}")
    context = {
        "case": case,
        "case_return": case_return,
        "agency": agency,
        "contact": agency.contacts.first(),
        "employee_name": display_name(person, user),
        "employee_number": display_personnummer(person, user),
        "sender": case_return.returned_by,
        "today": timezone.localdate(),
    }
    return render_pdf("payroll/pdf/cover_letter.html", context)
