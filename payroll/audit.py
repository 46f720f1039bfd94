"""Payroll cases and deviations in the audit trail (see core.audit): each belongs to its agency's unit."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import AuditedModel
from customers.models import Agency

from .models import Deviation, PayrollCase

AUDITED = [
    AuditedModel(
        "payroll_case",
        _("Payroll case"),
        PayrollCase,
        lambda units: Q(agency_id__in=Agency.objects.filter(unit__in=units).values("pk")),
        "payroll:case_detail",
        "payroll.view_payrollcase",
    ),
    AuditedModel(
        "payroll_deviation",
        _("Deviation"),
        Deviation,
        lambda units: Q(agency_id__in=Agency.objects.filter(unit__in=units).values("pk")),
        "payroll:deviation_detail",
        "payroll.view_deviation",
    ),
]
