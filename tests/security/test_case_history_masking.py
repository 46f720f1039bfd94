"""A pension case's "Other changes" never shows a protected person unmasked (issue 14, item 3).

After an administrator changed a case's person, the history showed the protected person's name
to everyone who could open the case, and that view was not logged.
"""

import pytest
from django.urls import reverse

from people.models import ProtectedIdentityAccess
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved_case(unit, administrator):
    protected = factories.PersonFactory(name="Hemlig Person", protected_identity=True)
    case = factories.PensionCaseFactory(agency=factories.AgencyFactory(unit=unit), person=protected)
    case.person = factories.PersonFactory(name="Öppen Person")
    case._history_user = administrator
    case.save()
    return {"case": case, "protected": protected}


def test_the_history_masks_the_earlier_protected_person(client, pension_handler, moved_case):
    client.force_login(pension_handler)
    page = client.get(reverse("pensions:case_detail", args=[moved_case["case"].pk])).content.decode()
    assert "Öppen Person" in page
    assert "Hemlig Person" not in page and moved_case["protected"].personnummer not in page
    assert "******-****" in page


def test_a_user_who_may_see_it_is_logged(client, administrator, moved_case):
    client.force_login(administrator)
    page = client.get(reverse("pensions:case_detail", args=[moved_case["case"].pk])).content.decode()
    assert "Hemlig Person" in page
    assert ProtectedIdentityAccess.objects.filter(user=administrator, person=moved_case["protected"]).exists()
