"""What an app puts in the audit trail.

Each app lists the models it audits in its own ``audit.py`` as ``AUDITED = [AuditedModel(...)]``;
the audit trail (``audit/trail.py``, on top of every app) imports those lists. So an app says
itself what is audited, which unit a record belongs to and where its page is, and the trail
names no model by string.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class AuditedModel:
    """One audited model.

    ``scope(units)`` gives the Q, on the history table (or on the model itself when it has no
    history), of the records that belong to a queryset of units; None: the model belongs to no
    unit and only those who see every unit read its records. ``url_name`` (reversed with the
    object's id) links a record to its page for users with ``url_permission``.

    A model without history (``history=False``) is immutable: each row is one event, made at
    ``event_at`` by ``event_by`` (field names), and ``describe(ids)`` returns, per id, a label
    and the (field label, value) pairs it was created with.
    """

    key: str
    label: str
    model: type[models.Model]
    scope: Callable[[models.QuerySet], Q] | None
    url_name: str = ""
    url_permission: str = ""
    history: bool = True
    event_at: str = ""
    event_by: str = ""
    describe: Callable[[list[int]], dict[int, tuple[str, list[tuple[str, str]]]]] | None = None

    def table(self) -> type[models.Model]:
        """The table whose rows are the audit records."""
        return self.model.history.model if self.history else self.model
