"""Two handlers at once: case numbers stay unique and a signal becomes one case only (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connections

from pensions import services
from pensions.models import CaseKind, PensionCase, SignalItem
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(target, count):
    """Run ``target(i)`` in ``count`` threads released together; each has its own connection."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = target(i)
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_simultaneous_registrations_get_consecutive_numbers(unit, pension_handler):
    agency = factories.AgencyFactory(unit=unit)
    people = [factories.PersonFactory() for _ in range(6)]

    def register(i):
        return services.register_case(
            kind=CaseKind.OLD_AGE,
            agency=agency,
            person=people[i],
            unit=unit,
            received_on=dt.date(2012, 3, 1),
            user=pension_handler,
        ).number

    numbers, errors = _in_threads(register, 6)
    assert not errors
    assert sorted(numbers) == [f"PE-2012-{n:05d}" for n in range(1, 7)]


def test_a_signal_opened_twice_at_once_gives_one_case(unit, pension_handler):
    item = factories.SignalItemFactory(signal_list__unit=unit, agency=factories.AgencyFactory(unit=unit))

    def open_case(_i):
        return services.open_case_from_signal(item=item, user=pension_handler).number

    numbers, errors = _in_threads(open_case, 3)
    assert PensionCase.objects.count() == 1
    assert len([n for n in numbers if n]) == 1
    assert len(errors) == 2 and all(isinstance(e, services.TransitionError) for e in errors)
    assert SignalItem.objects.get().case.number == next(n for n in numbers if n)


def test_a_case_decided_twice_at_once_is_decided_once(unit, pension_handler):
    case = factories.PensionCaseFactory(agency=factories.AgencyFactory(unit=unit), status="investigating")

    def decide(i):
        return services.decide_case(
            case=case, decision="rejected", decided_on=dt.date(2012, 3, 10 + i), user=pension_handler
        ).decided_on

    results, errors = _in_threads(decide, 2)
    assert len(errors) == 1 and isinstance(errors[0], services.TransitionError)
    assert case.changes.filter(to_status="decided").count() == 1
