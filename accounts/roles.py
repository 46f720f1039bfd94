"""The roles of the service centre as groups with explicit permissions.

Groups are kept in step with this table after every ``migrate`` (post_migrate),
so a permission added by a new migration reaches its roles at once. Each app's
permissions are listed here, next to each other, so the whole access policy
can be read in one place.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _

CASE_HANDLER = "case_handler"
PENSION_HANDLER = "pension_handler"
UNIT_MANAGER = "unit_manager"
HEAD_OF_SERVICE = "head_of_service"
FINANCE = "finance"
ADMINISTRATOR = "administrator"
AGENCY_CONTACT = "agency_contact"

ROLE_LABELS = {
    CASE_HANDLER: _("Case handler"),
    PENSION_HANDLER: _("Pension handler"),
    UNIT_MANAGER: _("Unit manager"),
    HEAD_OF_SERVICE: _("Head of service"),
    FINANCE: _("Finance"),
    ADMINISTRATOR: _("Administrator"),
    AGENCY_CONTACT: _("Agency contact"),
}
ROLES = list(ROLE_LABELS)

# The group names stored in the database (stable, English); shown translated.
GROUP_NAMES = {
    CASE_HANDLER: "Case handler",
    PENSION_HANDLER: "Pension handler",
    UNIT_MANAGER: "Unit manager",
    HEAD_OF_SERVICE: "Head of service",
    FINANCE: "Finance",
    ADMINISTRATOR: "Administrator",
    AGENCY_CONTACT: "Agency contact",
}

# Customers: everyone who works with agencies reads their unit's register (contacts,
# agreements, add-on agreements and hours); handlers also log calls and take feedback on the
# phone; unit managers keep their unit's agencies, agreements and contacts up to date and
# handle complaints. Finance and the head of service read every unit's. Creating agencies,
# importing them and managing price lists is for administrators (who have every permission).
_AGENCY_READ = [
    "customers.view_agency",
    "customers.view_serviceagreement",
    "customers.view_agencycontact",
    "customers.view_addonagreement",
    "customers.view_addonhours",
]
_CUSTOMER_FOLLOW_UP = ["customers.view_customerlogentry", "customers.view_complaint"]
_CUSTOMER_FRONT_DESK = [*_CUSTOMER_FOLLOW_UP, "customers.add_customerlogentry", "customers.add_complaint"]
_CUSTOMER_UNIT = [
    *_CUSTOMER_FRONT_DESK,
    "customers.change_agency",
    "customers.add_agencycontact",
    "customers.change_agencycontact",
    "customers.delete_agencycontact",
    "customers.add_serviceagreement",
    "customers.change_serviceagreement",
    "customers.add_addonagreement",
    "customers.change_addonagreement",
    "customers.add_addonhours",
    "customers.delete_addonhours",
    "customers.change_customerlogentry",
    "customers.change_complaint",
]
_PRICE_READ = ["pricing.view_pricelist", "pricing.view_priceitem"]

# Pensions: handlers do the work; unit managers and the head of service follow it read-only.
# Payroll case handlers get nothing: pension cases hold sensitive personal data (deaths,
# sickness) and pension calls are routed to the pension team (seed 000, phone menu choice 3).
_PENSION_READ = ["pensions.view_pensioncase", "pensions.view_signallist", "pensions.view_signalitem"]
_PENSION_WORK = [
    *_PENSION_READ,
    "pensions.add_pensioncase",
    "pensions.change_pensioncase",
    "pensions.add_signallist",
    "pensions.change_signalitem",
]
# Staffing: unit managers enter their unit's FTE and absences and the phone figures;
# the head of service follows everything, imports FTE files and enters the survey result.
_STAFFING_READ = [
    "staffing.view_skill",
    "staffing.view_monthlyfte",
    "staffing.view_absence",
    "staffing.view_phoneservicemonth",
    "staffing.view_customersurvey",
]
_STAFFING_UNIT = [
    *_STAFFING_READ,
    "staffing.add_monthlyfte",
    "staffing.change_monthlyfte",
    "staffing.add_absence",
    "staffing.change_absence",
    "staffing.delete_absence",
    "staffing.change_skill",
    "staffing.add_phoneservicemonth",
    "staffing.change_phoneservicemonth",
]
_STAFFING_SERVICE = [
    *_STAFFING_READ,
    "staffing.import_fte",
    "staffing.add_phoneservicemonth",
    "staffing.change_phoneservicemonth",
    "staffing.add_customersurvey",
    "staffing.change_customersurvey",
]

# Payroll: case handlers register, return, complete and import, and approve a colleague's
# urgent payout (never their own: payroll.services.cases); unit managers follow their unit's
# cases, approve urgent payouts and run internal control; the head of service reads every
# unit's cases and draws samples. Deviations (the centre's own errors): handlers and unit managers
# register them, unit managers follow them up; managers and the head of service see document
# quality and the error rate. Finance and pension handlers see no payroll cases: they
# hold personal identity numbers, and invoices come from the monthly close.
_PAYROLL_READ = ["payroll.view_payrollcase", "payroll.view_payslipimport", "payroll.view_controlsample"]
_PAYROLL_WORK = [
    *_PAYROLL_READ,
    "payroll.add_payrollcase",
    "payroll.change_payrollcase",
    "payroll.import_payslips",
    "payroll.approve_urgent_payout",
    "payroll.record_control_check",
    "payroll.view_deviation",
    "payroll.add_deviation",
]
_PAYROLL_UNIT = [
    *_PAYROLL_READ,
    "payroll.distribute_cases",
    "payroll.approve_urgent_payout",
    "payroll.draw_control_sample",
    "payroll.record_control_check",
    "payroll.view_deviation",
    "payroll.add_deviation",
    "payroll.follow_up_deviation",
    "payroll.view_quality",
    "payroll.view_handler_figures",
]
_PAYROLL_SERVICE = [
    *_PAYROLL_READ,
    "payroll.draw_control_sample",
    "payroll.view_deviation",
    "payroll.view_quality",
    "payroll.view_handler_figures",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CASE_HANDLER: [
        *_AGENCY_READ,
        *_CUSTOMER_FRONT_DESK,
        *_PAYROLL_WORK,
    ],
    PENSION_HANDLER: [
        *_AGENCY_READ,
        *_CUSTOMER_FRONT_DESK,
        *_PENSION_WORK,
    ],
    UNIT_MANAGER: [
        *_AGENCY_READ,
        *_CUSTOMER_UNIT,
        *_PRICE_READ,
        *_PENSION_READ,
        *_STAFFING_UNIT,
        *_PAYROLL_UNIT,
        "customers.change_agency",
    ],
    HEAD_OF_SERVICE: [
        *_AGENCY_READ,
        *_CUSTOMER_FOLLOW_UP,
        *_PRICE_READ,
        *_PENSION_READ,
        *_STAFFING_SERVICE,
        *_PAYROLL_SERVICE,
        "organisation.view_all_units",
    ],
    FINANCE: [
        *_AGENCY_READ,
        *_CUSTOMER_FOLLOW_UP,
        *_PRICE_READ,
        "organisation.view_all_units",
    ],
    # Administrators get every permission of the project's apps (see sync_roles).
    ADMINISTRATOR: [],
    # Agency contacts (issue 16), the agencies' own staff: the portal only, for the agencies they are
    # linked to (customers.AgencyContactAccess, scoped in customers.selectors.agencies_for). No other
    # page answers them (accounts.middleware.AgencyContactFenceMiddleware).
    AGENCY_CONTACT: ["customers.use_portal"],
}
# The roles of the centre's own staff: every role but the agency contact.
STAFF_ROLES = [role for role in ROLE_LABELS if role != AGENCY_CONTACT]

# Protected identity (skyddad identitet): no role sees it unmasked. Administrators have every
# permission; anyone else must be put in this group one by one, by an administrator, because
# their work needs it (need to know). Every unmasked view is logged (ProtectedIdentityAccess).
PROTECTED_IDENTITY_GROUP = "Protected identity"
PERMISSION_GROUPS: dict[str, list[str]] = {PROTECTED_IDENTITY_GROUP: ["people.view_protected_identity"]}

# What people read for each stored group name (the admin site, the users page): translated.
GROUP_LABELS = {GROUP_NAMES[role]: ROLE_LABELS[role] for role in ROLES} | {
    PROTECTED_IDENTITY_GROUP: _("Protected identity")
}


def group_label(name: str) -> str:
    """A group's name as people read it (a group not in this module keeps its stored name)."""
    return str(GROUP_LABELS.get(name, name))


