from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.jobs import QueueUnavailable
from core.models import ClosedPeriod
from core.periods import parse_period
from invoicing import tasks
from invoicing.models import CloseJob
from invoicing.services import close


class Command(BaseCommand):
    help = (
        "Run the monthly close for YYYY-MM: issue one invoice per agency and close the month. "
        "Runs the close task here and waits for it; --queue hands it to the Celery worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("period", help="the month to close, YYYY-MM")
        parser.add_argument("--queue", action="store_true", help="send the task to the worker and return at once")
        parser.add_argument(
            "--in-order",
            action="store_true",
            help="close the unclosed months before it first, oldest first (otherwise they are refused)",
        )

    def handle(self, *args, period, queue, in_order, **options):
        try:
            parse_period(period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            close.validate_closable(period)
        except close.CloseError as exc:
            raise CommandError(str(exc)) from exc
        if queue:
            try:
                job = tasks.start_close(period=period, trigger="command", in_order=in_order)
            except (close.CloseError, QueueUnavailable) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Close job {job.pk} for {period}: {job.get_state_display()}")
            return
        if ClosedPeriod.objects.filter(period=period).exists():
            self.stdout.write(f"{period} is already closed; nothing new was issued.")
            return
        if in_order:
            self._close_in_order(period)
            return
        try:
            close.check_months_before(period)
        except close.CloseError as exc:
            raise CommandError(f"{exc} (--in-order closes them first)") from exc
        try:
            job = CloseJob.objects.create(period=period, trigger="command")
        except Exception as exc:
            raise CommandError(f"A close of {period} is already queued or running.") from exc
        # The same Celery task the button and the schedule use, executed in this process.
        tasks.run_close.apply(args=[job.pk], throw=False)  # a failure is reported below
        job.refresh_from_db()
        if job.state == CloseJob.State.FAILED:
            raise CommandError(f"The close of {period} failed; nothing was issued. {job.error}")
        self.stdout.write(self.style.SUCCESS(job.message))

    def _close_in_order(self, period):
        try:
            jobs = close.create_close_jobs_in_order(up_to=period, trigger="command")
        except close.CloseError as exc:
            raise CommandError(str(exc)) from exc
        # The Celery task the page queues for a run of months, executed in this process.
        tasks.run_closes_in_order.apply(args=[[job.pk for job in jobs]], throw=False)  # failures below
        for job in CloseJob.objects.filter(pk__in=[job.pk for job in jobs]).order_by("period"):
            if job.state != CloseJob.State.DONE:
                raise CommandError(f"The close of {job.period} failed; nothing of it was issued. {job.error}")
            self.stdout.write(self.style.SUCCESS(job.message))
