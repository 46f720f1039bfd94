"""Documents and internal notes on a payroll case."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.documents import CaseDocumentBase, CaseNoteBase

from .cases import PayrollCase


class CaseDocument(CaseDocumentBase):
    # No foreign key in PostgreSQL, where the case table is partitioned: triggers check it (payroll.partitions).
    case = models.ForeignKey(
        PayrollCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents", db_constraint=False
    )

    class Meta(CaseDocumentBase.Meta):
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")


class CaseNote(CaseNoteBase):
    # No foreign key in PostgreSQL, where the case table is partitioned: triggers check it (payroll.partitions).
    case = models.ForeignKey(
        PayrollCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="notes", db_constraint=False
    )

    class Meta(CaseNoteBase.Meta):
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
