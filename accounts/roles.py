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

ROLE_LABELS = {
    CASE_HANDLER: _("Case handler"),
    PENSION_HANDLER: _("Pension handler"),
    UNIT_MANAGER: _("Unit manager"),
    HEAD_OF_SERVICE: _("Head of service"),
    FINANCE: _("Finance"),
    ADMINISTRATOR: _("Administrator"),
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
# unit's cases and draws samples. Finance and pension handlers see no payroll cases: they
# hold personal identity numbers, and invoices come from the monthly close.
_PAYROLL_READ = ["payroll.view_payrollcase", "payroll.view_payslipimport", "payroll.view_controlsample"]
_PAYROLL_WORK = [
    *_PAYROLL_READ,
    "payroll.add_payrollcase",
    "payroll.change_payrollcase",
    "payroll.import_payslips",
    "payroll.approve_urgent_payout",
    "payroll.record_control_check",
]
_PAYROLL_UNIT = [
    *_PAYROLL_READ,
    "payroll.distribute_cases",
    "payroll.approve_urgent_payout",
    "payroll.draw_control_sample",
    "payroll.record_control_check",
]
_PAYROLL_SERVICE = [*_PAYROLL_READ, "payroll.draw_control_sample"]

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
}

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

# security (issue 10): unit managers read the audit trail of their own unit's objects; administrators
# (every permission of ADMINISTRATOR_APPS) read all of it and the log of unmasked protected identities.
ROLE_PERMISSIONS[UNIT_MANAGER] += ["audit.view_audit_trail"]

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

ADMINISTRATOR_APPS = [
    "core",
    "people",
    "organisation",
    "customers",
    "pricing",
    "payroll",
    "pensions",
    "staffing",
    "invoicing",
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
