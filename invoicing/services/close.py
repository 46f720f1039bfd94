"""The monthly close: price every agency's month, issue its invoices, close the period.

The command, the finance button and the Celery beat schedule all start the same
task (``invoicing.tasks``), which runs ``run_close_job``. The month's invoices are issued in ONE
transaction: a failure half-way rolls everything back (no invoice, no number
used, the month stays open) and the close can simply be run again. On
PostgreSQL a transaction-level advisory lock per month makes two workers that
start at once run one after the other; the second finds the month closed and
issues nothing. The unique (agency, period, revision) constraint on invoices
backs this up on every database.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.billing import LOCK_CLASS, lock_month, month_lock_key
from core.jobs import fail_stuck_jobs, heartbeat
from core.models import ClosedPeriod
from core.periods import current_period, parse_period, period_end, previous_period
from payroll.services.volumes import refresh_monthly_volumes
from webhooks import services as webhooks

from ..models import CLOSE_JOBS, CloseJob, Invoice
from . import invoices as invoice_service
from .close_order import describe_months, unclosed_months_before
from .month import price_month

log = logging.getLogger(__name__)


class CloseError(Exception):
    """The close cannot start; the message is for the user."""


class MonthsOutOfOrder(CloseError):
    """Earlier months are not closed; ``months`` lists them, the message is for the user."""

    def __init__(self, message: str, months: list[str]):
        super().__init__(message)
        self.months = months


def validate_closable(period: str) -> None:
    parse_period(period)
    if period >= current_period():
        raise CloseError(_("%(period)s has not ended yet: a month is closed after it ends.") % {"period": period})


def invoice_date_for(period: str) -> dt.date:
    """The close's invoice date: today, or for a month closed long after it ended (the demo,
    a catch-up) the scheduled close day of the month after it."""
    today = timezone.localdate()
    scheduled = period_end(period) + dt.timedelta(days=settings.MONTHLY_CLOSE_DAY)
    return min(today, scheduled) if today > scheduled + dt.timedelta(days=62) else today


def _lock_month(period: str) -> None:
    """Serialise closes of one month across workers, and hold off writes that bill work to the month
    (``core.billing``'s month lock, exclusive, held to commit)."""
    lock_month(period)


class _Progress:
    """Writes a job's progress so that its page sees it while the close's transaction is still open.

    On PostgreSQL it uses a second connection (committed at once); on SQLite, where a second
    writer would wait for the first, progress is written in the transaction and shown at the end.
    """

    def __init__(self, job: CloseJob):
        self.job = job
        self.side = None
        if connection.vendor == "postgresql":
            self.side = connections.create_connection("default")

    def __call__(self, done: int, total: int) -> None:
        self.job.agencies_done, self.job.agencies_total = done, total
        if self.side is None:
            CloseJob.objects.filter(pk=self.job.pk).update(agencies_done=done, agencies_total=total)
            return
        with self.side.cursor() as cursor:
            cursor.execute(
                "UPDATE invoicing_closejob SET agencies_done = %s, agencies_total = %s WHERE id = %s",
                [done, total, self.job.pk],
            )

    def close(self):
        if self.side is not None:
            self.side.close()


def close_month(*, period: str, job: CloseJob | None = None, user=None, invoice_date=None) -> list[Invoice]:
    """Issue the month's invoices, one per agency with something to invoice, and close the month.

    Running it for a closed month issues nothing. Everything happens in one transaction.
    """
    invoice_date = invoice_date or invoice_date_for(period)
    progress = _Progress(job) if job else None
    try:
        with transaction.atomic():
            _lock_month(period)
            if ClosedPeriod.objects.filter(period=period).exists():
                return []
            check_months_before(period)
            months = price_month(period=period)
            total = len(months)
            if progress:
                progress(0, total)
            # Every agency is priced before anything is issued; one that cannot be priced is held.
            held = [Held(month.agency, month.held_reason) for month in months if month.held_reason]
            priced = [month for month in months if not month.held_reason]
            issued, frozen = [], set()
            for done, month in enumerate(priced, start=1 + len(held)):
                invoice = invoice_service.issue_invoice(
                    agency=month.agency,
                    period=period,
                    lines=month.lines,
                    specification=month.specification,
                    invoice_date=invoice_date,
                    user=user,
                    close_job=job,
                    frozen=frozen,
                )
                if invoice is not None:
                    issued.append(invoice)
                if progress:
                    progress(done, total)
            if job is not None:
                job.held = held
            ClosedPeriod.objects.create(period=period)
            refresh_monthly_volumes(periods=[previous_period(previous_period(period)), previous_period(period), period])
            return issued
    finally:
        if progress:
            progress.close()


class Held:
    """An agency the close did not invoice, and why (in the user's words)."""

    def __init__(self, agency, reason: str):
        self.agency, self.reason = agency, reason

    def __str__(self):
        return f"{self.agency.code}: {self.reason}"


def held_agencies(*, period: str) -> list[Held]:
    """The agencies with work billed to a closed ``period`` and no invoice for it, with the reason
    the close held them (priced again now: a mended agreement shows no reason). An agency whose
    invoice was credited is re-invoiced from its invoice, not from here."""
    if not ClosedPeriod.objects.filter(period=period).exists():
        return []
    invoiced = set(Invoice.objects.filter(period=period).values_list("agency_id", flat=True))
    return [
        Held(month.agency, month.held_reason) for month in price_month(period=period) if month.agency.pk not in invoiced
    ]


def create_close_job(*, period: str, user=None, trigger: str = "web") -> CloseJob:
    """Record a close job for the worker (``invoicing.tasks.start_close`` queues it). Refuses a month
    that has not ended or is already closed, a month with unclosed earlier months (with their list:
    ``create_close_jobs_in_order`` closes them first), and a second run while one is queued or running."""
    validate_closable(period)
    if ClosedPeriod.objects.filter(period=period).exists():
        raise CloseError(_("%(period)s is already closed; its invoices have been issued.") % {"period": period})
    check_months_before(period)
    _expire_stale_jobs(period)
    try:
        with transaction.atomic():
            return CloseJob.objects.create(period=period, started_by=user, trigger=trigger)
    except IntegrityError as exc:
        raise CloseError(_("A close of %(period)s is already queued or running.") % {"period": period}) from exc


def _month_lock_held(period: str) -> bool:
    """Whether a worker holds the month's close lock right now (always assumed off PostgreSQL)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
            " AND classid = %s AND objid = %s AND objsubid = 2 AND granted AND mode = 'ExclusiveLock')",
            [LOCK_CLASS, month_lock_key(period)],
        )
        return cursor.fetchone()[0]


def _expire_stale_jobs(period: str) -> None:
    """Fail the month's jobs whose worker is gone: silent past JOB_STALE_SECONDS or never started
    (``core.jobs``, as beat's check does), or, on PostgreSQL, running without holding the month's lock."""
    fail_stuck_jobs(CLOSE_JOBS, only=Q(period=period))
    for job in CloseJob.objects.filter(period=period, state=CloseJob.State.RUNNING):
        if not _month_lock_held(period):
            error = _("Its worker stopped before the close was finished; nothing was issued.")
            _finish(job, CloseJob.State.FAILED, error=error)


def fail_stuck_closes() -> list[CloseJob]:
    """Beat's check: every close whose worker is gone is marked failed with the reason."""
    return fail_stuck_jobs(CLOSE_JOBS)


def fail_close_job(job: CloseJob, *, user) -> bool:
    """An administrator ends a queued or running close as failed (its worker is known to be gone).
    A close whose worker is in fact alive holds its row and is left alone."""
    reason = _("Marked failed by %(user)s.") % {"user": user.get_username()}
    with transaction.atomic():
        locked = CloseJob.objects.select_for_update(skip_locked=True).filter(
            pk=job.pk, state__in=CloseJob.ACTIVE_STATES
        )
        current = locked.first()
        if current is None:
            return False
        current.mark_failed(reason)
    log.warning("close job %s marked failed by user %s", job.pk, user.pk, extra={"job_id": job.pk})
    return True


def _finish(job: CloseJob, state: str, *, error: str = "", message: str = "") -> None:
    job.state, job.error, job.message, job.finished_at = state, error, message, timezone.now()
    job.save(update_fields=["state", "error", "message", "finished_at", "agencies_done", "agencies_total"])


def run_close_job(job_id: int, *, invoice_date=None) -> CloseJob:
    """Run a recorded close job (the Celery task's body): running → done or failed with the error.
    Its messages are stored in the site's language, whoever reads them later."""
    with translation.override(settings.LANGUAGE_CODE):
        return _run_close_job(job_id, invoice_date=invoice_date)


def _run_close_job(job_id: int, *, invoice_date=None) -> CloseJob:
    # Claim the job: a message delivered twice (acks_late) runs it once; the other delivery returns.
    claimed = CloseJob.objects.filter(pk=job_id, state=CloseJob.State.QUEUED).update(
        state=CloseJob.State.RUNNING, started_at=timezone.now()
    )
    job = CloseJob.objects.get(pk=job_id)
    if not claimed:
        return job
    try:
        with heartbeat(job):
            issued = close_month(period=job.period, job=job, user=job.started_by, invoice_date=invoice_date)
    except Exception as exc:
        log.exception("monthly close %s failed", job.period)
        job.agencies_done = 0
        job.save(update_fields=["agencies_done"])
        _finish(job, CloseJob.State.FAILED, error=f"{type(exc).__name__}: {exc}")
        return job
    job.invoices_issued = len(issued)
    job.save(update_fields=["invoices_issued"])
    held = getattr(job, "held", [])
    if issued:
        message = ngettext(
            "%(count)d invoice issued; %(period)s is closed.",
            "%(count)d invoices issued; %(period)s is closed.",
            len(issued),
        ) % {"count": len(issued), "period": job.period}
    elif job.agencies_total:
        message = _("Nothing to invoice; %(period)s is closed.") % {"period": job.period}
    else:
        message = _("%(period)s was already closed or had nothing to invoice; nothing new was issued.") % {
            "period": job.period
        }
    if held:
        message += " " + ngettext(
            "%(count)d agency was held and not invoiced: %(agencies)s.",
            "%(count)d agencies were held and not invoiced: %(agencies)s.",
            len(held),
        ) % {"count": len(held), "agencies": "; ".join(str(h) for h in held)}
    _finish(job, CloseJob.State.DONE, message=message)
    webhooks.emit(
        "close.done",
        {"id": job.pk, "period": job.period, "invoices_issued": job.invoices_issued},
        permission="invoicing.view_invoice",
    )
    return job


def run_scheduled_close(*, today: dt.date | None = None) -> CloseJob | None:
    """Celery beat: close the month before ``today`` unless it is closed already (and any earlier
    unclosed month before it, in order)."""
    today = today or timezone.localdate()
    period = previous_period(f"{today.year:04d}-{today.month:02d}")
    if ClosedPeriod.objects.filter(period=period).exists():
        return None
    try:
        jobs = create_close_jobs_in_order(up_to=period, trigger="schedule")
    except CloseError:
        return None  # a run of one of the months is already queued or running
    return run_close_jobs_in_order([job.pk for job in jobs])[-1]


# --- months in order (services.close_order says which) ------------------------------------------


def check_months_before(period: str) -> None:
    """Refuse ``period`` while earlier months are unclosed (``MonthsOutOfOrder``, with their list)."""
    unclosed = unclosed_months_before(period)
    if unclosed:
        message = ngettext(
            "%(count)d earlier month is not closed: %(months)s. Months close in order: close it first, "
            "or choose to close the earlier months in order.",
            "%(count)d earlier months are not closed: %(months)s. Months close in order: close them first, "
            "or choose to close the earlier months in order.",
            len(unclosed),
        ) % {"count": len(unclosed), "months": describe_months(unclosed)}
        raise MonthsOutOfOrder(message, unclosed)


def create_close_jobs_in_order(*, up_to: str, user=None, trigger: str = "web") -> list[CloseJob]:
    """One queued close job for each unclosed month up to ``up_to``, oldest first (run them with
    ``run_close_jobs_in_order``). Refuses what ``create_close_job`` refuses, but earlier months."""
    validate_closable(up_to)
    if ClosedPeriod.objects.filter(period=up_to).exists():
        raise CloseError(_("%(period)s is already closed; its invoices have been issued.") % {"period": up_to})
    months = [*unclosed_months_before(up_to), up_to]
    for month in months:
        _expire_stale_jobs(month)
    try:
        with transaction.atomic():
            return [CloseJob.objects.create(period=month, started_by=user, trigger=trigger) for month in months]
    except IntegrityError as exc:
        raise CloseError(_("A close of one of these months is already queued or running.")) from exc


def run_close_jobs_in_order(job_ids: list[int], *, invoice_date=None) -> list[CloseJob]:
    """Run close jobs one after the other, oldest month first (the Celery task's body); from the
    first that fails, the rest are marked failed without running."""
    jobs = list(CloseJob.objects.filter(pk__in=job_ids).order_by("period"))
    for n, job in enumerate(jobs):
        jobs[n] = run_close_job(job.pk, invoice_date=invoice_date)
        if jobs[n].state != CloseJob.State.DONE:
            with translation.override(settings.LANGUAGE_CODE):
                error = _("Not run: the close of %(period)s before it failed.") % {"period": job.period}
            for later in jobs[n + 1 :]:
                if CloseJob.objects.filter(pk=later.pk, state=CloseJob.State.QUEUED).exists():
                    _finish(later, CloseJob.State.FAILED, error=error)
            break
    return [CloseJob.objects.get(pk=job.pk) for job in jobs]


def close_months_in_order(*, up_to: str, user=None, trigger: str = "demo", invoice_date=None) -> list[CloseJob]:
    """Close every unclosed month up to ``up_to``, oldest first, here and now (the demo's history,
    a catch-up). Nothing to do when they are all closed. Raises ``CloseError`` with the error of
    the first month that failed (the months before it stay closed)."""
    validate_closable(up_to)
    if ClosedPeriod.objects.filter(period=up_to).exists():
        unclosed = unclosed_months_before(up_to)
        if not unclosed:
            return []
        up_to = unclosed[-1]
    jobs = create_close_jobs_in_order(up_to=up_to, user=user, trigger=trigger)
    done = run_close_jobs_in_order([job.pk for job in jobs], invoice_date=invoice_date)
    failed = [job for job in done if job.state != CloseJob.State.DONE]
    if failed:
        raise CloseError(
            _("The close of %(period)s failed: %(error)s") % {"period": failed[0].period, "error": failed[0].error}
        )
    return done