# reporting (issue 7): finance closes months and credits invoices; finance and the head of
# service see invoices; unit managers see their own unit's reports and dashboard.
_REPORTING = {
    UNIT_MANAGER: ["reporting.view_reports", "reporting.view_unit_dashboard", "organisation.view_target"],
    HEAD_OF_SERVICE: [
        "invoicing.view_invoice",
        "invoicing.view_closejob",
        "reporting.view_reports",
        "reporting.view_unit_dashboard",
        "reporting.view_service_dashboard",
        "organisation.view_target",
        "organisation.add_target",
        "organisation.change_target",
    ],
    FINANCE: [
        "invoicing.view_invoice",
        "invoicing.issue_credit_note",
        "invoicing.run_close",
        "invoicing.view_closejob",
        "reporting.view_reports",
        "organisation.view_target",
    ],
}
for _role, _names in _REPORTING.items():
    ROLE_PERMISSIONS[_role] += _names

# invoicing (issue 15): finance, unit managers (their unit's agencies) and the head of service see
# the draft invoices of the open months before the close.
for _role in (FINANCE, UNIT_MANAGER, HEAD_OF_SERVICE):
    ROLE_PERMISSIONS[_role] += ["invoicing.view_draft_invoice"]

# security (issue 10): unit managers read the audit trail of their own unit's objects; administrators
# (every permission of ADMINISTRATOR_APPS) read all of it and the log of unmasked protected identities.
ROLE_PERMISSIONS[UNIT_MANAGER] += ["audit.view_audit_trail"]

