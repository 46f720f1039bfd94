"""Writing training sessions: one session with the agencies that took part, saved in one transaction."""

from django.db import transaction

from .models import TrainingSession


@transaction.atomic
def save_session(*, user, session: TrainingSession | None = None, agencies, **fields) -> TrainingSession:
    session = session or TrainingSession()
    for name, value in fields.items():
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    session._history_user = user
    session.save()
    session.agencies.set(agencies)
    return session
