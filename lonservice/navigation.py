"""The main navigation: each entry shows only to users with its permission.

Apps add their entries to NAVIGATION (section, label, URL name, permission).
The home page sends each user to the first start page their roles allow.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.roles import roles_of


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url_name: str
    permission: str


NAVIGATION: list[NavItem] = [
    # Each app adds its own entries below, in the order they should appear.
    NavItem("payroll", _("Work queue"), "payroll:queue", "payroll.view_payrollcase"),
    NavItem("payroll", _("Payroll cases"), "payroll:case_list", "payroll.view_payrollcase"),
    NavItem("payroll", _("Payslip imports"), "payroll:import_list", "payroll.view_payslipimport"),
    NavItem("payroll", _("Internal control"), "payroll:control_list", "payroll.view_controlsample"),
    NavItem("pensions", _("Work queue"), "pensions:queue", "pensions.view_pensioncase"),
    NavItem("pensions", _("Pension cases"), "pensions:case_list", "pensions.view_pensioncase"),
    NavItem("pensions", _("Signal lists"), "pensions:signal_lists", "pensions.view_signallist"),
    NavItem("pensions", _("Weekly follow-up"), "pensions:weekly", "pensions.view_pensioncase"),
    NavItem("staffing", _("FTE"), "staffing:fte", "staffing.view_monthlyfte"),
    NavItem("staffing", _("Sick leave"), "staffing:sick_leave", "staffing.view_absence"),
    NavItem("staffing", _("Phone service"), "staffing:phone", "staffing.view_phoneservicemonth"),
    NavItem("staffing", _("Customer survey"), "staffing:survey", "staffing.view_customersurvey"),
]

# reporting (issue 7)
NAVIGATION += [
    NavItem("finance", _("Invoices"), "invoicing:invoice_list", "invoicing.view_invoice"),
    NavItem("finance", _("Monthly close"), "invoicing:close_list", "invoicing.run_close"),
    NavItem("reporting", _("Service dashboard"), "reporting:service_dashboard", "reporting.view_service_dashboard"),
    NavItem("reporting", _("Unit dashboard"), "reporting:unit_dashboard", "reporting.view_unit_dashboard"),
    NavItem("reporting", _("Volumes"), "reporting:volume_report", "reporting.view_reports"),
    NavItem("reporting", _("Productivity"), "reporting:productivity_report", "reporting.view_reports"),
    NavItem("reporting", _("Tertial report"), "reporting:tertial_report", "reporting.view_service_dashboard"),
    NavItem("reporting", _("Targets"), "reporting:target_list", "organisation.view_target"),
    NavItem("customers", _("Agencies"), "customers:agency_list", "customers.view_agency"),
    NavItem("customers", _("Customer log"), "customers:log_list", "customers.view_customerlogentry"),
    NavItem("customers", _("Customer meetings"), "customers:meetings", "customers.view_customerlogentry"),
    NavItem("customers", _("Feedback and complaints"), "customers:complaint_list", "customers.view_complaint"),
    NavItem("pricing", _("Price lists"), "pricing:pricelist_list", "pricing.view_pricelist"),
]

# security (issue 10)
NAVIGATION += [
    NavItem("admin", _("Users"), "accounts:user_list", "auth.view_user"),
    NavItem("admin", _("Audit trail"), "audit:trail", "audit.view_audit_trail"),
    NavItem("admin", _("Protected identity views"), "audit:identity_access", "people.view_protectedidentityaccess"),
]

# Each role's landing page (URL name); a user with several roles gets the first in ROLES order.
START_PAGES: dict[str, str] = {
    roles.CASE_HANDLER: "payroll:queue",
    roles.PENSION_HANDLER: "pensions:queue",
    roles.ADMINISTRATOR: "customers:agency_list",
    # roles.CASE_HANDLER: "payroll:queue", ... added by each app
}
START_PAGES[roles.HEAD_OF_SERVICE] = "reporting:service_dashboard"
START_PAGES[roles.FINANCE] = "invoicing:invoice_list"
START_PAGES[roles.UNIT_MANAGER] = "reporting:unit_dashboard"

SECTION_LABELS = {
    "payroll": _("Payroll"),
    "pensions": _("Pensions"),
    "staffing": _("Staffing"),
    "customers": _("Customers"),
    "pricing": _("Prices"),
    "reporting": _("Reports"),
    "finance": _("Invoicing"),
    "admin": _("Administration"),
}


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    sections: dict[str, list[dict]] = {}
    for item in NAVIGATION:
        if user.has_perm(item.permission):
            sections.setdefault(item.section, []).append({"label": item.label, "url": reverse(item.url_name)})
    return [{"label": SECTION_LABELS.get(section, section), "items": entries} for section, entries in sections.items()]


def start_url_for(user) -> str | None:
    for role in roles_of(user):
        if role in START_PAGES:
            return reverse(START_PAGES[role])
    return None


def navigation(request):
    """Template context processor."""
    return {"nav_sections": items_for(getattr(request, "user", None)) if hasattr(request, "user") else []}
