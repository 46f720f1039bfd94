"""Documents and internal notes on a payroll case."""

from django.core.exceptions import PermissionDenied

from core.documents import clean_note, store_document

from ..models import CaseDocument, CaseNote, PayrollCase

CHANGE = "payroll.change_payrollcase"


def attach_document(*, case: PayrollCase, user, upload) -> CaseDocument:
    """A scanned or e-mailed document kept with the case (PDF or image, checked by core.documents)."""
    if not user.has_perm(CHANGE):
        raise PermissionDenied
    return store_document(CaseDocument, case=case, user=user, upload=upload, folder="payroll")


def add_note(*, case: PayrollCase, user, text: str) -> CaseNote:
    """An internal note on the case, with who wrote it and when."""
    if not user.has_perm(CHANGE):
        raise PermissionDenied
    return CaseNote.objects.create(case=case, author=user, text=clean_note(text))
