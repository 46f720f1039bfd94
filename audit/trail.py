"""The audit trail: who changed what and when, read from django-simple-history's tables.

Each app lists the models it audits in its own ``audit.py`` (``core.audit.AuditedModel``: the
model, the unit a record belongs to, its page); this module imports those lists, reads the
history tables side by side (one SQL ``UNION ALL``, ordered by time and paginated in the
database) and turns a page of records into readable changes (field: before → after). Issued
invoices are never changed (invoicing.Invoice is immutable), so an invoice's own row — who
issued it, when, why — is its audit record.

Administrators (``organisation.view_all_units``) read every unit's records; a unit manager only
those of objects that belong to their own unit. Objects of no unit (price lists, targets)
are shown only to those who see every unit.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import customers.audit
import invoicing.audit
import organisation.audit
import payroll.audit
import pensions.audit
import pricing.audit
import staffing.audit
from core.audit import AuditedModel
from organisation.selectors import VIEW_ALL_UNITS, units_for
from people.models import Person, ProtectedIdentityAccess
from people.selectors import matching_personnummer

PERMISSION = "audit.view_audit_trail"
IDENTITY_LOG_PERMISSION = "people.view_protectedidentityaccess"
MAX_VALUE_LENGTH = 200
ADMIN_SITE = "admin_site"

SOURCES: list[AuditedModel] = [
    *customers.audit.AUDITED,
    *pricing.audit.AUDITED,
    *payroll.audit.AUDITED,
    *pensions.audit.AUDITED,
    *staffing.audit.AUDITED,
    *invoicing.audit.AUDITED,
    *organisation.audit.AUDITED,
    # Users, roles and groups are changed in the admin site, which logs each change itself.
    AuditedModel(ADMIN_SITE, _("Admin site (users, groups, …)"), LogEntry, None, history=False),
]
SOURCE_BY_KEY = {source.key: source for source in SOURCES}

ACTION_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def sees_every_unit(user) -> bool:
    return user.has_perm(VIEW_ALL_UNITS)


def sources_for(user) -> list[AuditedModel]:
    """The audited models whose records ``user`` may read."""
    if not user.has_perm(PERMISSION):
        return []
    if sees_every_unit(user):
        return list(SOURCES)
    return [source for source in SOURCES if source.scope is not None]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _branch(source: AuditedModel, *, units, user_ids, date_from, date_to) -> models.QuerySet:
    """One audited table as rows (history id, when, action, user id, object id, source key)."""
    table = source.table()
    if source.history:
        columns = {"a_hid": F("history_id"), "a_date": F("history_date"), "a_type": F("history_type")}
        columns |= {"a_user": F("history_user_id"), "a_obj": F("id")}
        date_field, user_field = "history_date", "history_user_id"
    elif source.key == ADMIN_SITE:
        action = Case(
            When(action_flag=ADDITION, then=Value("+")),
            When(action_flag=DELETION, then=Value("-")),
            default=Value("~"),
            output_field=CharField(),
        )
        columns = {"a_hid": F("id"), "a_date": F("action_time"), "a_type": action}
        columns |= {"a_user": F("user_id"), "a_obj": F("id")}
        date_field, user_field = "action_time", "user_id"
    else:
        columns = {"a_hid": F("id"), "a_date": F(source.event_at), "a_type": Value("+", output_field=CharField())}
        columns |= {"a_user": F(source.event_by), "a_obj": F("id")}
        date_field, user_field = source.event_at, source.event_by
    queryset = table.objects.order_by()
    if units is not None:
        queryset = queryset.filter(source.scope(units))
    if user_ids is not None:
        queryset = queryset.filter(**{f"{user_field}__in": user_ids})
    if date_from:
        queryset = queryset.filter(**{f"{date_field}__gte": _day_start(date_from)})
    if date_to:
        queryset = queryset.filter(**{f"{date_field}__lt": _day_start(date_to + dt.timedelta(days=1))})
    return queryset.annotate(**columns, a_src=Value(source.key, output_field=CharField())).values_list(
        "a_hid", "a_date", "a_type", "a_user", "a_obj", "a_src"
    )


def _matching_users(text: str) -> list[int]:
    users = get_user_model().objects.all()
    for word in text.split():
        users = users.filter(Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(users.values_list("pk", flat=True)[:500])


def records_for(user, *, source: str = "", who: str = "", date_from=None, date_to=None) -> models.QuerySet | None:
    """Every audit record ``user`` may read, newest first, as one query (None: nothing to read).

    ``source`` limits to one audited model (its key), ``who`` to changes by users whose
    user name or name contains the words, ``date_from``/``date_to`` to days (both included).
    """
    sources = sources_for(user)
    if source:
        sources = [s for s in sources if s.key == source]
    if not sources:
        return None
    units = None if sees_every_unit(user) else units_for(user)
    user_ids = _matching_users(who) if who.strip() else None
    branches = [_branch(s, units=units, user_ids=user_ids, date_from=date_from, date_to=date_to) for s in sources]
    combined = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    return combined.order_by("-a_date", "-a_hid")


# --- a page of records as readable entries ---------------------------------------------------------


@dataclass
class Change:
    field: str
    old: str
    new: str
    initial: bool = False  # a value the object was created with (nothing before it)


@dataclass
class Entry:
    when: dt.datetime
    user: str
    action: str
    source: str
    object_label: str
    url: str
    changes: list[Change]


def _short(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"


class _Values:
    """Shows a history field's raw value the way people know it: choices by label, links by name."""

    def __init__(self):
        self.cache: dict[tuple, str] = {}

    def show(self, model, field_name: str, value) -> str:
        try:
            field = model._meta.get_field(field_name)
        except Exception:
            return _short(value)
        if value in (None, ""):
            return ""
        if field.choices:
            return _short(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.ForeignKey):
            return self._related(field.related_model, value)
        if isinstance(field, models.BooleanField):
            return str(_("yes") if value else _("no"))
        if isinstance(field, models.DecimalField):
            return number_format(value, field.decimal_places, use_l10n=True, force_grouping=True)
        return _short(value)

    def _related(self, model, pk) -> str:
        key = (model._meta.label, pk)
        if key not in self.cache:
            if model is Person:
                text = f"#{pk}"  # never a name: the trail must not leak a protected identity
            elif model is get_user_model():
                user = model.objects.filter(pk=pk).first()
                text = (user.get_full_name() or user.get_username()) if user else f"#{pk}"
            else:
                obj = model._default_manager.filter(pk=pk).first()
                text = str(obj) if obj is not None else f"#{pk}"
            self.cache[key] = _short(text)
        return self.cache[key]


