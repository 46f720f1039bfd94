"""Demo data for workplaces (seed 001: the centre coordinates the city's reporting of workplace codes to
Statistics Sweden): workplaces with CFAR numbers for the first agencies of Löneenhet 1, employees linked to
them, one report already sent and a few changes waiting for the next. Idempotent: nothing is added when
workplaces exist."""

import datetime as dt

from django.utils import timezone

from accounts import roles
from customers.models import Agency
from payroll.models import PayrollCase
from workplaces import services
from workplaces.models import Workplace

# name, street, postal code, city, SNI, activity
WORKPLACES = [
    ("Förskolan Solrosen", "Solrosvägen 4", "123 47", "Farsta", "85100", "Förskoleutbildning"),
    ("Hemtjänsten Syd", "Kärrtorpsvägen 12", "121 52", "Johanneshov", "88101", "Öppna sociala insatser för äldre"),
    ("Grundskolan Ekbacken", "Ekbackevägen 2", "168 35", "Bromma", "85201", "Grundskoleutbildning"),
    ("Förvaltningskontoret", "Kungsgatan 20", "111 43", "Stockholm", "84110", "Offentlig förvaltning"),
]


def load(*, users) -> None:
    manager, handler = users.get(roles.UNIT_MANAGER), users.get(roles.CASE_HANDLER)
    keeper = users.get(roles.HEAD_OF_SERVICE)
    agencies = list(Agency.objects.filter(unit__code="lon1").order_by("code")[:2])
    if not agencies or manager is None or handler is None or keeper is None or Workplace.objects.exists():
        return
    made = []
    for n, (name, street, postal_code, city, sni, activity) in enumerate(WORKPLACES):
        made.append(
            services.save_workplace(
                user=manager,
                agency=agencies[n % len(agencies)],
                cfar=f"{40110000 + n * 137:08d}",
                name=name,
                street_address=street,
                postal_code=postal_code,
                city=city,
                activity_code=sni,
                activity=activity,
                active=True,
            )
        )
    today = timezone.localdate()
    for workplace in made:
        people = (
            PayrollCase.objects.filter(agency=workplace.agency, source="import", person__protected_identity=False)
            .order_by("person_id")
            .values_list("person__personnummer", flat=True)
            .distinct()[:3]
        )
        for personnummer in people:
            if not services.current_assignments().filter(person__personnummer=personnummer).exists():
                services.link_employee(
                    user=handler, workplace=workplace, personnummer=personnummer, since=dt.date(today.year - 1, 1, 1)
                )
    services.create_report(user=keeper)
    # Since the report: one employee moved to another workplace of the same agency.
    moved = services.current_assignments().filter(workplace=made[0]).select_related("person").first()
    if moved and len(made) > 2:
        services.link_employee(
            user=handler, workplace=made[2], personnummer=moved.person.personnummer, since=today.replace(day=1)
        )
