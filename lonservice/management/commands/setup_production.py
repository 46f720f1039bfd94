import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.periods import current_period, previous_period
from lonservice import setup


class Command(BaseCommand):
    help = (
        "First run of a production install: create the first administrator, the units and this year's "
        "price list, then check everything the first monthly close needs (settings, migrations, the task "
        "queue, the service centre's details, alerts). Safe to run again; exits 1 while something is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--admin", metavar="USERNAME", help="create this administrator (if missing)")
        parser.add_argument("--admin-email", default="", metavar="EMAIL")
        parser.add_argument(
            "--unit",
            nargs=2,
            action="append",
            default=[],
            metavar=("CODE", "NAME"),
            help="create a payroll unit (repeat for more)",
        )
        parser.add_argument("--pension-unit", nargs=2, metavar=("CODE", "NAME"), help="create the pension unit")
        parser.add_argument(
            "--price-list",
            action="append",
            default=[],
            metavar="FILE",
            help="import a year's price list (year;item_code;name;unit;price[;base_item;note]); repeatable",
        )

    def handle(self, *args, admin, admin_email, unit, pension_unit, price_list, **options):
        if admin:
            self._administrator(admin, admin_email)
        for code, name in unit:
            self._report(*setup.create_unit(code=code, name=name), "unit")
        if pension_unit:
            self._report(*setup.create_unit(code=pension_unit[0], name=pension_unit[1], kind="pension"), "unit")
        for path in price_list:
            result = setup.import_price_list_file(path)
            if result.rejected:
                lines = "\n".join(f"  row {e.row} {e.column}: {e.message}" for e in result.errors)
                raise CommandError(f"{path} was refused; nothing was imported:\n{lines}")
            self.stdout.write(f"price list: {result.message}")
        findings = setup.check_install()
        for finding in findings:
            mark = {"ok": "ok     ", "warning": "WARNING", "error": "MISSING"}[finding.level]
            detail = f": {finding.detail}" if finding.detail else ""
            self.stdout.write(f"{mark} {finding.what}{detail}")
        missing = [finding for finding in findings if finding.level == setup.ERROR]
        if missing:
            raise CommandError(f"{len(missing)} things missing before the first close (see MISSING above)")
        self.stdout.write(self.style.SUCCESS(f"Ready for the first close ({previous_period(current_period())})."))

    def _administrator(self, username, email):
        password = os.environ.get("SETUP_ADMIN_PASSWORD")
        if password is None and setup.get_user_model().objects.filter(username__iexact=username).exists():
            password = ""  # exists: left as it is, no password asked
        if password is None:
            if not os.isatty(0):
                raise CommandError("set SETUP_ADMIN_PASSWORD (no terminal to ask for the password)")
            password = getpass.getpass(f"Password for {username}: ")
            if password != getpass.getpass("Again: "):
                raise CommandError("the passwords differ")
        try:
            user, created = setup.create_administrator(username=username, email=email, password=password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self._report(user, created, "administrator")

    def _report(self, thing, created, what):
        self.stdout.write(f"{what} {thing}: {'created' if created else 'already there, left as it is'}")
