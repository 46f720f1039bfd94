import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import roles
from demo import board as board_demo
from demo import calendar
from demo import certificates as certificates_demo
from demo import customers as customers_demo
from demo import economy as economy_demo
from demo import honours as honours_demo
from demo import invoicing as reporting_demo
from demo import payroll as payroll_demo
from demo import pensions as pensions_demo
from demo import portal as portal_demo
from demo import pricing as pricing_demo
from demo import quality as quality_demo
from demo import register as register_demo
from demo import staffing as staffing_demo
from demo import training as training_demo
from demo import users as demo
from demo import workplaces as workplaces_demo


class Command(BaseCommand):
    help = (
        "Load the demo organisation: the seeds' 2012 laid on the current year, the months before this one "
        "closed, this month open. One login per role. Safe to run again: it changes nothing then."
    )

    def handle(self, *args, **options):
        if not settings.SEED_DEMO_ALLOWED:
            # The demo logins' password is printed in the README: never on a production database.
            raise CommandError("seed_demo runs only with DEBUG=true: it creates logins with the published password.")
        months = calendar.periods()
        self.stdout.write(
            f"Demo year {calendar.year()} on today's calendar ({calendar.present()}): "
            + (f"{months[0]} to {months[-1]} closed, " if months else "")
            + "this month open."
        )
        started = time.perf_counter()
        with transaction.atomic():
            self._step("organisation", customers_demo.load_organisation)
            users = self._step("users", demo.load_users)
            self._step("agencies, agreements, customer log", lambda: customers_demo.load(users=users))
            self._step("agency contacts' agencies", lambda: demo.link_agency_contacts(users))
            self._step("price lists", lambda: pricing_demo.load(users=users))
            self._step("payslips and payroll cases", lambda: payroll_demo.load(users=users))
            self._step("pension cases and signal lists", lambda: pensions_demo.load(users=users))
            self._step("staff, FTE, sick leave, phone, survey", lambda: staffing_demo.load(users=users))
            self._step("deviations and the skills matrix", lambda: quality_demo.load(users=users))
            self._step("employment register", lambda: register_demo.load(users=users))
            self._step("certificates", lambda: certificates_demo.load(users=users))
            self._step("honours", lambda: honours_demo.load(users=users))
            self._step("workplaces", lambda: workplaces_demo.load(users=users))
            self._step("agency training", lambda: training_demo.load(users=users))
            self._step("board reports: commitments, comments, control plan, NKI", lambda: board_demo.load(users=users))
        # The close issues invoices in transactions of its own, month by month in order.
        self._step("monthly closes", lambda: reporting_demo.load(users=users, progress=self._progress))
        self._step("economy: budget and costs of the closed months", lambda: economy_demo.load(users=users))
        # The disputes need the issued invoices: after the closes.
        self._step(
            "portal: customer messages, forms, invoice disputes, feedback", lambda: portal_demo.load(users=users)
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.perf_counter() - started:.1f} s."))
        self.stdout.write("Log in at http://127.0.0.1:8000/ as:")
        for username, _full_name, role, _unit in demo.DEMO_USERS:
            self.stdout.write(f"  {roles.GROUP_NAMES[role]:<16} {username:<16} password: {demo.DEMO_PASSWORD}")

    def _step(self, name, load):
        self.stdout.write(f"  {name} …")
        self.stdout.flush()
        started = time.perf_counter()
        result = load()
        self.stdout.write(f"  {name}: {time.perf_counter() - started:.1f} s")
        return result

    def _progress(self, message, seconds):
        self.stdout.write(f"    {message} ({seconds:.1f} s)")
        self.stdout.flush()
