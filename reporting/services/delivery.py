"""The monthly and tertial reports e-mailed as PDF to the staff who subscribe to them.

As the agencies' notices (``customers.notices``): each delivery is recorded first (``ReportDelivery``,
one per report, month or tertial and recipient: a second run finds the first and sends nothing),
queued when the transaction that made it commits, and sent by the Celery task
``reporting.tasks.send_report``. A send that fails is marked failed with its error and retried by the
task; ``resend`` queues a failed one again; a delivery already sent is never sent again.

Beat runs ``deliver_due_reports`` every morning: after the monthly close of a month, the month's
report goes to the monthly report's subscribers, and after the close of April, August and December the
tertial's report to the tertial report's. A subscriber who lost the right to read the reports, or has no
e-mail address, gets nothing."""

import logging
from contextlib import suppress

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.billing import latest_closed_period
from core.jobs import QueueUnavailable, enqueue
from core.periods import tertial_of

from ..models import ReportDelivery, ReportKind
from ..selectors import subscriptions
from .monthly import monthly_report
from .tertial import board_tertial_report

log = logging.getLogger(__name__)
READ = "reporting.view_board_reports"


def build(kind: str, scope: str):
    """The report a delivery sends: ``monthly`` of ``2012-03``, ``tertial`` of ``2012-T1``."""
    if kind == ReportKind.MONTHLY:
        return monthly_report(period=scope)
    year, tertial = scope.split("-T")
    return board_tertial_report(year=int(year), tertial=int(tertial))


def due_reports(period: str | None) -> list[tuple[str, str]]:
    """The reports due after the close of ``period``: its monthly report, and the tertial's when it
    is the tertial's last month."""
    if period is None:
        return []
    due = [(ReportKind.MONTHLY.value, period)]
    if int(period[5:]) % 4 == 0:
        due.append((ReportKind.TERTIAL.value, f"{period[:4]}-T{tertial_of(period)}"))
    return due


def _subject(kind: str, scope: str) -> str:
    if kind == ReportKind.MONTHLY:
        return _("Monthly report %(period)s") % {"period": scope}
    year, tertial = scope.split("-T")
    return _("Tertial report %(year)s, tertial %(tertial)s") % {"year": year, "tertial": tertial}


def record(*, kind: str, scope: str, user) -> ReportDelivery | None:
    """Record the delivery of one report to one user (once) and queue it when the transaction commits;
    None when the user may not read it or has no address."""
    key = f"{kind}:{scope}:{user.pk}"
    existing = ReportDelivery.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if not user.email or not user.has_perm(READ):
        log.warning("report %s not sent to user %s: no address or no right to read it", key, user.pk)
        return None
    with override(settings.LANGUAGE_CODE):
        subject = _subject(kind, scope)
    delivery = ReportDelivery.objects.create(
        key=key, kind=kind, scope=scope, user=user, recipient=user.email, subject=subject
    )
    transaction.on_commit(lambda: queue(delivery))
    return delivery


def deliver_due_reports(*, period: str | None = None) -> list[ReportDelivery]:
    """Record (and queue) every subscriber's reports due after the latest close (or ``period``'s)."""
    period = period or latest_closed_period()
    made = []
    with transaction.atomic():
        for kind, scope in due_reports(period):
            for subscription in subscriptions(kind):
                delivery = record(kind=kind, scope=scope, user=subscription.user)
                if delivery is not None:
                    made.append(delivery)
    return made


def queue(delivery: ReportDelivery) -> None:
    from ..tasks import send_report

    with suppress(QueueUnavailable):  # marked failed with the reason, sent again by resend()
        enqueue(send_report, delivery.pk, job=delivery)


def resend(delivery: ReportDelivery) -> None:
    """Queue a failed delivery again (one already sent is left alone by deliver)."""
    if delivery.status == ReportDelivery.Status.FAILED:
        queue(delivery)


def deliver(delivery_id: int) -> ReportDelivery:
    """Send the report as PDF unless it was sent already; a failure is recorded and raised (the task retries)."""
    with transaction.atomic():
        delivery = ReportDelivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status == ReportDelivery.Status.SENT:
            return delivery
        delivery.attempts += 1
        try:
            with override(settings.LANGUAGE_CODE):
                report = build(delivery.kind, delivery.scope)
                body = _(
                    "%(title)s is attached as PDF. The report is also on the service's pages, where the "
                    "subscription can be stopped.\n"
                ) % {"title": report.title}
                pdf = report.pdf()
            message = EmailMessage(delivery.subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.recipient])
            message.attach(report.filename("pdf"), pdf, "application/pdf")
            message.send()
        except Exception as exc:
            delivery.status, delivery.error = ReportDelivery.Status.FAILED, str(exc)[:1000]
            delivery.save(update_fields=["status", "error", "attempts"])
            failed = exc
        else:
            delivery.status, delivery.error, delivery.sent_at = ReportDelivery.Status.SENT, "", timezone.now()
            delivery.save(update_fields=["status", "error", "attempts", "sent_at"])
            return delivery
    raise failed