# person register (issue 24): the tax agency's file (EPS) covers the whole city and is imported by
# the head of service; payroll and pension handlers work their unit's signals, unit managers follow them.
# Finance sees none: the signals are about deaths, addresses and protected identities.
_REGISTER_READ = ["register.view_personsignal", "register.view_registerfile"]
_REGISTER = {
    CASE_HANDLER: [*_REGISTER_READ, "register.change_personsignal"],
    PENSION_HANDLER: [*_REGISTER_READ, "register.change_personsignal"],
    UNIT_MANAGER: _REGISTER_READ,
    HEAD_OF_SERVICE: [*_REGISTER_READ, "register.add_registerfile"],
}
for _role, _names in _REGISTER.items():
    ROLE_PERMISSIONS[_role] += _names

# certificates (issue 24): case handlers (the assistants among them) register requests and issue
# employment and service certificates for their unit's agencies; unit managers and the head of service read.
_CERTIFICATE_READ = ["certificates.view_certificate", "certificates.view_mailitem"]
_CERTIFICATES = {
    CASE_HANDLER: [
        *_CERTIFICATE_READ,
        "certificates.add_certificate",
        "certificates.change_certificate",
        "certificates.add_mailitem",
    ],
    UNIT_MANAGER: _CERTIFICATE_READ,
    HEAD_OF_SERVICE: _CERTIFICATE_READ,
}
for _role, _names in _CERTIFICATES.items():
    ROLE_PERMISSIONS[_role] += _names

# honour awards (issue 24): the head of service's office administers the city's awards for long
# service (0.18 FTE in 2025) and enters that time; unit managers read their unit's agencies' list.
_HONOURS = {
    UNIT_MANAGER: ["honours.view_honouraward"],
    HEAD_OF_SERVICE: [
        "honours.view_honouraward",
        "honours.add_honouraward",
        "honours.change_honouraward",
        "honours.change_honourswork",
    ],
}
for _role, _names in _HONOURS.items():
    ROLE_PERMISSIONS[_role] += _names
