from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import roles
from demo import certificates as certificates_demo
from demo import customers as customers_demo
from demo import economy as economy_demo
from demo import honours as honours_demo
from demo import invoicing as reporting_demo
from demo import payroll as payroll_demo
from demo import pensions as pensions_demo
from demo import pricing as pricing_demo
from demo import register as register_demo
from demo import staffing as staffing_demo
from demo import users as demo


class Command(BaseCommand):
    help = "Load the demo organisation (2012) with one login per role. Safe to run again: it changes nothing then."

    def handle(self, *args, **options):
        if not settings.SEED_DEMO_ALLOWED:
            # The demo logins' password is printed in the README: never on a production database.
            raise CommandError("seed_demo runs only with DEBUG=true: it creates logins with the published password.")
        with transaction.atomic():
            customers_demo.load_organisation()
            users = demo.load_users()
            customers_demo.load(users=users)
            demo.link_agency_contacts(users)
            pricing_demo.load(users=users)
            payroll_demo.load(users=users)
            pensions_demo.load(users=users)
            staffing_demo.load(users=users)
            register_demo.load(users=users)
            certificates_demo.load(users=users)
            honours_demo.load(users=users)
        # The close issues invoices in transactions of its own.
        reporting_demo.load(users=users)
        economy_demo.load(users=users)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in at http://127.0.0.1:8000/ as:"))
        for username, _full_name, role, _unit in demo.DEMO_USERS:
            self.stdout.write(f"  {roles.GROUP_NAMES[role]:<16} {username:<16} password: {demo.DEMO_PASSWORD}")
