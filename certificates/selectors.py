"""Reads of certificates, scoped to the user's unit through the agency, and the employment data a
certificate is made from: the pay periods of the person's payroll cases at the agency."""

from dataclasses import dataclass

from django.db.models import QuerySet

from core.periods import parse_period
from customers.selectors import agencies_for
from payroll.models import PayrollCase

from .models import Certificate


def certificates_for(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(agency__in=agencies_for(user)).select_related("person", "agency")


@dataclass(frozen=True)
class Employment:
    periods: list[str]

    @property
    def first(self) -> str:
        return self.periods[0] if self.periods else ""

    @property
    def last(self) -> str:
        return self.periods[-1] if self.periods else ""

    @property
    def ranges(self) -> list[tuple[str, str]]:
        """Unbroken runs of months: ``[("2011-01", "2012-06"), ("2012-09", "2012-12")]``."""
        runs: list[list[str]] = []
        previous = None
        for period in self.periods:
            year, month = parse_period(period)
            index = year * 12 + month
            if previous is not None and index == previous + 1:
                runs[-1][1] = period
            else:
                runs.append([period, period])
            previous = index
        return [(a, b) for a, b in runs]

    @property
    def ranges_text(self) -> str:
        return ", ".join(a if a == b else f"{a} – {b}" for a, b in self.ranges)


def employment(*, person, agency) -> Employment:
    """The months the person was paid by the agency (completed payroll cases), oldest first."""
    periods = (
        PayrollCase.objects.filter(person=person, agency=agency, status=PayrollCase.Status.COMPLETED)
        .values_list("period", flat=True)
        .distinct()
        .order_by("period")
    )
    return Employment(periods=list(periods))
