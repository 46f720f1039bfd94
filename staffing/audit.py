"""The FTE entered per month and the skills matrix in the audit trail (see core.audit)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import AuditedModel

from .models import MonthlyFte, Skill

AUDITED = [
    AuditedModel("fte", _("FTE"), MonthlyFte, lambda units: Q(unit_id__in=units.values("pk"))),
    AuditedModel("skill", _("Skills matrix"), Skill, lambda units: Q(staff_member__unit__in=units.values("pk"))),
]
