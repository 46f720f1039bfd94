"""Reads of the person register: each user sees the signals of their own units (``units_for``);
signals of people with no unit's work only those who see the whole service."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from organisation.selectors import scoped_unit_ids
from people.identity import MASKED_NAME, can_see_protected

from .models import PersonSignal, RegisterFile

MASKED_KINDS = (PersonSignal.Kind.NAME, PersonSignal.Kind.ADDRESS)


def signals_for(user) -> QuerySet[PersonSignal]:
    signals = PersonSignal.objects.select_related("person", "unit", "register_file", "handled_by")
    unit_ids = scoped_unit_ids(user)
    if unit_ids is None:
        return signals
    return signals.filter(unit_id__in=unit_ids)


def files_for(user) -> QuerySet[RegisterFile]:
    """Files with at least one of the user's signals (every file for those who see the whole service)."""
    unit_ids = scoped_unit_ids(user)
    if unit_ids is None:
        return RegisterFile.objects.all()
    return RegisterFile.objects.filter(Q(signals__unit_id__in=unit_ids)).distinct()


def is_masked(signal: PersonSignal, user) -> bool:
    """A protected person's signal shows neither name nor address to users who may not see them."""
    return (signal.protected or signal.person.protected_identity) and not can_see_protected(user)


def shown_values(signal: PersonSignal, user) -> tuple[str, str]:
    """The signal's before and after as ``user`` may see them."""
    if signal.kind in MASKED_KINDS and is_masked(signal, user):
        return str(MASKED_NAME), str(MASKED_NAME)
    if signal.kind == PersonSignal.Kind.PROTECTION_ADDED:
        return _("not protected"), _("protected identity")
    if signal.kind == PersonSignal.Kind.PROTECTION_REMOVED:
        return _("protected identity"), _("not protected")
    return signal.old_value, signal.new_value
