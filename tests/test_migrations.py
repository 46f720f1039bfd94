"""Data survives the move of models between apps (issue 13).

A scratch database is migrated to the state before the move (the last migrations of the old
apps) and given what a database of that time held: the content types and permissions
``migrate`` created, and rows in every model that moved, written through the models as they
were. It is then migrated to the latest state, and every row is found through the new models;
permissions held by groups and the admin site's log follow their models; on PostgreSQL the
immutability trigger still refuses to change an issued invoice.

Runs on SQLite and on PostgreSQL (CI runs the suite there, so the trigger is checked in CI).
A scratch database, not the test database, so that a failure leaves the other tests alone."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.conftest import IN_CI

ALIAS = "before_the_move"
# The last migrations of the apps as they were before the move.
BEFORE_THE_MOVE = [
    ("customers", "0004_historicaladdonhours"),
    ("pricing", "0003_alter_pricelist_options_and_more"),
    ("payroll", "0004_case_list_agency_id_index"),
    ("pensions", "0001_initial"),
    ("staffing", "0001_initial"),
    ("reporting", "0004_close_job_trigger_choices"),
    ("lonservice", "0001_initial"),
]
NUMBER = "19650315-1232"


@pytest.fixture
def scratch(django_db_setup, django_db_blocker, tmp_path):
    """A connection to an empty database of the test database's kind (outside the test database's
    transactions: the migrations run as ``migrate`` runs them)."""
    with django_db_blocker.unblock():
        settings_dict = {**connection.settings_dict}
        if connection.vendor == "postgresql":
            settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_move"[:63]
            name = connection.ops.quote_name(settings_dict["NAME"])
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name}")
                cursor.execute(f"CREATE DATABASE {name}")
        else:
            settings_dict["NAME"] = str(tmp_path / "before-the-move.sqlite3")
        connections.settings[ALIAS] = settings_dict
        try:
            yield connections[ALIAS]
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]
            if connection.vendor == "postgresql":
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def _migrate(scratch, targets):
    executor = MigrationExecutor(scratch)
    executor.migrate(targets)
    return executor.loader


def _as_migrate_left_it(scratch, old_apps) -> None:
    """The content types and permissions ``migrate`` created for the models as they were (for the
    apps that had models then: lonservice had, today it has none)."""
    for label in sorted({model._meta.app_label for model in old_apps.get_models()}):
        app_had_models = SimpleNamespace(label=label, models_module=True)
        create_contenttypes(app_had_models, verbosity=0, using=scratch.alias, apps=old_apps)
        create_permissions(app_had_models, verbosity=0, using=scratch.alias, apps=old_apps)


def _write_before_the_move(old_apps) -> dict:
    """A row in every model that moves, written through the models as they were."""

    def rows(label):
        return old_apps.get_model(label).objects.using(ALIAS)

    now = timezone.now()
    user = rows("auth.User").create(username="migrator")
    unit = rows("customers.Unit").create(code="lon9", name="Löneenhet 9")
    team = rows("customers.Team").create(unit=unit, name="Team Nio")
    staff = rows("customers.StaffMember").create(unit=unit, team=team, name="Nina Nio", category="payroll_admin")
    rows("customers.HistoricalStaffMember").create(
        id=staff.pk, unit_id=unit.pk, team_id=team.pk, name="Nina Nio", category="payroll_admin", active=True,
        history_date=now, history_type="+",
    )  # fmt: skip
    person = rows("customers.Person").create(personnummer=NUMBER, name="Hemlig Nio", protected_identity=True)
    rows("customers.HistoricalPerson").create(
        id=person.pk, personnummer=NUMBER, name="Hemlig Nio", protected_identity=True, history_date=now,
        history_type="+", history_user_id=user.pk,
    )  # fmt: skip
    rows("customers.ProtectedIdentityAccess").create(user=user, person=person, context="case page before the move")
    target = rows("reporting.Target").create(
        indicator="payslips_per_payroll_fte", year=2031, value=Decimal("975"), note="Plan 2031"
    )
    rows("reporting.HistoricalTarget").create(
        id=target.pk, indicator=target.indicator, year=2031, value=Decimal("975"), note="Plan 2031",
        history_date=now, history_type="+",
    )  # fmt: skip
    agency = rows("customers.Agency").create(code="NIO", name="Nionde", kind="district", unit=unit)
    job = rows("reporting.CloseJob").create(period="2031-03", state="done", started_by=user)
    rows("reporting.InvoiceNumberSeries").create(year=2031, last_number=1)
    invoice = rows("reporting.Invoice").create(
        number="2031-00001", series_year=2031, sequence=1, period="2031-03", invoice_date=dt.date(2031, 4, 10),
        due_date=dt.date(2031, 5, 10), agency=agency, unit=unit, agency_code="NIO", agency_name="Nionde",
        total=Decimal("580.00"), close_job=job, issued_by=user,
    )  # fmt: skip
    rows("reporting.InvoiceLine").create(
        invoice=invoice, position=1, item_code="manual", name="Manuell", unit="st", quantity=Decimal("10"),
        unit_price=Decimal("58.00"), amount=Decimal("580.00"),
    )  # fmt: skip
    rows("reporting.MonthlyVolume").create(period="2031-03", agency=agency, unit=unit, channel="manual", payslips=10)
    rows("reporting.AggregatedPeriod").create(period="2031-03")
    rows("pricing.ClosedPeriod").create(period="2031-03")

    def permission(app_label, model, codename):
        return rows("auth.Permission").get(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        )

    group = rows("auth.Group").create(name="Moved permissions")
    group.permissions.add(
        permission("customers", "person", "view_protected_identity"),
        permission("lonservice", "audittrail", "view_audit_trail"),
    )
    user.groups.add(group)
    rows("admin.LogEntry").create(
        user=user, content_type=rows("contenttypes.ContentType").get(app_label="customers", model="person"),
        object_id=str(person.pk), object_repr="person", action_flag=CHANGE, change_message="before the move",
    )  # fmt: skip
    return {"person": person.pk, "unit": unit.pk, "invoice": invoice.pk, "group": group.pk, "user": user.pk}


def _before_the_move(scratch) -> list[tuple[str, str]]:
    """The project's apps before the move, with Django's and the libraries' apps as they are now."""
    base_dir = Path(settings.BASE_DIR)
    ours = {config.label for config in global_apps.get_app_configs() if Path(config.path).parent == base_dir}
    libraries = [node for node in MigrationExecutor(scratch).loader.graph.leaf_nodes() if node[0] not in ours]
    return [*BEFORE_THE_MOVE, *libraries]


