"""Pension cases in the audit trail (see core.audit): a case belongs to the unit that handles it."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import AuditedModel

from .models import PensionCase

AUDITED = [
    AuditedModel(
        "pension_case",
        _("Pension case"),
        PensionCase,
        lambda units: Q(unit_id__in=units.values("pk")),
        "pensions:case_detail",
        "pensions.view_pensioncase",
    ),
]
