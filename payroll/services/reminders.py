"""The reminder before the 8th (issue 16): a few Swedish working days before the month's document
deadline, every agency with returned documents still waiting gets one e-mail listing them.

Beat runs ``payroll.tasks.send_return_reminders`` every weekday morning; the reminder goes out on the
first run from the reminder day up to the deadline, so a day beat missed is caught up, and once per
agency and month (the notice's key), so a second run or a retried task sends nothing more."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.utils import timezone

from core.workdays import add_working_days, document_deadline
from customers import notices
from customers.models import Agency, AgencyNotice
from customers.selectors import active_q

from ..models import CaseReturn


def reminder_day(year: int, month: int) -> dt.date:
    """``RETURN_REMINDER_WORKING_DAYS`` Swedish working days before the month's document deadline."""
    return add_working_days(document_deadline(year, month), -settings.RETURN_REMINDER_WORKING_DAYS)


def send_return_reminders(*, today: dt.date | None = None) -> list[AgencyNotice]:
    """Remind each agency with returned documents outstanding, when ``today`` is between the reminder
    day and the deadline (the deadline itself excluded); the notices recorded (or found) this run."""
    today = today or timezone.localdate()
    deadline = document_deadline(today.year, today.month)
    if not reminder_day(today.year, today.month) <= today < deadline:
        return []
    waiting = (
        CaseReturn.objects.filter(document_arrived_on__isnull=True, returned_on__lte=today)
        .filter(case__agency__in=Agency.objects.filter(active_q(today)))
        .select_related("case__agency")
        .order_by("case__agency__code", "reply_by", "id")
    )
    by_agency = defaultdict(list)
    for case_return in waiting:
        by_agency[case_return.case.agency].append(case_return)
    sent = []
    for agency, returns in by_agency.items():
        notice = notices.return_reminder(
            agency,
            month=f"{today:%Y-%m}",
            deadline=deadline,
            returns=[(r.case.reference, r.missing_labels, r.reply_by) for r in returns],
        )
        if notice is not None:
            sent.append(notice)
    return sent
