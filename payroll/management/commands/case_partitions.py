from django.core.management.base import BaseCommand

from payroll import partitions


class Command(BaseCommand):
    help = (
        "The payroll case table's monthly partitions (PostgreSQL): make this month's and the next "
        f"{partitions.MONTHS_AHEAD} months' partitions, and with --drop-expired drop the months older "
        "than the retention limit (PAYROLL_CASE_RETENTION_YEARS full years) whose cases are all finished "
        "and billed in closed months, with the rows that refer to them. Without PostgreSQL partitions "
        "the expired months' rows are deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--drop-expired", action="store_true", help="drop the months past the retention limit")
        parser.add_argument("--years", type=int, default=None, help="retention in full calendar years")
        parser.add_argument("--dry-run", action="store_true", help="with --drop-expired: count, drop nothing")

    def handle(self, *args, **o):
        made = partitions.ensure_upcoming()
        if partitions.is_partitioned():
            self.stdout.write(f"{len(partitions.partitions())} monthly partitions; made now: {', '.join(made) or '-'}")
        else:
            self.stdout.write("The case table is not partitioned (SQLite): no partitions to make.")
        if not o["drop_expired"]:
            return
        cutoff = partitions.retention_cutoff(years=o["years"])
        dropped = partitions.drop_expired(cutoff=cutoff, dry_run=o["dry_run"])
        verb = "would remove" if o["dry_run"] else "removed"
        for month in dropped:
            self.stdout.write(
                f"  {month.period}: {verb} {month.cases:,} cases and {month.dependent_rows:,} rows referring to them"
            )
        self.stdout.write(f"Months before {cutoff}: {verb} {len(dropped)}.")