# economy (issue 18): the head of service and finance follow revenue, cost and result, keep the cost
# budget and import the ledger's costs; unit managers see their own units' economy.
_ECONOMY_READ = ["economy.view_economy", "economy.view_costbudget", "economy.view_actualcost"]
_ECONOMY_KEEP = [
    *_ECONOMY_READ,
    "economy.change_costbudget",
    "economy.add_costbudget",
    "economy.import_costs",
]
ROLE_PERMISSIONS[UNIT_MANAGER] += _ECONOMY_READ
ROLE_PERMISSIONS[HEAD_OF_SERVICE] += _ECONOMY_KEEP
ROLE_PERMISSIONS[FINANCE] += _ECONOMY_KEEP
# The price-model simulator (next year's prices, saved scenarios, the draft price list they make) is
# the head of service's and finance's.
_PRICE_SIMULATOR = ["economy.simulate_prices", "economy.view_pricescenario", "economy.add_pricescenario"]
ROLE_PERMISSIONS[HEAD_OF_SERVICE] += _PRICE_SIMULATOR
ROLE_PERMISSIONS[FINANCE] += _PRICE_SIMULATOR

# workplaces for Statistics Sweden (issue 24): unit managers keep their agencies' workplaces, case
# handlers link employees to them, the head of service coordinates the city's reports to Statistics Sweden.
_WORKPLACE_READ = ["workplaces.view_workplace", "workplaces.view_workplaceassignment"]
_WORKPLACES = {
    CASE_HANDLER: [*_WORKPLACE_READ, "workplaces.add_workplaceassignment"],
    UNIT_MANAGER: [
        *_WORKPLACE_READ,
        "workplaces.add_workplace",
        "workplaces.change_workplace",
        "workplaces.add_workplaceassignment",
    ],
    HEAD_OF_SERVICE: [*_WORKPLACE_READ, "workplaces.view_workplacereport", "workplaces.add_workplacereport"],
}
for _role, _names in _WORKPLACES.items():
    ROLE_PERMISSIONS[_role] += _names

# agency training (issue 24): unit managers register the sessions their unit holds; the head of service
# follows the year's count against the target; handlers see what their agencies were taught.
_TRAINING_READ = ["training.view_trainingsession"]
_TRAINING = {
    CASE_HANDLER: _TRAINING_READ,
    PENSION_HANDLER: _TRAINING_READ,
    UNIT_MANAGER: [*_TRAINING_READ, "training.add_trainingsession", "training.change_trainingsession"],
    HEAD_OF_SERVICE: _TRAINING_READ,
}
for _role, _names in _TRAINING.items():
    ROLE_PERMISSIONS[_role] += _names
# case desk (issue 19): unit managers lend their staff to another unit for a period and end loans;
# the head of service follows the loans.
ROLE_PERMISSIONS[UNIT_MANAGER] += [
    "organisation.view_unitloan",
    "organisation.add_unitloan",
    "organisation.change_unitloan",
]
ROLE_PERMISSIONS[HEAD_OF_SERVICE] += ["organisation.view_unitloan"]
# The phone service (löneservice): case and pension handlers register and answer enquiries; unit
# managers and the head of service follow them.
_ENQUIRY_WORK = ["staffing.view_enquiry", "staffing.add_enquiry", "staffing.change_enquiry"]
ROLE_PERMISSIONS[CASE_HANDLER] += _ENQUIRY_WORK
ROLE_PERMISSIONS[PENSION_HANDLER] += _ENQUIRY_WORK
ROLE_PERMISSIONS[UNIT_MANAGER] += ["staffing.view_enquiry"]
ROLE_PERMISSIONS[HEAD_OF_SERVICE] += ["staffing.view_enquiry"]
# The agencies' side (issue 16): everyone who reads an agency reads the e-mails sent to it (the
# record on its page); unit managers, the head of service and finance send a failed one again.
_NOTICE_RESEND = ["customers.view_agencynotice", "customers.resend_agencynotice"]
for _role in (CASE_HANDLER, PENSION_HANDLER):
    ROLE_PERMISSIONS[_role] += ["customers.view_agencynotice"]
for _role in (UNIT_MANAGER, HEAD_OF_SERVICE, FINANCE):
    ROLE_PERMISSIONS[_role] += _NOTICE_RESEND
# Customer messages (kundmeddelanden): written by unit managers (to their agencies) and the head of service.
for _role in (UNIT_MANAGER, HEAD_OF_SERVICE):
    ROLE_PERMISSIONS[_role] += ["customers.view_customermessage", "customers.add_customermessage"]
