import json

from django.core.management.base import BaseCommand, CommandError

from lonservice.observability import alerts, health


class Command(BaseCommand):
    help = (
        "Check readiness as /healthz/ready does (database, broker, worker, beat, jobs) and print it. "
        "Exits 1 when a part fails; --alert e-mails operations (again every ALERT_REPEAT_MINUTES while it "
        "lasts). Run it from cron: a dead worker or beat cannot report itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("--alert", action="store_true", help="e-mail operations when a part fails")

    def handle(self, *args, alert, **options):
        checks = health.readiness()
        self.stdout.write(json.dumps(checks, ensure_ascii=False))
        if alert:
            try:
                alerts.alert_health(checks)
            except Exception as exc:  # the database itself down: no record of alerts sent, mail anyway
                if "database" not in checks["failing"]:
                    raise
                alerts.mail_without_record(checks, exc)
        if checks["failing"]:
            raise CommandError(f"failing: {', '.join(checks['failing'])}", returncode=1)
