"""Internal control (internkontroll): random samples (stickprov) of completed payments.

A draw is repeatable: the population is every completed case of the period (of the
unit's agencies, or of all), ordered by id, and ``random.Random(seed).sample`` picks
the cases; the size and seed are kept with the sample.
"""

import random
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import parse_period
from organisation.selectors import VIEW_ALL_UNITS, units_for

from ..models import ControlCheck, ControlSample, PayrollCase

MAX_SAMPLE_SIZE = 500
MAX_SEED = 2**63 - 1


def population_ids(*, period: str, unit=None) -> list[int]:
    """Ids of the completed cases of ``period`` (of ``unit``'s agencies), in id order."""
    cases = PayrollCase.objects.filter(period=period, status=PayrollCase.Status.COMPLETED)
    if unit is not None:
        cases = cases.filter(agency__unit=unit)
    return list(cases.order_by("id").values_list("id", flat=True))


def draw_ids(*, period: str, size: int, seed: int, unit=None) -> tuple[list[int], int]:
    """The ids a draw picks, sorted, and the population size it drew from."""
    population = population_ids(period=period, unit=unit)
    chosen = random.Random(seed).sample(population, min(size, len(population)))
    return sorted(chosen), len(population)


@transaction.atomic
def draw_control_sample(*, user, period: str, size: int, seed: int | None = None, unit=None, note="") -> ControlSample:
    """Draw ``size`` completed cases of ``period`` for checking and record the draw.

    Without a seed a random one is chosen and kept, so the same draw can be repeated.
    Users who do not see every unit draw only from their own unit's agencies.
    """
    parse_period(period)
    if not 1 <= size <= MAX_SAMPLE_SIZE:
        raise ValidationError({"size": _("Choose a sample size from 1 to %d.") % MAX_SAMPLE_SIZE})
    if unit is None and not user.has_perm(VIEW_ALL_UNITS):
        raise PermissionDenied
    if unit is not None and not units_for(user).filter(pk=unit.pk).exists():
        raise PermissionDenied
    seed = secrets.randbelow(MAX_SEED) if seed is None else seed
    if not 0 <= seed <= MAX_SEED:
        raise ValidationError({"seed": _("The seed must be a whole number from 0 to %d.") % MAX_SEED})
    ids, population = draw_ids(period=period, size=size, seed=seed, unit=unit)
    if not ids:
        raise ValidationError(
            {"period": _("There are no completed cases in %(period)s to draw from.") % {"period": period}}
        )
    sample = ControlSample.objects.create(
        period=period, unit=unit, size=size, seed=seed, population=population, drawn_by=user, note=note
    )
    ControlCheck.objects.bulk_create([ControlCheck(sample=sample, case_id=case_id) for case_id in ids])
    return sample


def repeat_draw(sample: ControlSample) -> bool:
    """True when drawing again with the sample's period, unit, size and seed picks the same cases."""
    ids, _population = draw_ids(period=sample.period, size=sample.size, seed=sample.seed, unit=sample.unit)
    return ids == sorted(sample.checks.values_list("case_id", flat=True))


@transaction.atomic
def record_check(*, check: ControlCheck, user, outcome: str, note: str = "") -> ControlCheck:
    """Record what the check of one sampled case found; an incorrect payment needs a note."""
    if outcome not in ControlCheck.Outcome.values or outcome == ControlCheck.Outcome.PENDING:
        raise ValidationError({"outcome": _("Choose whether the payment was correct.")})
    if outcome == ControlCheck.Outcome.INCORRECT and not note.strip():
        raise ValidationError({"note": _("Describe what was wrong with the payment.")})
    check = ControlCheck.objects.select_for_update().get(pk=check.pk)
    check.outcome = outcome
    check.note = note.strip()
    check.checked_by = user
    check.checked_at = timezone.now()
    check.save()
    return check
