"""Demo data for customers: the 2012 organisation of seed 000."""

from lonservice.demo import upsert

from .models import Team, Unit

UNITS = [
    ("lon1", "Löneenhet 1", ["Lönteam 1A", "Lönteam 1B", "Lönteam 1C"]),
    ("lon2", "Löneenhet 2", ["Lönteam 2A", "Lönteam 2B", "Lönteam 2C", "Pensionsteam"]),
]


def load_organisation() -> None:
    """Two payroll units with three payroll teams each; unit 2 also holds the pension team."""
    for code, name, teams in UNITS:
        unit = upsert(Unit, lookup={"code": code}, values={"name": name, "kind": Unit.Kind.PAYROLL})
        for team in teams:
            Team.objects.get_or_create(unit=unit, name=team)


def load(*, users) -> None:
    """Agencies, agreements, contacts, log entries and complaints (issue: customers and price lists)."""
