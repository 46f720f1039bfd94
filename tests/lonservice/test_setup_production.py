"""manage.py setup_production: a fresh production install gets its first administrator, units and price
lists, is told what is still missing, and can then close its first month."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import roles
from core.periods import current_period, previous_period
from invoicing import tasks
from invoicing.models import Invoice
from organisation.models import Unit
from pricing.models import PriceList
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Sommar-Regn-Kaffe-2027"


def _price_list_file(tmp_path, year: int):
    path = tmp_path / f"prislista-{year}.csv"
    path.write_text(
        "year;item_code;name;unit;price;base_item\n"
        f"{year};self_service;Lön via Lisa Självservice;lönespecifikation;58;\n"
        f"{year};lisa_tid;Lön via Lisa Tid;lönespecifikation;58;\n"
        f"{year};manual;Lön via manuell rapportering;lönespecifikation;95;self_service\n"
        f"{year};agresso;Lön via Agresso;lönespecifikation;145;manual\n"
        f"{year};girovision;Akut löneutbetalning;lönespecifikation;395;manual\n"
        f"{year};addon_hour;Tilläggstjänst;timme;390;\n",
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture(autouse=True)
def _no_async_unsafe(monkeypatch):
    # The browser tests set it for their process; check --deploy rightly calls it an error in production.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


def _run(*args):
    out = io.StringIO()
    try:
        call_command("setup_production", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


def test_a_fresh_install_is_told_what_the_first_close_needs():
    out, error = _run()
    first_close = previous_period(current_period())
    assert "MISSING no administrator" in out and "MISSING no payroll unit" in out
    assert f"MISSING no price list in force for {first_close}: import one with --price-list" in out
    assert "WARNING no agencies yet" in out
    assert error == "4 things missing before the first close (see MISSING above)", out


@pytest.fixture
def eager():
    from lonservice.celery import app

    before, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield app
    app.conf.task_always_eager = before


def test_setup_creates_what_is_needed_and_the_first_month_closes(tmp_path, monkeypatch, settings, eager):
    settings.OPS_ALERT_EMAILS = ["drift@stad.example.se"]
    monkeypatch.setenv("SETUP_ADMIN_PASSWORD", PASSWORD)
    first_close = previous_period(current_period())
    years = sorted({int(first_close[:4]), int(current_period()[:4])})
    args = ["--admin", "admin.anna", "--admin-email", "anna@stad.example.se", "--unit", "lon1", "Löneenhet 1"]
    args += ["--unit", "lon2", "Löneenhet 2", "--pension-unit", "pension", "Pensionsenheten"]
    for year in years:
        args += ["--price-list", _price_list_file(tmp_path, year)]
    out, error = _run(*args)
    assert error is None, out
    assert "administrator admin.anna: created" in out and "unit Löneenhet 1: created" in out
    assert f"Ready for the first close ({first_close})." in out
    admin = get_user_model().objects.get(username="admin.anna")
    assert admin.check_password(PASSWORD) and admin.is_staff and admin.email == "anna@stad.example.se"
    assert roles.roles_of(admin) == [roles.ADMINISTRATOR]
    assert admin.has_perm("invoicing.run_close") and admin.has_perm("auth.add_user")
    assert sorted(Unit.objects.values_list("code", "kind")) == [
        ("lon1", "payroll"),
        ("lon2", "payroll"),
        ("pension", "pension"),
    ]
    assert sorted(PriceList.objects.values_list("year", flat=True)) == years
    # Run again: nothing new, the password left alone.
    monkeypatch.setenv("SETUP_ADMIN_PASSWORD", "something-else-entirely-42")
    out, error = _run(*args)
    assert error is None and "administrator admin.anna: already there, left as it is" in out
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)
    assert Unit.objects.count() == 3 and PriceList.objects.count() == len(years)
    # The install closes its first month.
    agency = factories.AgencyFactory(code="F01", unit=Unit.objects.get(code="lon1"))
    factories.add_cases(agency, first_close, manual=2, self_service=3)
    job = tasks.start_close(period=first_close, user=admin)
    assert job.state == "done", job.error
    assert Invoice.objects.get().total == 2 * 95 + 3 * 58


def test_a_weak_password_or_a_bad_price_list_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SETUP_ADMIN_PASSWORD", "admin")
    _out, error = _run("--admin", "admin")
    assert error and "lösenord" in error.lower(), error
    assert not get_user_model().objects.filter(username="admin").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("year;item_code;name;unit;price\n2027;manual;Manuell;st;-5\n", encoding="utf-8")
    _out, error = _run("--price-list", str(bad))
    assert error.startswith(f"{bad} was refused; nothing was imported:\n  row 2 price:")
    assert not PriceList.objects.exists()


def test_the_check_warns_about_example_details_and_missing_alerts(settings):
    settings.OPS_ALERT_EMAILS = []
    out, _error = _run()
    assert "WARNING the service centre's details are the examples: set SERVICE_CENTRE_*" in out
    assert "WARNING no OPS_ALERT_EMAILS or ADMINS: alerts are only logged" in out
    settings.SERVICE_CENTRE = {**settings.SERVICE_CENTRE, "name": "Lönecentrum Norrstad"}
    out, _error = _run()
    assert "ok      invoices are sent as: name=Lönecentrum Norrstad" in out


def test_without_a_terminal_the_password_must_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("SETUP_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("os.isatty", lambda fd: False)
    _out, error = _run("--admin", "admin.bo")
    assert error == "set SETUP_ADMIN_PASSWORD (no terminal to ask for the password)"


def test_readme_documents_the_first_run():
    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert "manage.py setup_production" in readme and "SETUP_ADMIN_PASSWORD" in readme