def _user_label(user_model, user_id, cache) -> str:
    if user_id is None:
        return str(_("System"))
    if user_id not in cache:
        user = user_model.objects.filter(pk=user_id).first()
        cache[user_id] = (user.get_full_name() or user.get_username()) if user else f"#{user_id}"
    return cache[user_id]


def _history_entries(source: AuditedModel, history_ids: list[int], values: _Values) -> dict[int, dict]:
    model = source.model
    result = {}
    for record in source.table().objects.filter(history_id__in=history_ids):
        changes = []
        if record.history_type == "~":
            previous = record.prev_record
            if previous is not None:
                for change in record.diff_against(previous).changes:
                    if _same_text(change.old, change.new):
                        continue
                    changes.append(
                        Change(
                            str(model._meta.get_field(change.field).verbose_name),
                            values.show(model, change.field, change.old),
                            values.show(model, change.field, change.new),
                        )
                    )
        try:
            label = str(record.instance)
        except Exception:  # a related row is gone; the id still says which object it was
            label = f"#{record.id}"
        result[record.history_id] = {"label": label, "changes": changes, "reason": record.history_change_reason}
    return result


def _same_text(old, new) -> bool:
    """A text that differs only in line endings (a browser sends CRLF) is not a change anyone made."""
    return isinstance(old, str) and isinstance(new, str) and old.replace("\r\n", "\n") == new.replace("\r\n", "\n")