def test_rows_permissions_and_the_admin_log_survive_the_move(scratch):
    targets = _before_the_move(scratch)
    old_apps = _migrate(scratch, targets).project_state(targets).apps
    _as_migrate_left_it(scratch, old_apps)
    written = _write_before_the_move(old_apps)

    _migrate(scratch, MigrationExecutor(scratch).loader.graph.leaf_nodes())

    from core.models import ClosedPeriod
    from invoicing.models import CloseJob, Invoice, InvoiceNumberSeries
    from organisation.models import StaffMember, Target, Team, Unit
    from payroll.models import AggregatedPeriod, MonthlyVolume
    from people.models import Person, ProtectedIdentityAccess

    def rows(model):
        return model.objects.using(ALIAS)

    person = rows(Person).get(pk=written["person"])
    assert (person.personnummer, person.name, person.protected_identity) == (NUMBER, "Hemlig Nio", True)
    history = Person.history.using(ALIAS).filter(id=person.pk)
    assert list(history.values_list("name", "history_user_id")) == [("Hemlig Nio", written["user"])]
    access = rows(ProtectedIdentityAccess).get(context="case page before the move")
    assert (access.person, access.user.username) == (person, "migrator")
    unit = rows(Unit).get(pk=written["unit"])
    assert rows(Team).get(unit=unit).name == "Team Nio"
    staff = rows(StaffMember).get(unit=unit)
    assert (staff.name, staff.team.name) == ("Nina Nio", "Team Nio")
    assert StaffMember.history.using(ALIAS).filter(id=staff.pk).count() == 1
    target = rows(Target).get(year=2031)
    assert (target.value, target.note) == (Decimal("975.00"), "Plan 2031")
    assert Target.history.using(ALIAS).filter(id=target.pk).count() == 1
    invoice = rows(Invoice).get(pk=written["invoice"])
    assert (invoice.number, invoice.unit, invoice.agency.code, invoice.close_job.period) == (
        "2031-00001",
        unit,
        "NIO",
        "2031-03",
    )
    assert [(line.item_code, line.amount) for line in invoice.lines.all()] == [("manual", Decimal("580.00"))]
    assert rows(InvoiceNumberSeries).get(year=2031).last_number == 1
    assert rows(CloseJob).get(period="2031-03").state == "done"
    assert rows(MonthlyVolume).get(period="2031-03").payslips == 10
    assert rows(AggregatedPeriod).filter(period="2031-03").exists()
    assert rows(ClosedPeriod).filter(period="2031-03").exists()

    # The permissions the group holds are the same rows, now under the models' new apps.
    group = rows(Group).get(pk=written["group"])
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert held == {"people.view_protected_identity", "audit.view_audit_trail"}
    assert not rows(ContentType).filter(app_label="customers", model="person").exists()
    assert not rows(Permission).filter(content_type__app_label="customers", codename="view_protected_identity")
    entry = rows(LogEntry).select_related("content_type").get(change_message="before the move")
    assert entry.content_type.model_class() is Person
    assert entry.content_type.get_object_for_this_type(using=ALIAS, pk=entry.object_id) == person

    assert scratch.vendor == "postgresql" or not IN_CI, "CI must check the invoice trigger on PostgreSQL"
    if scratch.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError, match="cannot be changed or deleted"),
            transaction.atomic(using=ALIAS),
            scratch.cursor() as cursor,
        ):
            cursor.execute("UPDATE invoicing_invoice SET total = 1 WHERE id = %s", [invoice.pk])
        assert rows(Invoice).get(pk=invoice.pk).total == Decimal("580.00")
