"""The FTE entered per month in the audit trail (see core.audit)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import AuditedModel

from .models import MonthlyFte

AUDITED = [AuditedModel("fte", _("FTE"), MonthlyFte, lambda units: Q(unit_id__in=units.values("pk")))]
