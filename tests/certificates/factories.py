import datetime as dt

import factory

from certificates.models import Certificate
from tests.factories import AgencyFactory, PersonFactory, UserFactory


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    kind = Certificate.Kind.EMPLOYMENT
    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    requested_by = Certificate.RequestedBy.EMPLOYEE
    received_on = dt.date(2025, 3, 3)
    due_on = dt.date(2025, 3, 10)
    registered_by = factory.SubFactory(UserFactory)
