import factory

from tests.factories import AgencyFactory
from workplaces.models import Workplace


class WorkplaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workplace

    agency = factory.SubFactory(AgencyFactory)
    cfar = factory.Sequence(lambda n: f"{20000000 + n:08d}")
    name = factory.Sequence(lambda n: f"Förskolan Solen {n}")
    street_address = "Solvägen 1"
    postal_code = "123 45"
    city = "Stockholm"
    activity_code = "85100"
    activity = "Förskoleutbildning"