# Forms (blanketter) for agencies: unit managers and the head of service upload new versions; every
# staff role reads them (agency contacts fetch the latest in the portal).
_FORMS_READ = ["customers.view_centreform", "customers.view_centreformversion"]
for _role in (CASE_HANDLER, PENSION_HANDLER, FINANCE):
    ROLE_PERMISSIONS[_role] += _FORMS_READ
for _role in (UNIT_MANAGER, HEAD_OF_SERVICE):
    ROLE_PERMISSIONS[_role] += [*_FORMS_READ, "customers.add_centreform", "customers.add_centreformversion"]
# Disputes of invoice lines: finance answers them (a reply or a credit note); the head of service follows.
ROLE_PERMISSIONS[FINANCE] += ["invoicing.view_invoicedispute", "invoicing.change_invoicedispute"]
ROLE_PERMISSIONS[HEAD_OF_SERVICE] += ["invoicing.view_invoicedispute"]

# the board's reports (issue 20): the head of service writes the tertial report's self-assessments,
# comments and control plan; unit managers read the monthly and tertial reports; both subscribe to them.
ROLE_PERMISSIONS[UNIT_MANAGER] += ["reporting.view_board_reports"]
ROLE_PERMISSIONS[HEAD_OF_SERVICE] += ["reporting.view_board_reports", "reporting.write_board_reports"]

ADMINISTRATOR_APPS = [
    "core",
    "people",
    "organisation",
    "customers",
    "pricing",
    "webhooks",
    "payroll",
    "pensions",
    "staffing",
    "workplaces",
    "invoicing",
    "register",
    "certificates",
    "honours",
    "training",
    "economy",
    "reporting",
    "audit",
    "auth",
    "accounts",
]


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist as exc:
        raise LookupError(f"roles.py names a permission that does not exist: {dotted}") from exc


@transaction.atomic
def sync_roles() -> None:
    """Create the role groups and set their permissions exactly as ROLE_PERMISSIONS says."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        if role == ADMINISTRATOR:
            permissions = list(Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS))
        else:
            permissions = [_permission(name) for name in names]
        group.permissions.set(permissions)
    for name, names in PERMISSION_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(permission) for permission in names])


def roles_of(user) -> list[str]:
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in ROLES if GROUP_NAMES[role] in names]


# API tokens (issue 21): a system account's token carries scopes; each scope needs the account's
# permissions below, and an endpoint of the API answers only a token with its scope whose account
# has them (the account's unit scopes the objects, as for a person). An administrator gives a token
# only scopes its account's roles allow.
API_SCOPES: dict[str, tuple] = {
    "agencies:read": (_("Read agencies"), ["customers.view_agency"]),
    "prices:read": (_("Read price lists"), ["pricing.view_pricelist"]),
    "volumes:read": (_("Read monthly volumes"), ["reporting.view_reports"]),
    "invoices:read": (_("Read invoices and credit notes"), ["invoicing.view_invoice"]),
    "payroll:read": (_("Read payroll cases"), ["payroll.view_payrollcase"]),
    "payroll:write": (_("Register payroll cases"), ["payroll.add_payrollcase"]),
    "payslips:import": (_("Upload payslip files"), ["payroll.view_payslipimport", "payroll.import_payslips"]),
    "pensions:read": (_("Read pension cases"), ["pensions.view_pensioncase"]),
    "costs:read": (_("Read the ledger's actual costs"), ["economy.view_actualcost"]),
    "costs:write": (_("Post the ledger's actual costs"), ["economy.import_costs"]),
    "webhooks": (_("Manage own webhook subscriptions"), []),
}


def scope_permissions(scope: str) -> list[str]:
    return list(API_SCOPES[scope][1])


def allowed_scopes(user) -> list[str]:
    """The scopes a token of ``user`` may have: those whose permissions the user has. The API is for the
    city's systems: an agency contact (who has the portal) gets none."""
    if is_agency_contact_only(user):
        return []
    return [scope for scope, (_label, perms) in API_SCOPES.items() if user.has_perms(perms)]


def is_agency_contact_only(user) -> bool:
    """Whether ``user`` is an agency contact and nothing else (no staff role, not a superuser):
    such a user sees the agencies' portal and no page of the centre's own work."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return roles_of(user) == [AGENCY_CONTACT]
