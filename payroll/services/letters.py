"""The cover letter (följebrev) sent with a returned document.

The letter is dated the day the document was returned and addressed as it was on that day: the
recipient and sender are copied onto the return when it is made (``letter_snapshot``), so printing
it again, after the agency's address or contact changed, gives the same document."""

from core.pdf import render_pdf
from people.identity import display_name, display_personnummer, log_unmasked_view

from ..models import CaseReturn


def letter_snapshot(*, case_return: CaseReturn) -> dict:
    """The recipient and sender of the cover letter as they are now, to keep on the return."""
    agency = case_return.case.agency
    contact = agency.contacts.first()
    sender = case_return.returned_by
    return {
        "agency_name": agency.name,
        "contact_name": contact.name if contact else "",
        "contact_title": contact.title if contact else "",
        "address": agency.address,
        "mailbox": agency.functional_mailbox or (contact.email if contact else ""),
        "sender": sender.get_full_name() or sender.get_username(),
    }


def cover_letter_pdf(*, case_return: CaseReturn, user) -> bytes:
    """The cover letter as PDF: to the agency's primary contact and address, saying exactly
    what is missing and by when the completed document must be back. Dated the day of the
    return. The employee is masked for users who may not see a protected identity; an
    unmasked letter is logged."""
    case = case_return.case
    person = case.person
    log_unmasked_view(user, [person], f"payroll cover letter {case.reference}")
    context = {
        "case": case,
        "case_return": case_return,
        # Returns made before the letter was kept on them are addressed from today's agency.
        "letter": case_return.letter or letter_snapshot(case_return=case_return),
        "employee_name": display_name(person, user, name=case.employee_name),
        "employee_number": display_personnummer(person, user),
        "letter_date": case_return.returned_on,
    }
    return render_pdf("payroll/pdf/cover_letter.html", context)