def _event_entries(source: AuditedModel, ids: list[int]) -> dict[int, dict]:
    """An immutable model's rows, each shown with the values it was created with."""
    result = {}
    for pk, (label, values) in source.describe(ids).items():
        changes = [Change(name, "", _short(value), initial=True) for name, value in values]
        result[pk] = {"label": label, "changes": changes, "reason": ""}
    return result


def _admin_entries(ids: list[int]) -> dict[int, dict]:
    result = {}
    for entry in LogEntry.objects.filter(pk__in=ids).select_related("content_type"):
        model = entry.content_type.model_class() if entry.content_type else None
        kind = model._meta.verbose_name if model else ""
        message = entry.get_change_message()
        if model is Group:
            # A role group's stored name is its role's English name, the msgid of the name people read.
            entry.object_repr = gettext(entry.object_repr)
        changes = [Change(str(_("change")), "", _short(message), initial=True)] if message else []
        result[entry.pk] = {"label": f"{kind}: {entry.object_repr}" if kind else entry.object_repr, "changes": changes}
    return result


def entries(user, rows: list[tuple]) -> list[Entry]:
    """Readable entries for a page of ``records_for`` rows (a few queries per audited model on the page)."""
    by_source: dict[str, list[int]] = {}
    for hid, _when, _type, _user, _obj, key in rows:
        by_source.setdefault(key, []).append(hid)
    values = _Values()
    details: dict[tuple[str, int], dict] = {}
    for key, ids in by_source.items():
        source = SOURCE_BY_KEY[key]
        if source.history:
            found = _history_entries(source, ids, values)
        elif key == ADMIN_SITE:
            found = _admin_entries(ids)
        else:
            found = _event_entries(source, ids)
        details.update({(key, hid): detail for hid, detail in found.items()})
    user_model, user_cache = get_user_model(), {}
    result = []
    for hid, when, action, user_id, object_id, key in rows:
        source = SOURCE_BY_KEY[key]
        detail = details.get((key, hid), {"label": f"#{object_id}", "changes": [], "reason": ""})
        url = ""
        if source.url_name and user.has_perm(source.url_permission) and action != "-":
            url = reverse(source.url_name, args=[object_id])
        label = ACTION_LABELS.get(action, action) if source.history or key == ADMIN_SITE else _("Issued")
        result.append(
            Entry(
                when=when,
                user=_user_label(user_model, user_id, user_cache),
                action=str(label),
                source=str(source.label),
                object_label=detail["label"],
                url=url,
                changes=detail["changes"],
            )
        )
    return result


class Page:
    """A lazily read list of audit entries for django-tables2 and its paginator: the database
    counts and slices the union; only the rows of the page shown are turned into entries."""

    def __init__(self, user, records):
        self.user, self.records = user, records

    def __len__(self):
        return 0 if self.records is None else self.records.count()

    def count(self):
        return len(self)

    def __getitem__(self, index):
        if self.records is None:
            return [] if isinstance(index, slice) else None
        if isinstance(index, slice):
            return entries(self.user, list(self.records[index]))
        return entries(self.user, [self.records[index]])[0]

    def __iter__(self):
        return iter(self[0 : len(self)])


# --- the log of unmasked protected identities -------------------------------------------------------


def identity_views(*, who: str = "", personnummer: str = "", date_from=None, date_to=None):
    """Views of protected identities, newest first (administrators only; see IDENTITY_LOG_PERMISSION)."""
    queryset = ProtectedIdentityAccess.objects.select_related("user", "person").order_by("-accessed_at", "-id")
    if who.strip():
        queryset = queryset.filter(user_id__in=_matching_users(who))
    if personnummer:
        queryset = queryset.filter(matching_personnummer(personnummer, field="person__personnummer"))
    if date_from:
        queryset = queryset.filter(accessed_at__gte=_day_start(date_from))
    if date_to:
        queryset = queryset.filter(accessed_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return queryset
