"""The side navigation, grouped by task, and the breadcrumbs of every page.

Each entry shows only to users with its permission. Sections are tasks (payroll work,
pension work, customers, follow-up, staffing, invoicing, administration); each role sees
its own main task first. Every user starts on the start page (``home``), which says what
needs doing today for their roles (lonservice.today).
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.roles import roles_of


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url_name: str
    permission: str | None  # None: every signed-in user; "staff": users of the admin site


NAVIGATION: list[NavItem] = [
    NavItem("start", _("Start"), "home", None),
    NavItem("payroll", _("Work queue"), "payroll:queue", "payroll.view_payrollcase"),
    NavItem("payroll", _("Payroll cases"), "payroll:case_list", "payroll.view_payrollcase"),
    NavItem("payroll", _("Work distribution"), "payroll:workload", "payroll.distribute_cases"),
    NavItem("payroll", _("Payslip imports"), "payroll:import_list", "payroll.view_payslipimport"),
    NavItem("payroll", _("Internal control"), "payroll:control_list", "payroll.view_controlsample"),
    NavItem("payroll", _("Deviations"), "payroll:deviation_list", "payroll.view_deviation"),
    NavItem("payroll", _("Document quality"), "payroll:quality", "payroll.view_quality"),
    NavItem("payroll", _("Per handler"), "payroll:handler_figures", "payroll.view_handler_figures"),
    NavItem("payroll", _("Person register signals"), "register:queue", "register.view_personsignal"),
    NavItem("payroll", _("Certificates"), "certificates:list", "certificates.view_certificate"),
    NavItem("payroll", _("Incoming mail"), "certificates:mail_log", "certificates.view_mailitem"),
    NavItem("pensions", _("Work queue"), "pensions:queue", "pensions.view_pensioncase"),
    NavItem("pensions", _("Pension cases"), "pensions:case_list", "pensions.view_pensioncase"),
    NavItem("pensions", _("Signal lists"), "pensions:signal_lists", "pensions.view_signallist"),
    NavItem("pensions", _("Weekly follow-up"), "pensions:weekly", "pensions.view_pensioncase"),
    NavItem("customers", _("Agencies"), "customers:agency_list", "customers.view_agency"),
    NavItem("customers", _("Customer log"), "customers:log_list", "customers.view_customerlogentry"),
    NavItem("customers", _("Customer meetings"), "customers:meetings", "customers.view_customerlogentry"),
    NavItem("customers", _("Feedback and complaints"), "customers:complaint_list", "customers.view_complaint"),
    NavItem("customers", _("Customer messages"), "customers:message_list", "customers.view_customermessage"),
    NavItem("customers", _("Forms for agencies"), "customers:form_list", "customers.view_centreform"),
    NavItem("customers", _("Honour awards"), "honours:list", "honours.view_honouraward"),
    NavItem("customers", _("Workplaces"), "workplaces:list", "workplaces.view_workplace"),
    NavItem("customers", _("Agency training"), "training:list", "training.view_trainingsession"),
    NavItem("customers", _("Phone service enquiries"), "staffing:enquiries", "staffing.view_enquiry"),
    NavItem("follow_up", _("Service dashboard"), "reporting:service_dashboard", "reporting.view_service_dashboard"),
    NavItem("follow_up", _("Unit dashboard"), "reporting:unit_dashboard", "reporting.view_unit_dashboard"),
    NavItem("follow_up", _("Volumes"), "reporting:volume_report", "reporting.view_reports"),
    NavItem("follow_up", _("Productivity"), "reporting:productivity_report", "reporting.view_reports"),
    NavItem("follow_up", _("Monthly report"), "reporting:monthly_report", "reporting.view_board_reports"),
    NavItem("follow_up", _("Tertial report"), "reporting:tertial_report", "reporting.view_board_reports"),
    NavItem("follow_up", _("Internal control plan"), "reporting:control_plan", "reporting.view_board_reports"),
    NavItem("follow_up", _("Reports e-mailed"), "reporting:delivery_list", "reporting.write_board_reports"),
    NavItem("follow_up", _("Agreements followed up"), "reporting:agreement_follow_up", "reporting.view_reports"),
    NavItem("follow_up", _("Targets"), "reporting:target_list", "organisation.view_target"),
    NavItem("follow_up", _("Economy"), "economy:economy", "economy.view_economy"),
    NavItem("staffing", _("FTE"), "staffing:fte", "staffing.view_monthlyfte"),
    NavItem("staffing", _("Sick leave"), "staffing:sick_leave", "staffing.view_absence"),
    NavItem("staffing", _("Loans between units"), "staffing:loans", "organisation.view_unitloan"),
    NavItem("staffing", _("Skills matrix"), "staffing:skills", "staffing.view_skill"),
    NavItem("staffing", _("Phone service"), "staffing:phone", "staffing.view_phoneservicemonth"),
    NavItem("staffing", _("Customer survey"), "staffing:survey", "staffing.view_customersurvey"),
    NavItem("invoicing", _("Monthly close"), "invoicing:close_list", "invoicing.run_close"),
    NavItem("invoicing", _("Invoices"), "invoicing:invoice_list", "invoicing.view_invoice"),
    NavItem("invoicing", _("Draft invoices"), "invoicing:draft_list", "invoicing.view_draft_invoice"),
    NavItem("invoicing", _("Invoice disputes"), "invoicing:dispute_list", "invoicing.view_invoicedispute"),
    NavItem("invoicing", _("Price lists"), "pricing:pricelist_list", "pricing.view_pricelist"),
    NavItem("portal", _("This month"), "portal:month", "customers.use_portal"),
    NavItem("portal", _("Invoices"), "portal:invoice_list", "customers.use_portal"),
    NavItem("portal", _("Returned documents"), "portal:return_list", "customers.use_portal"),
    NavItem("portal", _("Feedback and complaints"), "portal:feedback_list", "customers.use_portal"),
    NavItem("portal", _("Messages from the centre"), "portal:message_list", "customers.use_portal"),
    NavItem("portal", _("Information and forms"), "portal:information", "customers.use_portal"),
    NavItem("admin", _("Users"), "accounts:user_list", "auth.view_user"),
    NavItem("admin", _("Audit trail"), "audit:trail", "audit.view_audit_trail"),
    NavItem("admin", _("Protected identity views"), "audit:identity_access", "people.view_protectedidentityaccess"),
    NavItem("admin", _("Admin site"), "admin:index", "staff"),
]

SECTION_LABELS = {
    "start": "",
    "payroll": _("Payroll"),
    "pensions": _("Pensions"),
    "customers": _("Customers"),
    "follow_up": _("Follow-up"),
    "staffing": _("Staffing"),
    "invoicing": _("Invoicing and prices"),
    "admin": _("Administration"),
    "portal": _("Your agency"),
}

# Each role's own work first; a user with several roles gets the order of the first in ROLES order.
SECTION_ORDER: dict[str, tuple[str, ...]] = {
    roles.CASE_HANDLER: ("start", "payroll", "customers"),
    roles.PENSION_HANDLER: ("start", "pensions", "customers"),
    roles.UNIT_MANAGER: ("start", "follow_up", "payroll", "pensions", "customers", "staffing", "invoicing"),
    roles.HEAD_OF_SERVICE: ("start", "follow_up", "staffing", "payroll", "pensions", "customers", "invoicing"),
    roles.FINANCE: ("start", "invoicing", "follow_up", "customers"),
    roles.ADMINISTRATOR: ("start", "customers", "invoicing", "admin", "payroll", "pensions", "follow_up"),
    roles.AGENCY_CONTACT: ("start", "portal"),
}
DEFAULT_ORDER = tuple(SECTION_LABELS)

# Pages outside the navigation, by URL name: the navigation entry they belong under.
PARENTS = {
    "staffing:staff": "staffing:fte",
    "staffing:absences": "staffing:sick_leave",
    "staffing:absence_create": "staffing:sick_leave",
    "staffing:absence_edit": "staffing:sick_leave",
    "staffing:absence_delete": "staffing:sick_leave",
    "invoicing:close_detail": "invoicing:close_list",
    "invoicing:draft_detail": "invoicing:draft_list",
    "invoicing:dispute_answer": "invoicing:dispute_list",
    "register:file_list": "register:queue",
    "register:file_import": "register:queue",
    "certificates:request": "certificates:list",
    "certificates:mail_create": "certificates:mail_log",
    "honours:import": "honours:list",
    "workplaces:create": "workplaces:list",
    "workplaces:reports": "workplaces:list",
    "training:create": "training:list",
    "economy:cost_budget": "economy:economy",
    "economy:cost_budget_import": "economy:economy",
    "economy:actual_cost_import": "economy:economy",
    "economy:simulator": "economy:economy",
    "economy:scenarios": "economy:economy",
    "economy:scenario": "economy:economy",
    "portal:invoice_detail": "portal:invoice_list",
    "portal:cover_letter": "portal:return_list",
    "portal:return_answer": "portal:return_list",
    "portal:feedback_create": "portal:feedback_list",
    "portal:invoice_dispute": "portal:invoice_list",
    "customers:message_create": "customers:message_list",
    "customers:form_upload": "customers:form_list",
    "password_change": "home",
    "password_change_done": "home",
}


def _allowed(user, item: NavItem) -> bool:
    if item.permission is None:
        return True
    if item.permission == "staff":
        return user.is_staff
    return user.has_perm(item.permission)


def _section_order(user) -> tuple[str, ...]:
    for role in roles_of(user):
        if role in SECTION_ORDER:
            order = SECTION_ORDER[role]
            return order + tuple(s for s in DEFAULT_ORDER if s not in order)
    return DEFAULT_ORDER


def _items_for(user) -> list[tuple[NavItem, str]]:
    items = []
    for item in NAVIGATION:
        if _allowed(user, item):
            try:
                items.append((item, reverse(item.url_name)))
            except NoReverseMatch:  # the admin site may be switched off
                continue
    return items


def _current(items, request) -> tuple[NavItem, str] | None:
    """The navigation entry a page belongs under: itself, its listed parent, or the longest URL prefix."""
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match else ""
    name = PARENTS.get(name, name)
    for item, url in items:
        if item.url_name == name:
            return item, url
    path = request.path
    candidates = [(item, url) for item, url in items if url != "/" and path.startswith(url)]
    return max(candidates, key=lambda pair: len(pair[1]), default=None)


def sections_for(user, items, current=None, path: str = "") -> list[dict]:
    grouped: dict[str, list[dict]] = {}
    for item, url in items:
        grouped.setdefault(item.section, []).append(
            {
                "label": item.label,
                "url": url,
                "is_page": url == path,
                "is_current": current is not None and current[0] == item,
            }
        )
    return [
        {"key": key, "label": SECTION_LABELS.get(key, key), "items": grouped[key]}
        for key in _section_order(user)
        if key in grouped
    ]


def breadcrumbs_for(request, current) -> list[dict]:
    """Start › section › the page's navigation entry (a link unless it is this page)."""
    home = reverse("home")
    if request.path == home:
        return []
    crumbs = [{"label": _("Start"), "url": home}]
    if current is None or current[1] == home:
        return crumbs
    item, url = current
    if SECTION_LABELS.get(item.section):
        crumbs.append({"label": SECTION_LABELS[item.section], "url": None})
    if url != request.path:
        crumbs.append({"label": item.label, "url": url})
    return crumbs


def navigation(request):
    """Template context processor: ``nav_sections`` and ``breadcrumbs``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": [], "breadcrumbs": []}
    items = _items_for(user)
    current = _current(items, request)
    return {
        "nav_sections": sections_for(user, items, current, request.path),
        "breadcrumbs": breadcrumbs_for(request, current),
    }
