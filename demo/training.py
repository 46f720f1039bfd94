"""Demo data for agency training (seeds 000, 001, 004: training in payroll handling, Lisa Självservice
and "Smart lönehantering", 8 sessions a year as the 2025 target): this year's sessions so far, held by
both units for some of their agencies, so the page shows the count against the target and each agency's
training beside its machine share. Idempotent: nothing is added when this year has sessions."""

import datetime as dt

from django.utils import timezone

from accounts import roles
from customers.models import Agency
from organisation.models import Unit
from training import services
from training.models import TrainingSession

# month, unit code, topic, title, participants, how many of the unit's agencies
SESSIONS = [
    (2, "lon1", "self_service", "Lisa Självservice för chefer", 18, 3),
    (3, "lon1", "payroll", "Lönehantering: underlag i tid", 22, 4),
    (3, "lon2", "smart", "Smart lönehantering", 15, 3),
    (4, "lon2", "self_service", "Lisa Självservice: frånvaro och tid", 20, 2),
    (5, "lon1", "pension", "Pension och försäkring för HR", 12, 2),
]


def load(*, users) -> None:
    today = timezone.localdate()
    if TrainingSession.objects.filter(held_on__year=today.year).exists():
        return
    manager = users.get(roles.UNIT_MANAGER)
    units = {u.code: u for u in Unit.objects.filter(code__in=["lon1", "lon2"])}
    for month, code, topic, title, participants, count in SESSIONS:
        day = dt.date(today.year, month, 12)
        if code not in units or day > today:
            continue
        agencies = list(Agency.objects.filter(unit=units[code]).order_by("code")[:count])
        services.save_session(
            user=manager,
            held_on=day,
            topic=topic,
            title=title,
            unit=units[code],
            participants=participants,
            agencies=agencies,
            note="",
        )
