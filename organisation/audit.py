"""The board's targets in the audit trail (see core.audit); they belong to no unit."""

from django.utils.translation import gettext_lazy as _

from core.audit import AuditedModel

from .models import Target

AUDITED = [AuditedModel("target", _("Target"), Target, None)]
