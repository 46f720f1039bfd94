"""The demo organisation's logins, one per role."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles

DEMO_PASSWORD = "lonservice-demo-2012"

# username, full name, role, unit code (None: the whole service)
DEMO_USERS = [
    ("handlaggare", "Lena Lönesson", roles.CASE_HANDLER, "lon1"),
    ("pension", "Per Pensionsson", roles.PENSION_HANDLER, "lon2"),
    ("enhetschef", "Eva Enhetschef", roles.UNIT_MANAGER, "lon1"),
    ("verksamhetschef", "Vera Verksamhetschef", roles.HEAD_OF_SERVICE, None),
    ("ekonomi", "Erik Ekonom", roles.FINANCE, None),
    ("admin", "Ada Administratör", roles.ADMINISTRATOR, None),
    ("kontakt", "Anna Lindqvist", roles.AGENCY_CONTACT, None),
]


def upsert(model, *, lookup: dict, values: dict):
    """Create or update a row, saving only when something differs, so that
    running the demo loader again writes nothing (no history rows either)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj


def load_users() -> dict[str, object]:
    """Create or update the demo users; returns them by role. Needs the units to exist."""
    from organisation.models import StaffMember, Unit

    user_model = get_user_model()
    users = {}
    for username, full_name, role, unit_code in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.se"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if user.is_staff != (role == roles.ADMINISTRATOR):
            user.is_staff = role == roles.ADMINISTRATOR
            user.save(update_fields=["is_staff"])
        user.groups.set([Group.objects.get(name=roles.GROUP_NAMES[role])])
        if unit_code:
            unit = Unit.objects.get(code=unit_code)
            category = {
                roles.CASE_HANDLER: StaffMember.Category.PAYROLL_ADMIN,
                roles.PENSION_HANDLER: StaffMember.Category.PENSION_HANDLER,
                roles.UNIT_MANAGER: StaffMember.Category.MANAGER,
            }[role]
            upsert(StaffMember, lookup={"user": user}, values={"name": full_name, "unit": unit, "category": category})
            if role == roles.UNIT_MANAGER:
                upsert(Unit, lookup={"pk": unit.pk}, values={"manager": user})
        users[role] = user
    return users


# The agency contact's agencies (the portal shows these only): Rinkeby-Kista, whose HR manager she is.
DEMO_CONTACT_AGENCIES = {"kontakt": ["RK"]}


def link_agency_contacts(users) -> None:
    """Link the demo agency contact to their agencies (after the agencies are loaded)."""
    from customers.models import Agency, AgencyContactAccess

    user = users[roles.AGENCY_CONTACT]
    for code in DEMO_CONTACT_AGENCIES[user.username]:
        AgencyContactAccess.objects.get_or_create(user=user, agency=Agency.objects.get(code=code))
