"""The first run of a production install (``manage.py setup_production``): the first administrator, the
units, this year's price list, and a check of everything the first monthly close needs.

Each step is idempotent: an administrator, unit or price list already there is left as it is (a price
list file given again replaces an unfrozen list, as its import always does), so the command can be run
again until the check says the install is ready.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import checks as django_checks
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q

from accounts import roles
from core.periods import current_period, previous_period
from customers.models import Agency
from organisation.models import Unit
from pricing.imports import import_price_list
from pricing.services import NoPriceList, price_list_in_force

from .observability import health

ERROR, WARNING, OK = "error", "warning", "ok"
# The shipped defaults of SERVICE_CENTRE_*: an install that still has them sends invoices as the example.
EXAMPLE_SERVICE_CENTRE = {
    "name": "Serviceförvaltningen, Lön och pension",
    "address": "Box 8310, 104 20 Stockholm",
    "org_number": "212000-0142",
    "email": "lonservice@example.se",
}


@dataclass(frozen=True)
class Finding:
    level: str
    what: str
    detail: str = ""


def administrators():
    group = roles.GROUP_NAMES[roles.ADMINISTRATOR]
    return get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name=group), is_active=True).distinct()


def create_administrator(*, username: str, email: str, password: str) -> tuple[object, bool]:
    """The first administrator (the Administrator role, the admin site), unless the user exists."""
    user_model = get_user_model()
    existing = user_model.objects.filter(username__iexact=username).first()
    if existing is not None:
        return existing, False
    validate_password(password, user=user_model(username=username, email=email))
    with transaction.atomic():
        user = user_model.objects.create_user(username=username, email=email, password=password)
        user.groups.add(Group.objects.get(name=roles.GROUP_NAMES[roles.ADMINISTRATOR]))
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user, True


def create_unit(*, code: str, name: str, kind: str = Unit.Kind.PAYROLL) -> tuple[Unit, bool]:
    return Unit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


def import_price_list_file(path) -> object:
    with open(path, "rb") as binary:
        return import_price_list(binary)


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def check_install() -> list[Finding]:
    """What the first close needs, and what production should have, each ok, a warning or an error."""
    findings = []
    add = findings.append
    add(Finding(WARNING, "DEBUG is on: these are development settings") if settings.DEBUG else Finding(OK, "DEBUG off"))
    pending = pending_migrations()
    if pending:
        add(Finding(ERROR, "migrations not applied: run manage.py migrate", ", ".join(pending[:5])))
        return findings  # the rest reads tables that may not be there
    add(Finding(OK, "database migrated"))
    for message in django_checks.run_checks(include_deployment_checks=not settings.DEBUG):
        if message.is_silenced():
            continue
        level = ERROR if message.is_serious() else WARNING
        add(Finding(level, f"check {message.id}", str(message.msg)))
    if settings.CELERY_BROKER_URL:
        add(Finding(OK, "task queue reachable") if health.broker_ok() else Finding(ERROR, "task queue not reachable"))
    else:
        add(Finding(WARNING, "no CELERY_BROKER_URL: jobs run inside the web requests"))
    centre = settings.SERVICE_CENTRE
    shown = ", ".join(f"{key}={value}" for key, value in centre.items())
    if centre == EXAMPLE_SERVICE_CENTRE:
        add(Finding(WARNING, "the service centre's details are the examples: set SERVICE_CENTRE_*", shown))
    else:
        add(Finding(OK, "invoices are sent as", shown))
    if not settings.OPS_ALERT_EMAILS:
        add(Finding(WARNING, "no OPS_ALERT_EMAILS or ADMINS: alerts are only logged"))
    elif settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        add(Finding(WARNING, "EMAIL_URL is the console: alerts are printed, not sent"))
    else:
        add(Finding(OK, "alerts go to", ", ".join(settings.OPS_ALERT_EMAILS)))
    admins = list(administrators().values_list("username", flat=True))
    add(Finding(OK, "administrators", ", ".join(admins)) if admins else Finding(ERROR, "no administrator"))
    units = list(Unit.objects.filter(kind=Unit.Kind.PAYROLL).values_list("code", flat=True))
    add(Finding(OK, "payroll units", ", ".join(units)) if units else Finding(ERROR, "no payroll unit"))
    first_close = previous_period(current_period())
    for period in (first_close, current_period()):
        try:
            price_list = price_list_in_force(period)
        except NoPriceList:
            add(Finding(ERROR, f"no price list in force for {period}: import one with --price-list"))
        else:
            add(Finding(OK, f"price list for {period}", str(price_list)))
    agencies = Agency.objects.count()
    if agencies:
        add(Finding(OK, "agencies", str(agencies)))
    else:
        add(Finding(WARNING, "no agencies yet: manage.py import_agencies FILE (or the customers' pages)"))
    return findings
